// Why a sync attempt failed, as a stable code the sync client gives each failure where it meets it,
// and the sentences a cashier or manager reads for it, one table per language. The client's own
// message stays beside the code as the technical detail (English, for support and the logs).
import type { UnsyncedReason } from '../api/sync-methods';
import { speaksTurkish } from '../program/explain-phrases';

export const SYNC_ERROR_CODES = [
  /** No connection to the server: refused, no route, name not found. */
  'unreachable',
  /** A connection broke off mid-request or mid-answer. */
  'connection-lost',
  /** The server did not answer in time (or a snapshot stream stopped moving). */
  'timeout',
  /** TLS refused: the server's certificate, or this PC's clock that judges it. */
  'certificate',
  /** The server failed (5xx, 408). */
  'server-error',
  /** The server asked to come back later (429). */
  'server-busy',
  /** An answer that is not JSON or not protocol v1: another server version, or a proxy answering for it. */
  'bad-reply',
  /** The server refused the request itself (another 4xx). */
  'refused',
  /** One entry's push is over the server's or a proxy's body limit (413). */
  'too-large',
  /** The programme owner revoked this terminal (403 REVOKED). */
  'revoked',
  /** The server does not know this terminal's credential (401). */
  'credential-refused',
  /** This terminal's ledger failed its integrity check at start: nothing is sent. */
  'ledger-broken',
  /** The server holds more of this terminal's entries than its ledger: restored from an older copy. */
  'ledger-behind-server',
  /** The server took none of a batch (it answered, but acknowledged nothing). */
  'entry-refused',
  // Enrolment's own, met only by terminal.enrol (its error's details.syncError): the server's
  // refusals of the one-time code (docs/sync-protocol.md), and an address that is not a Kasa server.
  /** The server does not know the code (401 on enrol). */
  'code-unknown',
  /** The code already enrolled a terminal (410 CODE_USED). */
  'code-used',
  /** The code is past its expiry (410 CODE_EXPIRED). */
  'code-expired',
  /** The server has this terminal enrolled and not revoked (409 ALREADY_EXISTS). */
  'already-enrolled',
  /** Too many enrolment attempts from this address (429 on enrol). */
  'too-many-attempts',
  /** Something answers at the address, but not as a Kasa server (404, 405, a web page). */
  'not-kasa-server',
  /** Anything else, and failures recorded before codes existed. */
  'other',
] as const;

export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

const KNOWN = new Set<string>(SYNC_ERROR_CODES);

/** A stored code as one of ours: NULL (written before codes) or one a later version added reads as 'other'. */
export const syncErrorCodeOf = (stored: string | null | undefined): SyncErrorCode => (stored && KNOWN.has(stored) ? (stored as SyncErrorCode) : 'other');

export type SyncWords = {
  /** One sentence per failure, whole (capital, full stop): it stands alone in a tooltip and inside `unsynced`. */
  error: Record<SyncErrorCode, string>;
  /** Why a day's entries are still here; `{{error}}` is where the failure's sentence goes. */
  unsynced: Record<UnsyncedReason, string>;
};

export const ENGLISH_SYNC_WORDS: SyncWords = {
  error: {
    unreachable: "The server could not be reached: check this PC's network connection.",
    'connection-lost': 'The connection to the server broke off during the transfer.',
    timeout: 'The server did not answer in time.',
    certificate: "The server's security certificate was not accepted: check this PC's date and time, or call support.",
    'server-error': 'The server had a problem of its own.',
    'server-busy': 'The server is busy right now.',
    'bad-reply': "The server's answer could not be understood: the server may run another version.",
    refused: 'The server refused the request: call support.',
    'too-large': 'One record is too large for the server to accept: call support.',
    revoked: 'The programme owner has revoked this terminal: connect it again with a new code.',
    'credential-refused': 'The server does not recognise this terminal: connect it again with a new code.',
    'ledger-broken': "This terminal's records failed their integrity check: call support.",
    'ledger-behind-server': "The server holds more of this terminal's records than the terminal does: it may have been restored from an old backup. Call support.",
    'entry-refused': 'The server did not accept a record: it stays queued. Call support.',
    'code-unknown': 'The server does not know this enrolment code: check it, or ask the programme owner for a new one.',
    'code-used': 'This enrolment code has already been used: each code connects one terminal. Ask the programme owner for a new one.',
    'code-expired': 'This enrolment code has expired: ask the programme owner for a new one.',
    'already-enrolled': 'The server already has this terminal connected: the programme owner must revoke it before it can connect again.',
    'too-many-attempts': 'Too many connection attempts: wait a minute, then try again.',
    'not-kasa-server': 'Something answers at this address, but it is not a Kasa server: check the server address.',
    other: 'Something unexpected went wrong.',
  },
  unsynced: {
    'not-enrolled': 'This terminal is not connected to a server: its entries stay here until it is (Connect to server, in the status bar).',
    revoked: 'The server no longer accepts this terminal: connect it again with a new code. Nothing queued is lost.',
    blocked: 'Sync is stopped until someone acts. {{error}}',
    retrying: 'The last attempt failed. {{error}} It is retried automatically.',
    waiting: 'Waiting for the next sync; closing the day again sends them now.',
  },
};

export const TURKISH_SYNC_WORDS: SyncWords = {
  error: {
    unreachable: 'Sunucuya ulaşılamadı: bu bilgisayarın ağ bağlantısını kontrol edin.',
    'connection-lost': 'Aktarım sırasında sunucuyla bağlantı koptu.',
    timeout: 'Sunucu zamanında yanıt vermedi.',
    certificate: 'Sunucunun güvenlik sertifikası kabul edilmedi: bu bilgisayarın tarih ve saatini kontrol edin ya da desteği arayın.',
    'server-error': 'Sunucu tarafında bir sorun oluştu.',
    'server-busy': 'Sunucu şu anda çok yoğun.',
    'bad-reply': 'Sunucunun yanıtı anlaşılamadı: sunucu farklı bir sürüm kullanıyor olabilir.',
    refused: 'Sunucu isteği reddetti: desteği arayın.',
    'too-large': 'Bir kayıt, sunucunun kabul edemeyeceği kadar büyük: desteği arayın.',
    revoked: 'Program sahibi bu terminalin erişimini kaldırdı: yeni bir kodla yeniden bağlayın.',
    'credential-refused': 'Sunucu bu terminali tanımıyor: yeni bir kodla yeniden bağlayın.',
    'ledger-broken': 'Bu terminalin kayıtları bütünlük denetiminden geçemedi: desteği arayın.',
    'ledger-behind-server': 'Sunucuda bu terminale ait, terminalin kendisinde olandan daha fazla kayıt var: terminal eski bir yedekten geri yüklenmiş olabilir. Desteği arayın.',
    'entry-refused': 'Sunucu bir kaydı kabul etmedi: kayıt gönderilmeyi bekliyor. Desteği arayın.',
    'code-unknown': 'Sunucu bu kayıt kodunu tanımıyor: kodu kontrol edin ya da program sahibinden yeni bir kod isteyin.',
    'code-used': 'Bu kayıt kodu daha önce kullanılmış: her kod yalnızca bir terminali bağlar. Program sahibinden yeni bir kod isteyin.',
    'code-expired': 'Bu kayıt kodunun süresi dolmuş: program sahibinden yeni bir kod isteyin.',
    'already-enrolled': 'Bu terminal sunucuda zaten bağlı görünüyor: yeniden bağlanabilmesi için program sahibinin önce erişimini kaldırması gerekir.',
    'too-many-attempts': 'Çok fazla bağlanma denemesi yapıldı: bir dakika bekleyip yeniden deneyin.',
    'not-kasa-server': 'Bu adreste bir şey yanıt veriyor ama bir Kasa sunucusu değil: sunucu adresini kontrol edin.',
    other: 'Beklenmeyen bir sorun oluştu.',
  },
  unsynced: {
    'not-enrolled': 'Bu terminal bir sunucuya bağlı değil: kayıtları bağlanana kadar burada kalır (durum çubuğunda Sunucuya bağlan).',
    revoked: 'Sunucu bu terminali artık kabul etmiyor: yeni bir kodla yeniden bağlayın. Bekleyen hiçbir kayıt kaybolmaz.',
    blocked: 'Biri müdahale edene kadar eşitleme durdu. {{error}}',
    retrying: 'Son deneme başarısız oldu. {{error}} Kendiliğinden yeniden denenir.',
    waiting: 'Sonraki eşitleme bekleniyor; günü yeniden kapatmak onları hemen gönderir.',
  },
};

/** The table for a locale: Turkish for "tr…", English otherwise (as the renderer picks its language). */
export const syncWordsFor = (locale: string): SyncWords => (speaksTurkish(locale) ? TURKISH_SYNC_WORDS : ENGLISH_SYNC_WORDS);

/** Why a day's entries are still here, in `words`' language: the reason, with the failure's sentence where it has one. */
export const unsyncedReasonText = (words: SyncWords, reason: UnsyncedReason, error: SyncErrorCode | null): string =>
  words.unsynced[reason].replace('{{error}}', words.error[error ?? 'other']);

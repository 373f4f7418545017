import { describe, expect, it } from 'vitest';
import { SCAN_ERROR_CODES, SELF_TEST_CHECK_CODES, STARTUP_FAILURE_CODES } from '../../src-shared/api/contract';
import { ERROR_CODES, ERROR_REASONS, type ApiError } from '../../src-shared/api/errors';
import { UNSYNCED_REASONS } from '../../src-shared/api/sync-methods';
import { SYNC_ERROR_CODES } from '../../src-shared/sync/sync-errors';
import { errorText, errorWords } from '../../src-renderer/components/error-text';
import { en } from '../../src-renderer/i18n/en';
import { createI18n, languageForLocale } from '../../src-renderer/i18n/i18n';
import { tr } from '../../src-renderer/i18n/tr';
import { expectSameKeysAndPlaceholders } from '../shared/translations';


describe('translations', () => {
  it('English and Turkish have the same keys, none empty, with the same placeholders', () => {
    expectSameKeysAndPlaceholders(en, tr);
  });

  it('says one point, one entry and one item in the singular in English, and as Turkish says them', () => {
    const english = createI18n('en');
    const turkish = createI18n('tr');
    expect(english.t('member.points', { points: '1', count: 1 })).toBe('1 point');
    expect(english.t('member.points', { points: '1,500', count: 1500 })).toBe('1,500 points');
    expect(english.t('member.points', { points: '0', count: 0 })).toBe('0 points');
    expect(english.t('closeDay.notSynced', { count: 1, reason: '' }).trim()).toBe('1 entry has not reached the server yet.');
    expect(english.t('closeDay.notSynced', { count: 2, reason: '' }).trim()).toBe('2 entries have not reached the server yet.');
    expect(english.t('member.expiring', { points: '1', count: 1, date: '1 Jan' })).toBe('1 point expires after 1 Jan');
    // The counter's smaller sentences too: a reward one point away, a one-point limit, a balance of one.
    expect(english.t('rewards.reason_balance', { points: '1', count: 1 })).toBe('1 more point needed');
    expect(english.t('rewards.reason_balance', { points: '1,200', count: 1200 })).toBe('1,200 more points needed');
    expect(english.t('sale.redeemHelp', { max: '1', count: 1 })).toBe('Up to 1 point on this sale');
    expect(english.t('adjust.belowZero', { balance: '1', count: 1 })).toBe('The member has 1 point: a balance never goes below zero');
    expect(english.t('rewards.donationHelp', { minimum: '1', step: '1', count: 1 })).toBe('From 1 point, in steps of 1');
    expect(english.t('rewards.donationHelp', { minimum: '1,000', step: '500', count: 1000 })).toBe('From 1,000 points, in steps of 500');
    // A noun after a number stays singular in Turkish.
    expect(turkish.t('member.points', { points: '1', count: 1 })).toBe('1 puan');
    expect(turkish.t('member.points', { points: '1.500', count: 1500 })).toBe('1.500 puan');
    const refundLeft = (left: number) => ({ code: 'VALIDATION' as const, message: '…', details: { reason: 'refund-left', lineIndex: 0, left } });
    expect(errorText(refundLeft(1), english)).toBe('Line 1: only 1 item is left to refund.');
    expect(errorText(refundLeft(0), english)).toBe('Line 1: only 0 items are left to refund.');
  });

  it('picks the language from the store locale', () => {
    expect(languageForLocale('tr-TR')).toBe('tr');
    expect(languageForLocale('en-GB')).toBe('en');
    expect(languageForLocale('de-DE')).toBe('en');
  });

  it("says a wrong or locked PIN in the cashier's language, from the core's numbers, and other errors as before", () => {
    const turkish = createI18n('tr');
    const english = createI18n('en');
    const wrong = { code: 'UNAUTHENTICATED' as const, message: 'Wrong PIN (2 tries left before a lock)', details: { triesLeft: 2 } };
    const locked = { code: 'UNAUTHENTICATED' as const, message: 'Wrong PIN: Can is locked for 30 s', details: { lockedForSeconds: 30 } };
    expect(errorText(wrong, turkish)).toBe('Yanlış PIN. Kilitlenmeden önce kalan deneme: 2');
    expect(errorText(locked, turkish)).toBe('Çok fazla yanlış PIN: 30 sn kilitli');
    expect(errorText(wrong, english)).toBe('Wrong PIN. Tries left before a lock: 2');
    expect(errorText(locked, english)).toBe('Too many wrong PINs: locked for 30 s');
    // A reason: its sentence alone; no reason: its code's sentence, the core's words as the detail (validation: the field).
    expect(errorWords({ code: 'UNAUTHENTICATED', message: 'That account does not exist or is deactivated', details: { reason: 'account-unavailable' } }, turkish)).toEqual({ sentence: 'Bu hesap yok ya da devre dışı bırakılmış.', detail: null });
    expect(errorWords({ code: 'UNAUTHENTICATED', message: 'Signing in needs a screen session' }, turkish)).toEqual({ sentence: tr.errors.UNAUTHENTICATED, detail: 'Signing in needs a screen session' });
    expect(errorWords({ code: 'STORAGE', message: 'disk full' }, turkish)).toEqual({ sentence: tr.errors.STORAGE, detail: 'disk full' });
    expect(errorWords({ code: 'VALIDATION', message: 'lines[0].qty: must be at least 1' }, turkish)).toEqual({ sentence: 'Bu kabul edilmedi: girilen bilgileri kontrol edin.', detail: 'lines[0].qty: must be at least 1' });
  });

  it('says why a refund of points already spent needs a manager, not only that it does', () => {
    const error = { code: 'FORBIDDEN' as const, message: 'This refund takes back 1000 points from a balance of 990: …', details: { reason: 'refund-points-spent', memberId: 'm-1', balance: 990, balanceAfter: -1010 } };
    expect(errorText(error, createI18n('en'))).toBe('This refund takes back points the member has already spent: their balance would be -1,010. A manager must approve it.');
    expect(errorText(error, createI18n('tr'))).toBe('Bu iade, üyenin harcadığı puanları geri alıyor: bakiyesi -1.010 olur. Bir yönetici onaylamalı.');
  });

  it('has a sentence in both languages for every reason the core gives', () => {
    for (const language of ['en', 'tr'] as const) {
      const i18n = createI18n(language);
      for (const reason of ERROR_REASONS) expect(i18n.exists(`errors.reason.${reason}`), `${language} ${reason}`).toBe(true);
    }
  });

  it('has a sentence in both languages for every sync failure code and every reason a day is not synced', () => {
    for (const language of ['en', 'tr'] as const) {
      const i18n = createI18n(language);
      for (const code of SYNC_ERROR_CODES) expect(i18n.exists(`syncError.${code}`), `${language} ${code}`).toBe(true);
      for (const reason of UNSYNCED_REASONS) expect(i18n.exists(`closeDay.why.${reason}`), `${language} ${reason}`).toBe(true);
    }
    expect(createI18n('tr').t('closeDay.why.retrying', { error: createI18n('tr').t('syncError.timeout') })).toBe('Son deneme başarısız oldu. Sunucu zamanında yanıt vermedi. Kendiliğinden yeniden denenir.');
  });

  it("says the counter's refusals in the cashier's language, from the core's reason and numbers", () => {
    const turkish = createI18n('tr');
    const english = createI18n('en');
    const said = (error: ApiError) => errorText(error, turkish);
    expect(said({ code: 'INSUFFICIENT_POINTS', message: 'The member has 1200 points; 1500 were asked for', details: { balance: 1200, requested: 1500, minimumBalance: 0 } })).toBe(
      'Üyenin 1.200 puanı var; 1.500 puan istendi.',
    );
    expect(said({ code: 'INSUFFICIENT_POINTS', message: '…', details: { balance: 300, requested: 250, minimumBalance: 100 } })).toBe('Üyenin 300 puanı var ve en az 100 puanı kalmalı; 250 puan istendi.');
    expect(said({ code: 'VALIDATION', message: 'At most 40 points can be used on this sale', details: { reason: 'redeem-max', maxRedeemablePoints: 40 } })).toBe('Bu satışta en fazla 40 puan kullanılabilir.');
    expect(said({ code: 'VALIDATION', message: '…', details: { reason: 'points-share', maxSharePercent: 50, shareLimitMinor: 1000 } })).toBe('Puanlar bu satışın en fazla %50 kadarını ödeyebilir.');
    // A 0-based line index is the line's number on screen; a tier list is joined.
    expect(said({ code: 'VALIDATION', message: 'line 1: 0 of 2 items left to refund, 1 asked', details: { reason: 'refund-left', lineIndex: 1, left: 0 } })).toBe('2. satır: iade edilebilecek yalnızca 0 ürün kaldı.');
    expect(said({ code: 'VALIDATION', message: '…', details: { reason: 'reward-tier', reward: 'Kahve', tiers: ['gold', 'vip'] } })).toBe('“Kahve” yalnızca gold, vip üyeler içindir.');
    // NOT_FOUND's own sentence ("Bulunamadı.") would lose which code was wrong.
    expect(said({ code: 'NOT_FOUND', message: 'No member has the referral code AB12 on this terminal', details: { reason: 'referral-code', code: 'AB12' } })).toBe(
      'Bu terminalde AB12 tavsiye kodlu üye yok: kodu kontrol edin veya kodsuz kaydedin.',
    );
    expect(said({ code: 'FORBIDDEN', message: '…', details: { reason: 'outside-refund-window', saleId: 's1', windowHours: 24 } })).toBe(
      'Kasiyerler kendi satışlarını 24 saat içinde iade eder: bu iadeyi bir yönetici onaylamalı.',
    );
    expect(said({ code: 'FORBIDDEN', message: '…', details: { reason: 'outside-refund-window', saleId: 's1', windowHours: 0 } })).toBe(tr.errors.refundManagerOnly);
    expect(said({ code: 'VERIFICATION_REQUIRED', message: '…', details: { reason: 'offline-balance', spendable: 1500 } })).toBe(
      'Sunucu bu bakiyeyi şu an doğrulayamıyor: üye burada en fazla 1.500 puan harcayabilir. Daha fazlasını bir yönetici onaylayabilir.',
    );
    expect(said({ code: 'VERIFICATION_REQUIRED', message: '…', details: { policy: 'card-present' } })).toBe(tr.errors.verificationCard);
    expect(said({ code: 'VERIFICATION_REQUIRED', message: '…', details: { policy: 'customer-pin' } })).toBe(tr.errors.VERIFICATION_REQUIRED);
    // A field's refusal: its issue's reason.
    expect(said({ code: 'VALIDATION', message: 'Invalid auth.setup: pin: choose a PIN…', details: { issues: [{ path: 'pin', message: 'choose a PIN…', reason: 'pin-weak' }] } })).toBe(tr.errors.reason['pin-weak']);
    expect(said({ code: 'VALIDATION', message: '…', details: { reason: 'referral-code-format', code: 'ZZZZ99' } })).toBe('“ZZZZ99” bir tavsiye kodu değil: kod ABCD-2345 gibi 8 harf ve rakamdır.');
    // English reads the same facts; a reason the screen does not know is said by its code, its words the detail.
    expect(errorText({ code: 'VALIDATION', message: '…', details: { reason: 'donate-step', stepPoints: 100 } }, english)).toBe('Donate in steps of 100 points.');
    expect(errorWords({ code: 'VALIDATION', message: 'Something new', details: { reason: 'something-new' } }, turkish)).toEqual({ sentence: tr.errors.VALIDATION, detail: 'Something new' });
  });

  it('never makes the core\'s English the sentence: every error code has one in both languages', () => {
    for (const language of ['en', 'tr'] as const) {
      const i18n = createI18n(language);
      for (const code of ERROR_CODES) {
        expect(i18n.exists(`errors.${code}`), `${language} ${code}`).toBe(true);
        expect(errorWords({ code, message: 'The core says so in English' }, i18n), `${language} ${code}`).toEqual({ sentence: i18n.t(`errors.${code}`), detail: 'The core says so in English' });
      }
    }
  });

  it("says why connecting to the server failed by its sync failure code, the core's words as the detail", () => {
    const turkish = createI18n('tr');
    const english = createI18n('en');
    const failed = (syncError: string, code: ApiError['code'] = 'UNAUTHENTICATED'): ApiError => ({ code, message: 'The server refused the enrolment: Unknown enrolment code', details: { reason: 'sync-failed', syncError } });
    expect(errorWords(failed('code-unknown'), turkish)).toEqual({
      sentence: 'Sunucu bu kayıt kodunu tanımıyor: kodu kontrol edin ya da program sahibinden yeni bir kod isteyin.',
      detail: 'The server refused the enrolment: Unknown enrolment code',
    });
    expect(errorText(failed('code-expired', 'VALIDATION'), english)).toBe(en.syncError['code-expired']);
    expect(errorText(failed('unreachable', 'UNAVAILABLE'), turkish)).toBe(tr.syncError.unreachable);
    // A code this screen does not know yet: the general sentence, never the English.
    expect(errorText(failed('added-later'), turkish)).toBe(tr.errors.reason['sync-failed']);
    // The server address's own check, before any request.
    const address: ApiError = { code: 'VALIDATION', message: 'Invalid terminal.enrol: serverUrl: a server address like…', details: { issues: [{ path: 'serverUrl', message: '…', reason: 'server-address' }] } };
    expect(errorText(address, turkish)).toBe('Bu bir sunucu adresi değil: https://kasa.ornek.com biçiminde yazın.');
  });

  it('says why a scanner did not beep, naming it', () => {
    const turkish = createI18n('tr');
    const error: ApiError = { code: 'VALIDATION', message: 'Front scanner: no good-read feedback command is configured…', details: { reason: 'beep-not-configured', device: 'Ön okuyucu' } };
    expect(errorWords(error, turkish)).toEqual({ sentence: 'Ön okuyucu için bir bip komutu ayarlanmamış: okuyucunun kılavuzundaki komut baytlarını Değiştir bölümünden girin.', detail: null });
    expect(turkish.t('devices.beepFailed', { reason: errorText({ ...error, details: { reason: 'device-not-connected', device: 'Ön okuyucu', status: 'unplugged' } }, turkish) })).toBe(
      'Bip sesi çalmadı. Ön okuyucu bağlı değil, bu yüzden bip gönderilmedi: listedeki durumuna bakın.',
    );
  });

  it('has a sentence in both languages for every reason a scan could not be used', () => {
    for (const language of ['en', 'tr'] as const) {
      const i18n = createI18n(language);
      for (const reason of SCAN_ERROR_CODES) expect(i18n.exists(`scan.why.${reason}`), `${language} ${reason}`).toBe(true);
    }
    expect(createI18n('tr').t('scan.why.line-noise')).toBe('Okuyucudan okunamayan veri geldi: yeniden okutun. Sürerse bir yönetici Cihazlar’dan okuyucunun hızını (baud) kontrol etmeli.');
  });

  it('says every reason the terminal could not start, and every self-test check, in both languages', () => {
    for (const language of ['en', 'tr'] as const) {
      const i18n = createI18n(language);
      for (const code of STARTUP_FAILURE_CODES) expect(i18n.exists(`startup.failure.${code}`), `${language} ${code}`).toBe(true);
      for (const code of SELF_TEST_CHECK_CODES) {
        for (const part of ['name', 'ok', 'failed']) expect(i18n.exists(`startup.check.${code}.${part}`, { count: 2 }), `${language} ${code}.${part}`).toBe(true);
      }
    }
    expect(createI18n('tr').t('startup.failure.folder-in-use')).toBe('Bu bilgisayarda başka bir Kasa penceresi ya da programı bu kasanın verilerini zaten kullanıyor. Onu kapatıp Kasa’yı yeniden başlatın.');
    expect(createI18n('tr').t('startup.check.hid-devices.ok', { count: 1 })).toBe('1 bulundu.');
    expect(createI18n('en').t('startup.check.serial-ports.ok', { count: 0 })).toBe('0 found.');
  });

  it("says a manager's refusals by their reason, not only the code's general sentence", () => {
    const turkish = createI18n('tr');
    const taken: ApiError = { code: 'ALREADY_EXISTS', message: '/dev/ttyACM0 is already configured as "Ön okuyucu"', details: { reason: 'device-path-taken', path: '/dev/ttyACM0', device: 'Ön okuyucu' } };
    expect(errorWords(taken, turkish)).toEqual({ sentence: '/dev/ttyACM0 zaten “Ön okuyucu” olarak tanımlı: başka bir port seçin ya da o cihazı değiştirin.', detail: null });
    expect(errorText({ code: 'VALIDATION', message: 'The terminal must keep at least one active manager', details: { reason: 'last-manager' } }, turkish)).toBe(
      'Terminalde en az bir etkin yönetici kalmalı: önce başka bir hesabı yönetici yapın.',
    );
    expect(errorText({ code: 'ALREADY_EXISTS', message: 'There is already an account named Ece', details: { reason: 'account-name-taken', name: 'Ece' } }, createI18n('en'))).toBe(
      'There is already an account named Ece: choose another name.',
    );
    expect(errorText({ code: 'VALIDATION', message: 'Finish these steps first: store', details: { reason: 'steps-left', steps: ['store'] } }, turkish)).toBe('Kurulumun bazı adımları henüz tamamlanmadı: önce onları bitirin.');
  });
});

// The chain's card key ring lives in a file of its own, never in the database: the database holds
// the card tokens made with it, and a key is kept apart from what it protects (PCI DSS 3.5.1.1).
// Read once at start; a rotation adds a version and takes effect at the next start.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KasaError } from '../src-shared/api/errors';
import { CardKeyRing } from '../src-shared/sync/protocol';

const newKey = () => randomBytes(32).toString('base64');

/** Written beside the file and renamed (or linked) over it, so a reader never sees half a ring. */
function writeTemp(file: string, ring: CardKeyRing): string {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, `${JSON.stringify(ring, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return temp;
}

function checkFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder)) throw new KasaError('VALIDATION', `The card key file's folder ${folder} does not exist: create it (only the server's user may read it), or give another --card-key-file`);
}

/** Reads and checks the ring: only the owner may read the file, and it must be a CardKeyRing. */
export function readCardKeyFile(file: string): CardKeyRing {
  const stat = fs.statSync(file);
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new KasaError('VALIDATION', `The card key file ${file} may be read by other users (mode ${(stat.mode & 0o777).toString(8)}): chmod 600 ${file}, and make sure nobody copied it`);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new KasaError('VALIDATION', `Cannot read the card key file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KasaError('VALIDATION', `The card key file ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}): restore it from its backup`);
  }
  const ring = CardKeyRing.safeParse(json);
  if (!ring.success) throw new KasaError('VALIDATION', `The card key file ${file} is not a card key ring ({"current":N,"keys":{"N":"<32 bytes in base64>"}}): ${ring.error.issues[0]?.message ?? 'unreadable'}; restore it from its backup`);
  return ring.data;
}

/**
 * The ring in `file`, made (version 1, a fresh random key) when there is no file yet. Two servers
 * starting at once on a new file: the second one reads the first one's ring.
 */
export function loadCardKeyFile(file: string): { ring: CardKeyRing; created: boolean } {
  if (fs.existsSync(file)) return { ring: readCardKeyFile(file), created: false };
  checkFolder(file);
  const ring: CardKeyRing = { current: 1, keys: { '1': newKey() } };
  const temp = writeTemp(file, ring);
  try {
    // link, not rename: it fails when the file appeared meanwhile, and never replaces a key.
    fs.linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { ring: readCardKeyFile(file), created: false };
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return { ring, created: true };
}

/** Adds version current+1 with a fresh key and makes it current; the older keys stay (cards linked under them are still found). */
export function rotateCardKeyFile(file: string): CardKeyRing {
  if (!fs.existsSync(file)) throw new KasaError('VALIDATION', `There is no card key file ${file} to rotate: the server makes one at its first start with --card-key-file`);
  const ring = readCardKeyFile(file);
  const version = Math.max(ring.current, ...Object.keys(ring.keys).map(Number)) + 1;
  const rotated: CardKeyRing = { current: version, keys: { ...ring.keys, [String(version)]: newKey() } };
  fs.renameSync(writeTemp(file, rotated), file);
  return rotated;
}

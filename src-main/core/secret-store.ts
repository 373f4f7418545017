// Secrets that must never sit in the database: the programme's card key, the server credential.
// The browser host keeps them in 0600 files; the Electron app encrypts them with the OS keychain
// (safeStorage) in main and hands them to the core process (src-main/electron/keychain-secrets.ts).
import fs from 'node:fs';
import path from 'node:path';
import { KasaError } from '../../src-shared/api/errors';

export type SecretStore = {
  get(name: string): Buffer | null;
  set(name: string, value: Buffer): void;
};

const NAME = /^[a-z0-9-]{1,64}$/;

/** One file per secret under `<dir>/secrets/`, the folder 0700 and each file 0600, written atomically. */
export function createFileSecretStore(dataDir: string): SecretStore {
  const dir = path.join(dataDir, 'secrets');
  const fileFor = (name: string) => {
    if (!NAME.test(name)) throw new KasaError('VALIDATION', `Bad secret name ${name}`);
    return path.join(dir, `${name}.key`);
  };
  return {
    get(name) {
      const file = fileFor(name);
      try {
        const stat = fs.statSync(file);
        if ((stat.mode & 0o077) !== 0) {
          throw new KasaError('STORAGE', `${file} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 on it`);
        }
        return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    set(name, value) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.chmodSync(dir, 0o700);
      const file = fileFor(name);
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, value.toString('base64'), { mode: 0o600 });
      fs.renameSync(temp, file);
    },
  };
}

/** Secrets held in memory, filled by a trusted parent (Electron main) that persists them itself. */
export function createMemorySecretStore(initial: Record<string, Buffer>, onSet: (name: string, value: Buffer) => void): SecretStore {
  const values = new Map(Object.entries(initial));
  return {
    get: (name) => values.get(name) ?? null,
    set(name, value) {
      values.set(name, value);
      onSet(name, value);
    },
  };
}

// Secrets at rest for the desktop app: encrypted with the OS keychain (Electron safeStorage:
// DPAPI on Windows, libsecret/kwallet on Linux) in main, which alone may use it.
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';

export function loadKeychainSecrets(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const values: Record<string, string> = {};
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith('.enc')) continue;
    values[file.slice(0, -4)] = safeStorage.decryptString(fs.readFileSync(path.join(dir, file)));
  }
  return values;
}

export function saveKeychainSecret(dir: string, name: string, base64Value: string): void {
  if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new Error(`bad secret name ${name}`);
  if (!safeStorage.isEncryptionAvailable()) throw new Error('The OS keychain is not available: cannot store secrets safely');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${name}.enc`);
  fs.writeFileSync(`${file}.tmp`, safeStorage.encryptString(base64Value), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CardKeys } from '../../src-main/core/card-keys';
import { createFileSecretStore, createMemorySecretStore } from '../../src-main/core/secret-store';
import { tempDir } from './helpers';

describe('secret store', () => {
  it('keeps secrets in 0600 files in a 0700 folder, outside the database', () => {
    const dir = tempDir();
    const store = createFileSecretStore(dir);
    expect(store.get('card-keys')).toBeNull();
    store.set('card-keys', Buffer.from('secret bytes'));
    expect(store.get('card-keys')?.toString()).toBe('secret bytes');
    expect(fs.statSync(path.join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'secrets', 'card-keys.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file other users can read', () => {
    const dir = tempDir();
    const store = createFileSecretStore(dir);
    store.set('server-credential', Buffer.from('x'));
    fs.chmodSync(path.join(dir, 'secrets', 'server-credential.key'), 0o644);
    expect(() => store.get('server-credential')).toThrow(/readable by other users/);
  });

  it('refuses names that could escape the folder', () => {
    const store = createFileSecretStore(tempDir());
    expect(() => store.set('../evil', Buffer.from('x'))).toThrow(/Bad secret name/);
  });

  it('reports writes of an in-memory store to its owner', () => {
    const written: string[] = [];
    const store = createMemorySecretStore({ a: Buffer.from('1') }, (name) => written.push(name));
    expect(store.get('a')?.toString()).toBe('1');
    store.set('b', Buffer.from('2'));
    expect(written).toEqual(['b']);
  });
});

describe('card keys', () => {
  const pan = '4111111111111111';

  it('makes versioned keyed tokens that do not contain the card number', () => {
    const keys = new CardKeys(createFileSecretStore(tempDir()));
    const token = keys.token(pan);
    expect(token).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(token).not.toContain(pan);
    expect(keys.token(pan)).toBe(token);
  });

  it('survives a restart with the same key, and differs between programmes', () => {
    const dir = tempDir();
    const first = new CardKeys(createFileSecretStore(dir)).token(pan);
    expect(new CardKeys(createFileSecretStore(dir)).token(pan)).toBe(first);
    expect(new CardKeys(createFileSecretStore(tempDir())).token(pan)).not.toBe(first);
  });

  it('rotates: new tokens use the new key, old tokens are still recognised', () => {
    const dir = tempDir();
    const keys = new CardKeys(createFileSecretStore(dir));
    const old = keys.token(pan);
    expect(keys.rotate()).toBe(2);
    const reopened = new CardKeys(createFileSecretStore(dir));
    expect(reopened.currentVersion).toBe(2);
    expect(reopened.token(pan)).toMatch(/^v2:/);
    expect(reopened.candidateTokens(pan)).toEqual([reopened.token(pan), old]);
  });
});

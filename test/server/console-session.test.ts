// Console sign-in on both engines: good and bad passwords, expiry, sign-out, failures limited per
// name, every admin route refused without a session, and the console page under its CSP.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminAccount, hashPassword, listAdminAccounts, MAX_FAILURES, setAdminDisabled, setAdminPassword, signIn, verifyPassword } from '../../src-server/admin-accounts';
import { typedLine } from '../../src-server/password-prompt';
import { openDatabase } from '../../src-server/start-server';
import { ADMIN_TOKEN, auditOf, ENGINES, http, OWNER, startConsoleServer } from './console-harness';
import { freshPgliteDir } from './databases';

// Every console route, as [method, path, body]. A new route belongs here, so it is checked too.
const ADMIN_ROUTES: [string, string, unknown?][] = [
  ['GET', '/v1/admin/me'],
  ['POST', '/v1/admin/sign-out', {}],
  ['GET', '/v1/admin/rule-sets'],
  ['GET', '/v1/admin/rule-sets/v1'],
  ['POST', '/v1/admin/rule-sets/validate', { ruleSet: {} }],
  ['POST', '/v1/admin/rule-sets', { ruleSet: {} }],
  ['GET', '/v1/admin/stores'],
  ['POST', '/v1/admin/stores', { name: 'X' }],
  ['POST', '/v1/admin/enrol-codes', { storeId: 'kadikoy' }],
  ['GET', '/v1/admin/terminals'],
  ['POST', '/v1/admin/terminals/t-1/revoke', {}],
];

describe('admin passwords', () => {
  it('are scrypt hashes with their own salt, verified only by the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
});

describe.each(ENGINES)('console sign-in on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startConsoleServer>>;
  beforeAll(async () => {
    ctx = await startConsoleServer(engine);
  });
  afterAll(() => ctx.close());

  it('signs in with the right password and the session acts as that admin', async () => {
    const res = await http(ctx.server, 'POST', '/v1/admin/sign-in', OWNER);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('owner');
    expect(typeof res.body.token).toBe('string');
    expect(res.body.token.length).toBeGreaterThanOrEqual(40);
    expect((await http(ctx.server, 'GET', '/v1/admin/me', undefined, res.body.token)).body).toEqual({ actor: 'owner' });
    // Only the token's hash is stored.
    const rows = await ctx.server.db.query<{ token_hash: string }>('SELECT token_hash FROM admin_sessions');
    expect(rows.some((r) => r.token_hash === res.body.token)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
    expect((await auditOf(ctx.server, 'admin.sign-in')).at(-1)?.actor).toBe('owner');
  });

  it('refuses a wrong password and an unknown name with the same answer', async () => {
    const wrong = await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'owner', password: 'wrong password!' });
    const unknown = await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'nobody', password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'Wrong name or password' });
    expect(unknown.body.error).toEqual(wrong.body.error);
    expect((await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'owner' })).status).toBe(400);
  });

  it('ends a session when it expires and when the admin signs out', async () => {
    const token = await ctx.signIn();
    ctx.clock.offsetMs = 11 * 3_600_000;
    expect((await http(ctx.server, 'GET', '/v1/admin/me', undefined, token)).status).toBe(200);
    ctx.clock.offsetMs = 12 * 3_600_000 + 1000;
    const expired = await http(ctx.server, 'GET', '/v1/admin/me', undefined, token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain('sign in again');
    ctx.clock.offsetMs = 0;

    const other = await ctx.signIn();
    expect((await http(ctx.server, 'POST', '/v1/admin/sign-out', {}, other)).status).toBe(200);
    expect((await http(ctx.server, 'GET', '/v1/admin/me', undefined, other)).status).toBe(401);
    expect((await auditOf(ctx.server, 'admin.sign-out')).at(-1)?.actor).toBe('owner');
  });

  it('refuses every sign-in for a name after repeated failures, for a while', async () => {
    await createAdminAccount(ctx.server.db, 'test', 'manager', 'another good password');
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expect((await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'manager', password: `guess number ${i}` })).status).toBe(401);
    }
    const locked = await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'manager', password: 'another good password' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(locked.body.error.message).toContain('wait 15 minutes');
    // Another name is not affected.
    expect((await http(ctx.server, 'POST', '/v1/admin/sign-in', OWNER)).status).toBe(200);
    ctx.clock.offsetMs = 16 * 60_000;
    expect((await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'manager', password: 'another good password' })).status).toBe(200);
    ctx.clock.offsetMs = 0;
  });

  it('refuses every admin route without a session, with an ended one, or with a terminal credential', async () => {
    const ended = await ctx.signIn();
    await http(ctx.server, 'POST', '/v1/admin/sign-out', {}, ended);
    for (const [method, route, body] of ADMIN_ROUTES) {
      for (const token of [undefined, ended, 'made-up-token']) {
        const res = await http(ctx.server, method, route, body, token);
        expect(res.status, `${method} ${route} with ${token ?? 'no token'}`).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHENTICATED');
      }
    }
    // The admin token keeps working, as actor admin-api.
    expect((await http(ctx.server, 'GET', '/v1/admin/me', undefined, ADMIN_TOKEN)).body).toEqual({ actor: 'admin-api' });
  });

  it('creates admin accounts only with a usable name and password, never twice', async () => {
    await expect(createAdminAccount(ctx.server.db, 'test', 'x', 'long enough password')).rejects.toThrow(/admin name/);
    await expect(createAdminAccount(ctx.server.db, 'test', 'shorty', 'short')).rejects.toThrow(/10 to 200 characters/);
    await expect(createAdminAccount(ctx.server.db, 'test', 'owner', 'long enough password')).rejects.toThrow(/already an admin called owner/);
  });

  it('sets a new password for a forgotten one: the old one and its sessions stop working, the new one works at once', async () => {
    await createAdminAccount(ctx.server.db, 'test', 'forgetful', 'the first password');
    const session = await ctx.signIn('forgetful', 'the first password');
    // Locked out by guessing: the new password still works straight away.
    for (let i = 0; i < MAX_FAILURES; i++) await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'forgetful', password: `guess ${i} wrong` });
    await expect(setAdminPassword(ctx.server.db, 'cli:root', 'forgetful', 'short')).rejects.toThrow(/10 to 200 characters/);
    await expect(setAdminPassword(ctx.server.db, 'cli:root', 'nobody', 'a brand new password')).rejects.toThrow('There is no admin called nobody (admin admins lists them)');
    expect(await setAdminPassword(ctx.server.db, 'cli:root', 'forgetful', 'a brand new password')).toEqual({ name: 'forgetful', sessionsEnded: 1 });
    expect((await http(ctx.server, 'GET', '/v1/admin/me', undefined, session)).status).toBe(401);
    expect((await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'forgetful', password: 'the first password' })).status).toBe(401);
    expect((await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'forgetful', password: 'a brand new password' })).status).toBe(200);
    expect((await auditOf(ctx.server, 'admin.set-password')).at(-1)).toMatchObject({ actor: 'cli:root' });
  });

  it('disables the account of someone who left (sessions end, sign-in refused) and enables it again', async () => {
    await createAdminAccount(ctx.server.db, 'test', 'leaver', 'leaver password 1');
    const session = await ctx.signIn('leaver', 'leaver password 1');
    expect(await setAdminDisabled(ctx.server.db, 'cli:root', 'leaver', true)).toEqual({ name: 'leaver', disabled: true, sessionsEnded: 1 });
    expect((await http(ctx.server, 'GET', '/v1/admin/me', undefined, session)).status).toBe(401);
    const refused = await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'leaver', password: 'leaver password 1' });
    expect(refused.status).toBe(401);
    const listed = (await listAdminAccounts(ctx.server.db)).find((a) => a.name === 'leaver');
    expect(listed?.disabledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(listed?.lastSignInAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expect(setAdminDisabled(ctx.server.db, 'cli:root', 'nobody', true)).rejects.toThrow(/no admin called nobody/);
    expect(await setAdminDisabled(ctx.server.db, 'cli:root', 'leaver', false)).toEqual({ name: 'leaver', disabled: false, sessionsEnded: 0 });
    // The failure the refused sign-in counted is one of five: the account works again.
    expect((await http(ctx.server, 'POST', '/v1/admin/sign-in', { name: 'leaver', password: 'leaver password 1' })).status).toBe(200);
    expect((await listAdminAccounts(ctx.server.db)).find((a) => a.name === 'leaver')?.disabledAt).toBeNull();
    expect((await auditOf(ctx.server, 'admin.disable')).at(-1)).toMatchObject({ actor: 'cli:root' });
    expect((await auditOf(ctx.server, 'admin.enable')).at(-1)).toMatchObject({ actor: 'cli:root' });
  });
});

describe('the console page', () => {
  it('is served with a strict CSP, and says how to build it when it is not built', async () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-console-')), 'not-built');
    const ctx = await startConsoleServer('pglite', { consoleDir: missing });
    try {
      const res = await fetch(`${ctx.server.url}/console`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:console');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    } finally {
      await ctx.close();
    }
    const built = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-console-'));
    fs.mkdirSync(path.join(built, 'assets'));
    fs.writeFileSync(path.join(built, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/console/assets/app.js"></script>');
    fs.writeFileSync(path.join(built, 'assets', 'app.js'), 'export const loaded = true;');
    const served = await startConsoleServer('pglite', { consoleDir: built });
    try {
      for (const route of ['/console', '/console/']) {
        const res = await fetch(`${served.server.url}${route}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('/console/assets/app.js');
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      }
      const script = await fetch(`${served.server.url}/console/assets/app.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-security-policy')).toContain("default-src 'self'");
      // The API outside /console keeps its own headers.
      expect((await fetch(`${served.server.url}/v1/health`)).headers.get('content-security-policy')).toBeNull();
    } finally {
      await served.close();
    }
  });
});

describe('a password typed at a terminal (echo off)', () => {
  it('is what the keys left: backspace and Ctrl-U edit it, arrow keys are not part of it, Ctrl-C cancels', () => {
    expect(typedLine('secret pass')).toEqual({ state: 'typing', text: 'secret pass' });
    expect(typedLine('secret passx\u007f\r')).toEqual({ state: 'done', text: 'secret pass' });
    expect(typedLine('secrett\b password\n')).toEqual({ state: 'done', text: 'secret password' });
    expect(typedLine('wrong\u0015right one here\r')).toEqual({ state: 'done', text: 'right one here' });
    expect(typedLine('pass\u001b[Dword\u001b[C\r')).toEqual({ state: 'done', text: 'password' });
    expect(typedLine('şifre🙂\u007f!\r')).toEqual({ state: 'done', text: 'şifre!' });
    expect(typedLine('half typed\u0003')).toEqual({ state: 'cancelled', text: '' });
    expect(typedLine('first\rsecond')).toEqual({ state: 'done', text: 'first' });
  });
});

describe('admin create-admin on the command line', () => {
  it('creates an account from a password file or from stdin, never from an argument', async () => {
    const cli = fileURLToPath(new URL('../../src-server/cli.ts', import.meta.url));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-cli-'));
    const dbDir = freshPgliteDir();
    const passwordFile = path.join(dir, 'pw.txt');
    fs.writeFileSync(passwordFile, 'first admin password\n');
    const run = (args: string[], input?: string) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'admin', '--data-dir', dbDir, ...args], { input: input ?? '', encoding: 'utf8' });
    const fromFile = run(['create-admin', 'meral', '--password-file', passwordFile]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toEqual({ name: 'meral' });
    const fromStdin = run(['create-admin', 'deniz'], 'second admin password\n');
    expect(fromStdin.status, fromStdin.stderr).toBe(0);
    const short = run(['create-admin', 'ayse'], 'short\n');
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('10 to 200 characters');
    const db = await openDatabase({ pgliteDir: dbDir });
    try {
      expect((await signIn(db, 'meral', 'first admin password', new Date())).name).toBe('meral');
      expect((await signIn(db, 'deniz', 'second admin password', new Date())).name).toBe('deniz');
      const [row] = await db.query<{ actor: string }>("SELECT actor FROM admin_audit WHERE action = 'admin.create' ORDER BY audit_id LIMIT 1");
      expect(row?.actor).toMatch(/^cli:/);
    } finally {
      await db.close();
    }
  }, 240_000);

  it('lists the accounts, sets a new password, disables and enables one, as docs/server.md writes them', async () => {
    const cli = fileURLToPath(new URL('../../src-server/cli.ts', import.meta.url));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-cli-'));
    const dbDir = freshPgliteDir();
    const run = (args: string[], input?: string) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'admin', '--data-dir', dbDir, ...args], { input: input ?? '', encoding: 'utf8' });
    const created = await openDatabase({ pgliteDir: dbDir });
    await createAdminAccount(created, 'test', 'meral', 'first admin password').finally(() => created.close());
    const newPassword = path.join(dir, 'new.txt');
    fs.writeFileSync(newPassword, 'second admin password\n');
    // Run where USER is not set (cron, a systemd unit): the audit still names who ran it.
    const { USER: _user, LOGNAME: _logname, ...envWithoutUser } = process.env;
    const reset = spawnSync(process.execPath, ['--import', 'tsx', cli, 'admin', '--data-dir', dbDir, 'set-password', 'meral', '--password-file', newPassword], { env: envWithoutUser, input: '', encoding: 'utf8' });
    expect(reset.status, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toEqual({ name: 'meral', sessionsEnded: 0 });
    const unknown = run(['set-password', 'nobody'], 'another good password\n');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('There is no admin called nobody (admin admins lists them)');
    const disabled = run(['disable-admin', 'meral']);
    expect(disabled.status, disabled.stderr).toBe(0);
    expect(JSON.parse(disabled.stdout)).toEqual({ name: 'meral', disabled: true, sessionsEnded: 0 });
    const listed = run(['admins']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([{ name: 'meral', createdAt: expect.any(String), disabledAt: expect.any(String), lastSignInAt: null }]);
    const db = await openDatabase({ pgliteDir: dbDir });
    try {
      await setAdminDisabled(db, 'test', 'meral', false);
      await expect(signIn(db, 'meral', 'first admin password', new Date())).rejects.toThrow('Wrong name or password');
      expect((await signIn(db, 'meral', 'second admin password', new Date())).name).toBe('meral');
      const [audit] = await db.query<{ actor: string }>("SELECT actor FROM admin_audit WHERE action = 'admin.set-password'");
      expect(audit?.actor).toBe(`cli:${os.userInfo().username}`);
    } finally {
      await db.close();
    }
  }, 300_000);
});

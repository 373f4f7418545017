import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, methodNames, type MethodName } from '../../src-shared/api/contract';
import type { Session } from '../../src-main/core/handlers/handler-types';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { openCore, tempDir } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

/** A clock the test moves by hand. */
function clock(start = Date.parse('2026-11-24T09:00:00Z')) {
  let t = start;
  return { now: () => new Date(t).toISOString(), advance: (ms: number) => (t += ms) };
}

function value(result: { ok: boolean }) {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return (result as { ok: true; value: any }).value;
}
const errorOf = (result: { ok: boolean }) => (result.ok ? null : (result as { ok: false; error: { code: string; message: string } }).error);

function setUpTerminal(options = {}) {
  const time = clock();
  core = openCore(tempDir(), { now: time.now, ...options });
  const screen = core.sessions.open();
  const manager = value(core.sessions.call(screen, 'auth.setup', { name: 'Meral', pin: '2580' }));
  const cashier = value(core.sessions.call(screen, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }));
  return { core, time, screen, manager, cashier };
}

describe('accounts and sign-in', () => {
  it('starts with a first-run set-up that creates one manager, then refuses it', () => {
    core = openCore(tempDir());
    const screen = core.sessions.open();
    expect(value(core.sessions.call(screen, 'auth.status', {}))).toMatchObject({ user: null, needsSetup: true, users: [] });
    expect(errorOf(core.sessions.call(screen, 'members.lookup', { phone: '05321234567' }))?.code).toBe('UNAUTHENTICATED');
    // A weak PIN is refused with its reason, for the screen to say in its own language.
    expect(errorOf(core.sessions.call(screen, 'auth.setup', { name: 'M', pin: '1234' }))).toMatchObject({
      code: 'VALIDATION',
      details: { issues: [{ path: 'pin', message: expect.stringMatching(/straight run/), reason: 'pin-weak' }] },
    });
    expect(errorOf(core.sessions.call(screen, 'auth.setup', { name: 'M', pin: '12a4' }))).toMatchObject({ details: { issues: [expect.objectContaining({ path: 'pin', reason: 'pin-format' })] } });
    // A control character (a NUL from a scanner's garbage) is refused where it is typed: sealed into a
    // ledger entry, the server could never store it and the terminal's sync would stop there.
    expect(errorOf(core.sessions.call(screen, 'auth.setup', { name: 'Me\u0000ral', pin: '2580' }))).toMatchObject({
      code: 'VALIDATION',
      details: { issues: [{ path: 'name', message: expect.stringMatching(/control characters/), reason: 'control-character' }] },
    });
    const manager = value(core.sessions.call(screen, 'auth.setup', { name: 'Meral', pin: '2580' }));
    expect(value(core.sessions.call(screen, 'auth.status', {}))).toMatchObject({ user: manager, needsSetup: false });
    const other = core.sessions.open();
    expect(errorOf(core.sessions.call(other, 'auth.setup', { name: 'Mallory', pin: '9753' }))?.code).toBe('FORBIDDEN');
  });

  it('stores PINs only as slow hashes', () => {
    const { core: c } = setUpTerminal();
    const rows = c.context.db.prepare('SELECT pin_hash FROM users').all() as { pin_hash: string }[];
    for (const r of rows) {
      expect(r.pin_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(r.pin_hash).not.toContain('2580');
      expect(r.pin_hash).not.toContain('1357');
    }
  });

  it('locks an account after repeated wrong PINs, with growing back-off, and records every attempt', () => {
    const { core: c, time, cashier } = setUpTerminal();
    const screen = c.sessions.open();
    const tries = [1, 2, 3, 4].map(() => errorOf(c.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '0000' })));
    expect(tries.map((e) => e?.message)).toEqual([
      'Wrong PIN (3 tries left before a lock)',
      'Wrong PIN (2 tries left before a lock)',
      'Wrong PIN (1 try left before a lock)',
      'Wrong PIN (0 tries left before a lock)',
    ]);
    expect(errorOf(c.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '0000' }))?.message).toBe('Wrong PIN: Can is locked for 30 s');
    // Even the right PIN is refused while locked.
    expect(errorOf(c.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '1357' }))?.message).toMatch(/locked for 30 s more/);
    time.advance(31_000);
    expect(errorOf(c.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '0000' }))?.message).toBe('Wrong PIN: Can is locked for 60 s');
    time.advance(61_000);
    expect(value(c.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '1357' }))).toMatchObject({ name: 'Can' });
    const audit = c.context.db.prepare("SELECT outcome FROM audit_log WHERE action = 'auth.signIn' ORDER BY seq").all() as { outcome: string }[];
    expect(audit.map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'refused', 'failed', 'ok']);
  });

  it('lets a manager unlock a cashier by setting a new PIN', () => {
    const { core: c, screen, cashier } = setUpTerminal();
    const counter = c.sessions.open();
    for (let i = 0; i < 5; i += 1) c.sessions.call(counter, 'auth.signIn', { userId: cashier.userId, pin: '0000' });
    expect(errorOf(c.sessions.call(counter, 'auth.signIn', { userId: cashier.userId, pin: '1357' }))?.message).toMatch(/locked/);
    value(c.sessions.call(screen, 'users.update', { userId: cashier.userId, pin: '8642' }));
    expect(value(c.sessions.call(counter, 'auth.signIn', { userId: cashier.userId, pin: '8642' })).name).toBe('Can');
  });

  it('signs a screen out after inactivity, but not while it is only polled', () => {
    const { core: c, time, cashier } = setUpTerminal({ idleTimeoutSeconds: 120 });
    const counter = c.sessions.open();
    value(c.sessions.call(counter, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
    time.advance(100_000);
    value(c.sessions.call(counter, 'members.lookup', { phone: '05321234567' }));
    time.advance(100_000);
    value(c.sessions.call(counter, 'terminal.status', {}));
    time.advance(30_000);
    // The screen says why, in its own language (details.reason).
    expect(errorOf(c.sessions.call(counter, 'members.lookup', { phone: '05321234567' }))).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'signed-out' } });
    expect(value(c.sessions.call(counter, 'auth.status', {})).user).toBeNull();
    expect(c.context.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.autoSignOut'").get()).toEqual({ n: 1 });
  });

  it('switches cashiers at a shared counter', () => {
    const { core: c, screen, cashier } = setUpTerminal();
    const second = value(c.sessions.call(screen, 'users.create', { name: 'Deniz', role: 'cashier', pin: '9517' }));
    const counter = c.sessions.open();
    value(c.sessions.call(counter, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
    value(c.sessions.call(counter, 'auth.signIn', { userId: second.userId, pin: '9517' }));
    expect(value(c.sessions.call(counter, 'auth.status', {})).user.name).toBe('Deniz');
    // A name with an escape character in it (a scanner's burst into the field) enrols no one.
    expect(errorOf(c.sessions.call(counter, 'members.enroll', { phone: '05321234567', name: 'Ay\u001b[2Jşe' }))).toMatchObject({ details: { issues: [{ path: 'name', reason: 'control-character' }] } });
    expect(value(c.sessions.call(counter, 'members.lookup', { phone: '05321234567' })).member).toBeNull();
    const enrolled = value(c.sessions.call(counter, 'members.enroll', { phone: '05321234567' }));
    const record = value(c.sessions.call(screen, 'audit.list', { action: 'members.enroll' })).records[0];
    expect(record).toMatchObject({ userId: second.userId, role: 'cashier', details: { result: { memberId: enrolled.member.memberId } } });
    // Deactivated meanwhile: refused, and the screen can say why.
    value(c.sessions.call(screen, 'users.update', { userId: second.userId, active: false }));
    expect(errorOf(c.sessions.call(counter, 'auth.signIn', { userId: second.userId, pin: '9517' }))).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'account-unavailable' } });
  });

  it('runs one action with a manager override and records both people', () => {
    const { core: c, screen, manager, cashier } = setUpTerminal();
    const counter = c.sessions.open();
    value(c.sessions.call(counter, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
    expect(errorOf(c.sessions.call(counter, 'users.list', {}))?.code).toBe('FORBIDDEN');
    expect(errorOf(c.sessions.call(counter, 'users.list', { managerOverride: { userId: manager.userId, pin: '0000' } }))?.code).toBe('UNAUTHENTICATED');
    expect(errorOf(c.sessions.call(counter, 'users.list', { managerOverride: { userId: cashier.userId, pin: '1357' } }))?.code).toBe('FORBIDDEN');
    const created = value(c.sessions.call(counter, 'users.create', { name: 'Ece', role: 'cashier', pin: '7531', managerOverride: { userId: manager.userId, pin: '2580' } }));
    expect(created.name).toBe('Ece');
    // The override was for that one call only.
    expect(errorOf(c.sessions.call(counter, 'users.list', {}))?.code).toBe('FORBIDDEN');
    const record = value(c.sessions.call(screen, 'audit.list', { action: 'users.create' })).records[0];
    expect(record).toMatchObject({ userId: cashier.userId, details: { approvedBy: manager.userId, args: { pin: '[redacted]' } } });
  });

  it('keeps at least one active manager', () => {
    const { core: c, screen, manager } = setUpTerminal();
    expect(errorOf(c.sessions.call(screen, 'users.update', { userId: manager.userId, role: 'cashier' }))?.message).toMatch(/at least one active manager/);
    expect(errorOf(c.sessions.call(screen, 'users.update', { userId: manager.userId, active: false }))?.message).toMatch(/at least one active manager/);
  });
});

describe('role table', () => {
  const RANK = { public: 0, cashier: 1, manager: 2 } as const;
  // Each case gets its own copy of one terminal set up once (a manager and a cashier): a call may
  // change the terminal, and setting one up (migrations, two PIN hashes) is most of a case's time.
  let template = '';
  let manager: { userId: string };
  let cashier: { userId: string };
  beforeAll(() => {
    template = tempDir();
    const set = openCore(template, { now: clock().now });
    const screen = set.sessions.open();
    manager = value(set.sessions.call(screen, 'auth.setup', { name: 'Meral', pin: '2580' }));
    cashier = value(set.sessions.call(screen, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }));
    set.close();
  });
  const copyOfTemplate = (): TerminalCore => {
    const dataDir = path.join(tempDir(), 'terminal');
    fs.cpSync(template, dataDir, { recursive: true });
    core = openCore(dataDir, { now: clock().now });
    return core;
  };
  // Generated from the contract: every method, for every kind of caller.
  const callers = ['public', 'cashier', 'manager'] as const;
  for (const method of methodNames) {
    for (const who of callers) {
      const allowed = RANK[who] >= RANK[api[method].role];
      it(`${method} is ${allowed ? 'allowed' : 'refused'} for ${who}`, async () => {
        const c = copyOfTemplate();
        const session: Session = c.sessions.open();
        if (who === 'cashier') value(c.sessions.call(session, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
        if (who === 'manager') value(c.sessions.call(session, 'auth.signIn', { userId: manager.userId, pin: '2580' }));
        // Arguments are deliberately empty: authorisation is decided before validation.
        // Through callAsync, as the transports call: it serves every method, network ones too.
        const error = errorOf(await c.sessions.callAsync(session, method as MethodName, {}));
        if (allowed) expect(['UNAUTHENTICATED', 'FORBIDDEN']).not.toContain(error?.code ?? 'none');
        else expect(error?.code).toBe(who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      });
    }
  }
});

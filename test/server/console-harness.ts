// A server for the console route tests: a fresh database (PGlite or PostgreSQL), a clock the test
// moves, one admin account, and helpers to sign in and call the admin API.
import { createAdminAccount } from '../../src-server/admin-accounts';
import { createStore } from '../../src-server/admin';
import { startServer } from '../../src-server/start-server';
import { freshDatabase, type Engine } from './databases';
import { ADMIN_TOKEN, http } from './sim-terminal';

export { ADMIN_TOKEN, ENGINES, http, SimTerminal, type Engine } from './server-harness';

export const OWNER = { name: 'owner', password: 'correct horse battery' };

export async function startConsoleServer(engine: Engine, options: { signInLimitPerMinute?: number; consoleDir?: string } = {}) {
  const { choice, drop } = await freshDatabase(engine);
  const clock = { offsetMs: 0 };
  const now = () => new Date(Date.now() + clock.offsetMs);
  const server = await startServer({ database: choice, port: 0, adminToken: ADMIN_TOKEN, rateLimitPerMinute: 100_000, enrolLimitPerMinute: 1000, signInLimitPerMinute: options.signInLimitPerMinute ?? 1000, now, ...(options.consoleDir ? { consoleDir: options.consoleDir } : {}) });
  await createStore(server.db, 'test', 'Kadıköy', 'kadikoy');
  await createAdminAccount(server.db, 'test', OWNER.name, OWNER.password);
  const signIn = async (name = OWNER.name, password = OWNER.password): Promise<string> => {
    const res = await http(server, 'POST', '/v1/admin/sign-in', { name, password });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  return {
    server,
    clock,
    signIn,
    async close() {
      await server.close();
      await drop();
    },
  };
}

/** admin_audit rows of one action, oldest first. */
export async function auditOf(server: { db: { query<T>(sql: string, params?: unknown[]): Promise<T[]> } }, action: string) {
  return server.db.query<{ actor: string; details: any }>('SELECT actor, details FROM admin_audit WHERE action = $1 ORDER BY audit_id', [action]);
}

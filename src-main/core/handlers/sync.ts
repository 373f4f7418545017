import type { CoreContext } from '../core-context';
import { dayReport } from '../day-report';
import type { SyncClient } from '../sync/sync-client';
import type { HandlerMap } from './handler-types';

type SyncMethods = 'terminal.enrol' | 'sync.status' | 'sync.now' | 'members.confirmBalance' | 'reports.day';

export const syncHandlers = (ctx: CoreContext, client: SyncClient): HandlerMap<SyncMethods> => ({
  'terminal.enrol': ({ serverUrl, code, name }) => client.enrol(serverUrl, code, name),
  'sync.status': () => client.status(),
  'sync.now': ({ timeoutSeconds }) => client.syncNow(timeoutSeconds * 1000),
  'members.confirmBalance': ({ memberId, timeoutMs }) => client.confirmBalance(memberId, timeoutMs),
  'reports.day': ({ day }) => dayReport(ctx, client.status(), day),
});

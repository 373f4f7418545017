import { because, KasaError } from '../../../src-shared/api/errors';
import type { AccountsRepo } from '../accounts-repo';
import type { CoreContext } from '../core-context';
import type { CallerContext, HandlerMap } from './handler-types';

type AccountMethods = 'auth.status' | 'auth.setup' | 'auth.signIn' | 'auth.signOut' | 'users.list' | 'users.create' | 'users.update';

const requireSession = (caller: CallerContext) => {
  if (!caller.session) throw new KasaError('UNAUTHENTICATED', 'Signing in needs a screen session');
  return caller.session;
};

export function accountHandlers(ctx: CoreContext, accounts: AccountsRepo, idleTimeoutSeconds: number): HandlerMap<AccountMethods> {
  const signInto = (caller: CallerContext, userId: string) => {
    const session = requireSession(caller);
    session.userId = userId;
    session.lastActivityMs = Date.parse(ctx.now());
  };
  return {
    'auth.status': (_args, caller) => ({
      user: caller.session?.userId ? accounts.get(caller.session.userId) : null,
      needsSetup: accounts.count() === 0,
      // For quick switching at a shared counter: names and roles only.
      users: accounts.list().filter((u) => u.active),
      idleTimeoutSeconds,
    }),
    'auth.setup': (args, caller) => {
      requireSession(caller);
      if (accounts.count() > 0) throw new KasaError('FORBIDDEN', 'This terminal already has a manager: sign in instead', because('manager-exists'));
      const user = accounts.create(args.name, 'manager', args.pin);
      signInto(caller, user.userId);
      return user;
    },
    'auth.signIn': (args, caller) => {
      requireSession(caller);
      const user = accounts.verify(args.userId, args.pin, 'auth.signIn');
      signInto(caller, user.userId);
      return user;
    },
    'auth.signOut': (_args, caller) => {
      const session = requireSession(caller);
      const signedOut = session.userId !== null;
      session.userId = null;
      return { signedOut };
    },
    'users.list': () => ({ users: accounts.staff() }),
    'users.create': (args) => accounts.create(args.name, args.role, args.pin),
    'users.update': (args) => accounts.update(args.userId, args),
  };
}

// The admin commands themselves (`npm run server -- admin ...`), run on the database once cli.ts
// has checked the command line: this module loads the database drivers and the server's modules.
import { KasaError } from '../src-shared/api/errors';
import { OFFER_STATUSES, type OfferStatus } from '../src-shared/program/offers';
import { createAdminAccount, listAdminAccounts, setAdminDisabled, setAdminPassword } from './admin-accounts';
import { createEnrolCode, createStore, installRuleSet, listExceptions, listTerminals, resolveException, revokeTerminal } from './admin';
import { installCatalogue, listCatalogues } from './catalogue';
import { pruneFeed } from './feed';
import { rebuildInsights } from './insights/insight-rebuild';
import { listOffers, offerUptake, runOffers, UPTAKE_PERIODS, type UptakePeriod } from './offers';
import { promptHidden } from './password-prompt';
import { openDatabase, type DatabaseChoice } from './start-server';

/** A checked command line: the command, its words, what cli.ts read and parsed for it, and its options. */
export type AdminCommandInput = {
  command: string;
  rest: string[];
  exceptionId: number | undefined;
  validHours: number | undefined;
  /** The JSON document of install-rule-set and install-catalogue. */
  document: unknown;
  /** From --password-file; otherwise asked for. */
  password: string | undefined;
  options: {
    storeId: string | undefined;
    activeFrom: string | undefined;
    all: boolean;
    kind: string | undefined;
    date: string | undefined;
    member: string | undefined;
    status: string | undefined;
    from: string | undefined;
    to: string | undefined;
    period: string | undefined;
    keepDays: string | undefined;
  };
};

export async function runAdminCommand(database: DatabaseChoice, actor: string, input: AdminCommandInput): Promise<unknown> {
  const { command, rest, exceptionId, validHours, document, password, options } = input;
  const db = await openDatabase(database);
  try {
    switch (command) {
      case 'create-admin':
        return await createAdminAccount(db, actor, rest[0] ?? '', password ?? (await readPassword(rest[0] ?? '')));
      case 'admins':
        return await listAdminAccounts(db);
      case 'set-password': {
        const name = rest[0] ?? '';
        // Said before the password is asked for, not after it was typed twice.
        if (!(await listAdminAccounts(db)).some((account) => account.name === name)) throw new KasaError('NOT_FOUND', `There is no admin called ${name} (admin admins lists them)`);
        return await setAdminPassword(db, actor, name, password ?? (await readPassword(name)));
      }
      case 'disable-admin':
      case 'enable-admin':
        return await setAdminDisabled(db, actor, rest[0] ?? '', command === 'disable-admin');
      case 'create-store':
        return await createStore(db, actor, rest.join(' '), options.storeId);
      case 'create-enrol-code':
        return await createEnrolCode(db, actor, rest[0] ?? '', validHours);
      case 'install-rule-set':
        return await installRuleSet(db, actor, document, options.activeFrom);
      case 'install-catalogue':
        return await installCatalogue(db, actor, document);
      case 'catalogues':
        return await listCatalogues(db);
      case 'exceptions':
        return await listExceptions(db, { ...(options.all ? {} : { open: true }), ...(options.kind ? { kind: options.kind } : {}) });
      case 'resolve-exception':
        await resolveException(db, actor, exceptionId ?? 0, rest.slice(1).join(' '));
        return { resolved: exceptionId };
      case 'terminals':
        return await listTerminals(db);
      case 'revoke-terminal':
        await revokeTerminal(db, actor, rest[0] ?? '');
        return { revoked: rest[0] };
      case 'rebuild-insights':
        return await rebuildInsights(db);
      case 'compute-offers':
        return await runOffers(db, { date: options.date, memberId: options.member });
      case 'offers': {
        const status = options.status;
        if (status !== undefined && !(OFFER_STATUSES as readonly string[]).includes(status)) throw new KasaError('VALIDATION', `--status must be one of ${OFFER_STATUSES.join(', ')}`);
        return await listOffers(db, { memberId: options.member, status: status as OfferStatus | undefined });
      }
      case 'offer-uptake': {
        const period = options.period;
        if (period !== undefined && !(UPTAKE_PERIODS as readonly string[]).includes(period)) throw new KasaError('VALIDATION', `--period must be one of ${UPTAKE_PERIODS.join(', ')}`);
        return await offerUptake(db, { from: options.from, to: options.to, period: period as UptakePeriod | undefined });
      }
      case 'prune-feed':
        return { deleted: await pruneFeed(db, Number(options.keepDays ?? 'NaN')) };
      default:
        throw new KasaError('VALIDATION', `Unknown admin command "${command}"`);
    }
  } finally {
    await db.close();
  }
}

/**
 * A new password: on a terminal, asked for twice without showing it (a typo nobody sees would
 * otherwise become the password); from a pipe, its first line. Never an argument: ps shows those.
 */
async function readPassword(name: string): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) {
    try {
      const first = await promptHidden(`Password for ${name} (not shown): `);
      const again = await promptHidden('The same password again: ');
      if (first !== again) throw new KasaError('VALIDATION', 'The two passwords differ: nothing was changed. Run the command again.');
      return first;
    } catch (error) {
      if (error instanceof KasaError) throw error;
      throw new KasaError('VALIDATION', 'Cancelled: nothing was changed');
    }
  }
  input.setEncoding('utf8');
  let text = '';
  try {
    for await (const chunk of input) {
      text += String(chunk);
      if (/[\r\n]/.test(text)) break;
    }
  } finally {
    input.pause();
  }
  return text.split(/\r?\n|\r/)[0] ?? '';
}

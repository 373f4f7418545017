// The role table of docs/local-api.md, generated from the contract (src-shared/api/contract.ts):
// every method, the least role it needs, and what a cashier may still not do with it.
// `npx tsx scripts/role-table.ts` rewrites the table in place; test/core/role-table.test.ts checks it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, methodNames } from '../src-shared/api/contract';

export const ROLE_TABLE_START = '<!-- role-table:start (generated: npx tsx scripts/role-table.ts) -->';
export const ROLE_TABLE_END = '<!-- role-table:end -->';
export const LOCAL_API_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/local-api.md');

const WHO = { public: 'anyone (public)', cashier: 'cashier, manager', manager: 'manager (a cashier with a manager override)' } as const;

export function roleTable(): string {
  const rows = [...methodNames].sort().map((name) => {
    const spec: { role: keyof typeof WHO; mutates: boolean; cashierLimit?: string } = api[name];
    return `| \`${name}\` | ${WHO[spec.role]} | ${spec.mutates ? 'yes' : 'no'} | ${spec.cashierLimit ?? ''} |`;
  });
  return ['| method | who may call it | changes state | cashier limit |', '|---|---|---|---|', ...rows].join('\n');
}

/** The table as documented, or null when the markers are missing. */
export function documentedRoleTable(doc: string): string | null {
  const start = doc.indexOf(ROLE_TABLE_START);
  const end = doc.indexOf(ROLE_TABLE_END);
  return start < 0 || end < start ? null : doc.slice(start + ROLE_TABLE_START.length, end).trim();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const doc = fs.readFileSync(LOCAL_API_DOC, 'utf8');
  const start = doc.indexOf(ROLE_TABLE_START);
  const end = doc.indexOf(ROLE_TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/local-api.md has no ${ROLE_TABLE_START} ... ${ROLE_TABLE_END} markers`);
  fs.writeFileSync(LOCAL_API_DOC, `${doc.slice(0, start + ROLE_TABLE_START.length)}\n${roleTable()}\n${doc.slice(end)}`);
  console.log('docs/local-api.md: role table regenerated');
}

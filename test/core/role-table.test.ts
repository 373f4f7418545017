// The role table in docs/local-api.md is generated from the contract (scripts/role-table.ts): every
// method with the least role it needs and what a cashier may still not do with it. When a method is
// added or a role changes this fails until `npx tsx scripts/role-table.ts` is run. (The per-role
// allowed / refused calls, also generated from the contract, are in accounts.test.ts, "role table".)
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { api, methodNames } from '../../src-shared/api/contract';
import { documentedRoleTable, LOCAL_API_DOC, roleTable } from '../../scripts/role-table';

describe('role table', () => {
  it('in docs/local-api.md is the one generated from the contract', () => {
    const documented = documentedRoleTable(fs.readFileSync(LOCAL_API_DOC, 'utf8'));
    expect(documented, 'docs/local-api.md needs the role-table markers').not.toBeNull();
    expect(documented, 'out of date: run `npx tsx scripts/role-table.ts`').toBe(roleTable());
  });

  it('has a row for every method, members.adjust as manager only, and refunds limited for cashiers', () => {
    const table = roleTable();
    for (const name of methodNames) expect(table).toContain(`| \`${name}\` |`);
    expect(api['members.adjust'].role).toBe('manager');
    expect(table).toContain('| `members.adjust` | manager (a cashier with a manager override) | yes |');
    expect(table).toMatch(/\| `sales\.refund` \| cashier, manager \| yes \| only their own sales/);
  });
});

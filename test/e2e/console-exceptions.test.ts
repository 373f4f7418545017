// The Exceptions queue in Chromium: two terminal cores, cut off from the server, both let the same
// member spend the same points; both sync; the over-drawn balance appears in the console's queue;
// the owner resolves it with an adjustment; the server's balance is right and, after a sync, so is
// a terminal's. Real parts throughout: a server on PGlite, SQLite terminals, a TCP proxy that
// refuses connections, Debian's Chromium.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, cashier } from '../core/helpers';
import { auditOf, OWNER, startConsoleServer } from '../server/console-harness';
import { SimTerminal } from '../server/sim-terminal';
import { FaultProxy } from '../sync/fault-proxy';
import { balanceOf, enrolTerminal, openTerminal, sell, serverBalance, syncNow } from '../sync/sync-harness';
import { launchChromium, shot, signInToConsole } from './chromium';

const consoleDir = path.resolve(__dirname, '../../dist/console');
const PHONE = '+905327770001';

/** A sale paid entirely with points (1 point = 0.01), so it earns none and the sums stay simple. */
const redeem = (core: TerminalCore, memberId: string, points: number, key: string) =>
  core.dispatch('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: points }], redeemPoints: points, idempotencyKey: key }, cashier);

describe('the exceptions queue in Chromium', () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let ctx: Awaited<ReturnType<typeof startConsoleServer>>;
  let proxy: FaultProxy;
  let a: TerminalCore;
  let b: TerminalCore;

  beforeAll(async () => {
    expect(fs.existsSync(path.join(consoleDir, 'index.html')), 'run npm run build:console first').toBe(true);
    ({ browser, close: closeBrowser } = await launchChromium());
    ctx = await startConsoleServer('pglite', { consoleDir });
    proxy = await new FaultProxy(ctx.server.port).start();
    [a, b] = [openTerminal(), openTerminal()];
    await enrolTerminal(a, ctx.server, proxy.url);
    await enrolTerminal(b, ctx.server, proxy.url);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await proxy?.close();
    await ctx?.close();
    await closeBrowser?.();
  });

  it('shows an offline double redemption and resolves it with an adjustment that reaches a terminal', async () => {
    const memberId = sell(a, PHONE, 50_000).member!.memberId; // 500 points
    await syncNow(a);
    await syncNow(b);
    expect(balanceOf(b, PHONE)).toBe(500);

    // Both terminals lose the server; each lets the member spend 400 of the 500 it last confirmed.
    await proxy.setMode('refuse');
    expect(redeem(a, memberId, 400, 'offline-a').ok).toBe(true);
    expect(redeem(b, memberId, 400, 'offline-b').ok).toBe(true);
    await proxy.setMode('pass');
    await syncNow(a);
    await syncNow(b);
    expect(await serverBalance(ctx.server, PHONE)).toBe(-300);

    const page = await browser.newPage();
    try {
      await signInToConsole(page, ctx.server.url, OWNER);
      await page.getByRole('button', { name: 'Exceptions', exact: true }).click();

      const item = page.locator('article[data-kind="negative-balance"]');
      await item.waitFor();
      // Filtered to the kind and the store: still there.
      const filters = page.getByRole('form', { name: 'Filters' });
      await filters.getByLabel('Kind').selectOption('negative-balance');
      await filters.getByLabel('Store').selectOption({ label: 'Kadıköy' });
      await filters.getByRole('button', { name: 'Apply' }).click();
      await item.waitFor();
      expect(await page.locator('article[data-exception]').count()).toBe(1);
      await expect.poll(() => item.getByTestId('member-balance').textContent()).toBe('-300');
      // The two redemptions behind it, one from each terminal.
      const rows = item.locator('tbody tr');
      expect(await rows.count()).toBe(2);
      expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('-400'), expect.stringContaining('-400')]));
      // What happened in words (not "balance: -300 · batchDelta: -400"), the store by name, times in one local format.
      expect(await item.getByTestId('what-happened').textContent()).toMatch(/^The balance went down to -\d+ points when terminal \S+ sent -400 points in one sync/);
      expect(await rows.first().textContent()).toContain('Kadıköy');
      expect((await rows.allTextContents()).filter((t) => /\d{4}-\d{2}-\d{2}T\d{2}:/.test(t))).toEqual([]);
      // The member is one click away: their page on the Members page (it was an id to copy into a search).
      await item.getByRole('button', { name: `Open member ${memberId}'s page` }).click();
      await page.getByLabel(`Member ${memberId}`).waitFor();
      await expect.poll(() => page.getByTestId('detail-balance').textContent()).toBe('-300');
      await page.getByRole('button', { name: 'Exceptions', exact: true }).click();
      await item.waitFor();

      await item.getByRole('button', { name: 'Adjust balance' }).click();
      const form = item.getByRole('form');
      // Prefilled with what brings the member back to zero, and the double-redemption reason.
      expect(await form.getByLabel('Points (negative takes away)').inputValue()).toBe('300');
      expect(await form.getByLabel('Reason code').inputValue()).toBe('offline-double-redemption');
      await form.getByLabel('Note').fill('two tills offline at once');
      await form.getByRole('button', { name: 'Adjust and resolve' }).click();
      await page.getByRole('status').filter({ hasText: 'updated' }).waitFor();
      // Resolved: gone from the open queue.
      await expect.poll(() => page.locator('article[data-kind="negative-balance"]').count()).toBe(0);
    } finally {
      await page.close();
    }

    expect(await serverBalance(ctx.server, PHONE)).toBe(0);
    const [adjusted] = await auditOf(ctx.server, 'member.adjust');
    expect(adjusted).toMatchObject({ actor: OWNER.name, details: { memberId, points: 300, reasonCode: 'offline-double-redemption' } });
    const [exception] = await ctx.server.db.query<{ resolved_by: string; resolution: string }>("SELECT resolved_by, resolution FROM exceptions WHERE kind = 'negative-balance'");
    expect(exception).toEqual({ resolved_by: OWNER.name, resolution: 'adjusted +300 points (offline-double-redemption): two tills offline at once' });

    // The adjustment reaches the terminals through the change feed as the member's balance.
    await syncNow(a);
    await syncNow(b);
    expect(balanceOf(a, PHONE)).toBe(0);
    expect(balanceOf(b, PHONE)).toBe(0);
    expect(call(a, 'members.get', { memberId }).balance).toBe(0);

    // The Members page finds the member by phone, shows the history across both terminals with
    // the owner's adjustment, and adjusts again with a reason code.
    const members = await browser.newPage();
    try {
      await signInToConsole(members, ctx.server.url, OWNER);
      await members.getByRole('button', { name: 'Members', exact: true }).click();
      await members.getByLabel('Phone, card last four, loyalty card or name').fill('7770001');
      await members.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => members.getByTestId('detail-balance').textContent()).toBe('0');
      // Enrolled by phone alone: the page says the member has no name (it showed the id twice).
      expect((await members.getByRole('heading', { level: 2 }).first().textContent())?.trim()).toBe(`no name ${memberId}`);
      // Where the member was enrolled, by the store's name (it showed the terminal's id alone).
      expect(await members.getByText(/^Enrolled:/).textContent()).toMatch(/\(Kadıköy · .+\)$/);
      const history = members.locator('table').last().locator('tbody tr');
      const texts = await history.allTextContents();
      expect(texts.filter((t) => t.includes('redeem') && t.includes('-400') && t.includes('Kadıköy'))).toHaveLength(2);
      expect(texts.some((t) => t.includes('adjust') && t.includes('300') && t.includes('offline-double-redemption'))).toBe(true);
      const adjust = members.getByRole('form', { name: 'Adjust balance' });
      await adjust.getByLabel('Points (negative takes away)').fill('25');
      await adjust.getByLabel('Reason code').selectOption('goodwill');
      await adjust.getByLabel('Note').fill('sorry for the wait');
      await adjust.getByRole('button', { name: 'Adjust' }).click();
      // Nothing changes before the owner sees the balance it leads to and confirms.
      const confirm = members.getByRole('alertdialog', { name: 'Adjust balance' });
      expect(await confirm.textContent()).toContain('Add 25 points to');
      expect(await confirm.textContent()).toContain('The balance goes from 0 to 25');
      expect(await serverBalance(ctx.server, PHONE)).toBe(0);
      await confirm.getByRole('button', { name: 'Yes, adjust' }).click();
      await members.getByRole('status').filter({ hasText: 'the balance is now 25' }).waitFor();
      await expect.poll(() => members.getByTestId('detail-balance').textContent()).toBe('25');
    } finally {
      await members.close();
    }
    expect(await serverBalance(ctx.server, PHONE)).toBe(25);
    await syncNow(b);
    expect(balanceOf(b, PHONE)).toBe(25);
  });

  it('finds a member by a loyalty card linked at a till, and takes the card off them for every store', async () => {
    const memberId = sell(a, '+905327770009', 1_000).member!.memberId;
    call(a, 'members.linkCard', { memberId, loyaltyCardNumber: 'LOY-E2E-1' }, cashier);
    await syncNow(a);
    await syncNow(b);
    expect(call(b, 'devices.keyboardScan', { text: 'LOY-E2E-1' }, cashier).member?.memberId).toBe(memberId);

    const page = await browser.newPage();
    try {
      await signInToConsole(page, ctx.server.url, OWNER);
      await page.getByRole('button', { name: 'Members', exact: true }).click();
      // The number as printed on the card, whatever its letter case.
      await page.getByLabel('Phone, card last four, loyalty card or name').fill('loy-e2e-1');
      await page.getByRole('button', { name: 'Search' }).click();
      const cards = page.getByRole('list', { name: 'Linked cards' });
      await expect.poll(() => cards.textContent()).toMatch(/^LOY-E2E-1 \(linked .+ at .+\) Unlink card$/);
      await cards.getByRole('button', { name: 'Unlink card' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Unlink card' });
      expect(await confirm.textContent()).toContain('Take LOY-E2E-1 off this member?');
      await confirm.getByRole('button', { name: 'Unlink card' }).click();
      await page.getByRole('status').filter({ hasText: 'LOY-E2E-1 is no longer linked to this member.' }).waitFor();
      await expect.poll(() => page.getByRole('list', { name: 'Linked cards' }).count()).toBe(0);
    } finally {
      await page.close();
    }
    const [unlinked] = await auditOf(ctx.server, 'member.unlinkCard');
    expect(unlinked).toMatchObject({ actor: OWNER.name, details: { memberId, kind: 'loyalty', cardNumber: 'LOY-E2E-1' } });
    await syncNow(b);
    expect(call(b, 'devices.keyboardScan', { text: 'LOY-E2E-1' }, cashier).member).toBeNull();
  });

  it('pages the queue both ways: older exceptions, and back to the newest', async () => {
    // Points for 55 members the server has never seen: one exception each.
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    for (let i = 0; i < 55; i += 1) t.earn(`never-enrolled-${String(i).padStart(2, '0')}`, 1000);
    expect((await t.push(ctx.server, t.entries)).status).toBe(200);

    const page = await browser.newPage();
    try {
      await signInToConsole(page, ctx.server.url, OWNER);
      await page.getByRole('button', { name: 'Exceptions', exact: true }).click();
      const items = page.locator('article[data-kind]');
      await expect.poll(() => items.count()).toBe(50);
      const newest = await items.first().textContent();
      expect(await page.getByRole('button', { name: 'Newest exceptions' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Older exceptions' }).click();
      await expect.poll(async () => (await items.first().textContent()) !== newest).toBe(true);
      expect(await items.count()).toBeLessThan(50);
      // The way back to the top of the queue, without touching the filters.
      await page.getByRole('button', { name: 'Newest exceptions' }).click();
      await expect.poll(() => items.first().textContent()).toBe(newest);
      expect(await items.count()).toBe(50);
    } finally {
      await page.close();
    }
  });

  it('finds one member among many: says more match, opens one from far down the list in view, and pages a long history', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const ids = Array.from({ length: 60 }, (_, i) => t.enrolMember(`+9053288${String(i).padStart(5, '0')}`, undefined, { name: `Kuzucuoğlu ${String(i).padStart(2, '0')}`, deviceTime: '2026-01-05T09:00:00.000Z' }).memberId);
    // Kuzucuoğlu 00 has shopped 230 times: more than a member's page shows at first.
    for (let i = 0; i < 230; i += 1) t.earn(ids[0]!, 1000, { deviceTime: new Date(Date.UTC(2026, 1, 1, 9) + i * 3_600_000).toISOString() });
    expect((await t.push(ctx.server, t.entries)).status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await signInToConsole(page, ctx.server.url, OWNER);
      await page.getByRole('button', { name: 'Members', exact: true }).click();
      // Three digits of a phone find no one (a phone is found by 4 or more): the page says why.
      await page.getByLabel('Phone, card last four, loyalty card or name').fill('328');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByText('No member matches: a phone number is found by 4 or more of its digits.').waitFor();
      await page.getByLabel('Phone, card last four, loyalty card or name').fill('kuzucuoğlu');
      await page.getByRole('button', { name: 'Search' }).click();
      const rows = page.getByRole('table', { name: 'Matching members' }).locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(50);
      // Not all 60 fit: the page says so and what to do, instead of passing 50 off as every match.
      expect(await page.getByRole('status').filter({ hasText: 'More than 50 members match' }).textContent()).toContain('Type more of the name or phone number');
      await shot(page, 'console-members-many');

      // Opened from the 45th row, far below the fold: the member's page is where the owner looks.
      // (Which 50 of the 60 are listed is the search's to choose: it stops at the first matches.)
      const opened = Number(/Kuzucuoğlu (\d\d)/.exec((await rows.nth(44).textContent()) ?? '')?.[1]);
      expect(opened).toBeGreaterThanOrEqual(0);
      const mergedIn = opened === 45 ? 46 : 45;
      await rows.nth(44).getByRole('button', { name: 'Open' }).click();
      const heading = page.getByRole('heading', { name: `Kuzucuoğlu ${String(opened).padStart(2, '0')}` });
      await heading.waitFor();
      await expect.poll(async () => {
        const box = await heading.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 800;
      }).toBe(true);
      // Merging finds the other member by phone, name or id, and asks about them by name, phone and balance.
      const merge = page.getByRole('form', { name: 'Merge another member into this one' });
      const mergeField = merge.getByLabel('Member to merge in: phone, name or id');
      await mergeField.fill('no-such-member');
      await merge.getByRole('button', { name: 'Merge' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('No other member matches “no-such-member”. Type their phone number, part of their name, or their member id.');
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      // A phone that one member has: asked about at once (and cancelled here).
      await mergeField.fill(`+9053288000${mergedIn}`);
      await merge.getByRole('button', { name: 'Merge' }).click();
      const askedOnce = page.getByRole('alertdialog', { name: 'Merge another member into this one' });
      await expect.poll(() => askedOnce.textContent()).toContain(`Merge Kuzucuoğlu ${mergedIn} (${ids[mergedIn]}`);
      await askedOnce.getByRole('button', { name: 'Cancel' }).click();
      // Part of a name that several members share: the owner chooses (this member itself is not offered).
      await mergeField.fill(`Kuzucuoğlu ${String(mergedIn).slice(0, 1)}`);
      await merge.getByRole('button', { name: 'Merge' }).click();
      const choices = page.getByRole('table', { name: 'Members to merge in' }).locator('tr');
      await expect.poll(() => choices.count()).toBe(opened >= 40 && opened <= 49 ? 9 : 10);
      expect(await choices.filter({ hasText: `Kuzucuoğlu ${String(opened).padStart(2, '0')}` }).count()).toBe(0);
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      await choices.filter({ hasText: `Kuzucuoğlu ${mergedIn}` }).getByRole('button', { name: 'Merge this one' }).click();
      const confirmMerge = page.getByRole('alertdialog', { name: 'Merge another member into this one' });
      await expect.poll(() => confirmMerge.textContent()).toContain(`Merge Kuzucuoğlu ${mergedIn} (${ids[mergedIn]}, +9053288000${mergedIn}, 0 points) into Kuzucuoğlu ${String(opened).padStart(2, '0')}?`);
      await confirmMerge.getByRole('button', { name: 'Yes, merge' }).click();
      await page.getByRole('status').filter({ hasText: `${ids[mergedIn]} was merged into this member` }).waitFor();

      // And back to the list.
      await page.getByRole('button', { name: 'Back to the 50 matching members shown' }).click();
      await expect.poll(() => rows.count()).toBe(50);

      // 231 history rows: the newest 200 first, older ones on request, every time in one local format.
      await page.getByLabel('Phone, card last four, loyalty card or name').fill('+905328800000');
      await page.getByRole('button', { name: 'Search' }).click();
      const history = page.locator('table').last().locator('tbody tr');
      await expect.poll(() => history.count()).toBe(200);
      // 230 sales of 10 points: points are written with thousands separators, as money is.
      expect(await page.getByTestId('detail-balance').textContent()).toBe('2,300');
      expect(await page.getByText('The newest 200 entries are shown.').count()).toBe(1);
      const whenCells = await history.locator('td:first-child').allTextContents();
      expect(whenCells.filter((w) => /\d{4}-\d{2}-\d{2}T/.test(w))).toEqual([]);
      expect(whenCells[0]).toBe(new Date(Date.UTC(2026, 1, 1, 9) + 229 * 3_600_000).toLocaleString('en-US'));
      await page.getByRole('button', { name: 'Show older entries' }).click();
      await expect.poll(() => history.count()).toBe(231);
      expect(await page.getByRole('button', { name: 'Show older entries' }).count()).toBe(0);
      expect(await history.last().textContent()).toContain('enrol');
    } finally {
      await page.close();
    }
  });
});

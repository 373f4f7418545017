// The counter's trust rules from Settings in Chromium through the browser host (issue 7): a manager
// makes redemptions need the card (or the customer PIN) and shortens the cashier refund window; the
// core keeps the new rules (a fresh page reads them back), and hours beyond 720 are not sent.
import { describe, expect, it } from 'vitest';
import { startHost } from '../../src-main/host/host-server';
import { call, tempDir } from '../core/helpers';
import { chromiumForFile, createFirstManager, rendererDir } from './chromium';

const { browser, cleanups } = chromiumForFile();

describe('Counter rules in Settings', () => {
  it('a manager sets card-present redemption and a 4-hour refund window; the core keeps them', async () => {
    const host = await startHost({ dataDir: tempDir('kasa-rules-e2e-'), port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });
    cleanups.push(() => host.close());
    const page = await browser().newPage();
    cleanups.push(() => page.close());
    await page.goto(host.url);
    await createFirstManager(page);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const rules = page.getByRole('form', { name: 'Counter rules' });
    expect(await rules.getByLabel('Spending points needs').inputValue()).toBe('none');
    await rules.getByLabel('Spending points needs').selectOption('card-present');
    await expect.poll(() => rules.textContent()).toContain('a phone number alone does not');
    await rules.getByLabel('Hours a cashier may refund their own sale').fill('4');
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await rules.getByRole('status').waitFor();
    const status = call(host.core, 'terminal.status', {});
    expect(status.redemptionVerification).toBe('card-present');
    expect(status.cashierRefundWindowHours).toBe(4);

    // More than 30 days is not a window: the form will not send it, and the rules stay as they were.
    const hours = rules.getByLabel('Hours a cashier may refund their own sale');
    await hours.fill('1000');
    await rules.getByRole('button', { name: 'Save rules' }).click();
    expect(await hours.evaluate((input: HTMLInputElement) => input.validity.rangeOverflow)).toBe(true);
    expect(call(host.core, 'terminal.status', {}).cashierRefundWindowHours).toBe(4);

    // A fresh page reads the rules back from the core.
    await page.reload();
    await page.getByRole('button', { name: 'Meral', exact: true }).click();
    await page.getByLabel('PIN', { exact: true }).fill('2580');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    expect(await page.getByRole('form', { name: 'Counter rules' }).getByLabel('Spending points needs').inputValue()).toBe('card-present');
  });
});

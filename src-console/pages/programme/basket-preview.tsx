// Sample baskets the owner types, priced by the shared engine in the browser with the active rule
// set and with the draft: points before and after the change, basket by basket.
import { useState } from 'react';
import { minorPerUnit } from '../../../src-shared/domain/money';
import { quoteSale, type SaleComputation } from '../../../src-shared/program/engine';
import type { RuleSet } from '../../../src-shared/program/rule-set';

const TEXT = {
  title: 'Preview on sample baskets',
  intro: 'Type baskets as they would be rung up. Each is priced with the active rule set and with this draft, for a member with no history, at the time given.',
  when: 'Sale time (store local)',
  timeZone: 'Store time zone',
  basket: 'Basket',
  category: 'Category',
  sku: 'SKU (optional)',
  qty: 'Qty',
  price: 'Unit price',
  addLine: 'Add line',
  addBasket: 'Add basket',
  remove: 'Remove',
  active: 'Active',
  draft: 'Draft',
  difference: 'Difference',
  points: 'points',
  noActive: 'no active rule set',
  cannot: 'cannot price',
  fixDraft: 'Fix the draft’s problems to preview it.',
  why: 'Draft breakdown',
};

type Line = { category: string; sku: string; qty: string; price: string };
type Basket = { lines: Line[] };

const emptyLine = (): Line => ({ category: 'Groceries', sku: '', qty: '1', price: '100' });

/** A local wall-clock time in a zone, as an instant: the engine judges promotions at the store's clock. */
function instantAt(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(guess));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
    return new Date(guess - (shown - guess)).toISOString();
  } catch {
    return null;
  }
}

function price(ruleSet: RuleSet | null, basket: Basket, at: string | null, timeZone: string): { ok: true; value: SaleComputation } | { ok: false; message: string } | null {
  if (!ruleSet) return null;
  try {
    const unit = minorPerUnit(ruleSet.currency);
    const lines = basket.lines.map((l) => ({
      category: l.category.trim() || 'Uncategorised',
      ...(l.sku.trim() ? { sku: l.sku.trim() } : {}),
      qty: Number(l.qty),
      unitPriceMinor: Math.round(Number(l.price.replace(',', '.')) * unit),
    }));
    const member = { memberId: 'preview', balance: 0, tier: null, qualifying: 0, firstPurchase: false, birthMonth: null, pointsEarnedToday: 0, referral: null };
    return { ok: true, value: quoteSale(ruleSet, { lines }, 0, { member, ...(at ? { clock: { at, timeZone } } : {}) }) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

const localNow = () => {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function BasketPreview({ active, draft }: { active: RuleSet | null; draft: RuleSet | null }) {
  const [baskets, setBaskets] = useState<Basket[]>([{ lines: [emptyLine()] }]);
  const [when, setWhen] = useState(localNow());
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Istanbul');
  const at = instantAt(when, timeZone);

  const setLine = (b: number, l: number, patch: Partial<Line>) =>
    setBaskets((all) => all.map((basket, i) => (i !== b ? basket : { lines: basket.lines.map((line, j) => (j === l ? { ...line, ...patch } : line)) })));

  return (
    <section className="panel" aria-label={TEXT.title}>
      <h2>{TEXT.title}</h2>
      <p className="muted">{TEXT.intro}</p>
      <div className="row">
        <label>
          {TEXT.when}
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        </label>
        <label>
          {TEXT.timeZone}
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </label>
      </div>
      {!draft ? <p className="notice">{TEXT.fixDraft}</p> : null}
      {baskets.map((basket, b) => {
        const before = price(active, basket, at, timeZone);
        const after = price(draft, basket, at, timeZone);
        const points = (r: typeof before) => (r === null ? null : r.ok ? r.value.pointsEarned : null);
        const diff = points(before) !== null && points(after) !== null ? (points(after) ?? 0) - (points(before) ?? 0) : null;
        return (
          <div className="panel" key={b} role="group" aria-label={`${TEXT.basket} ${b + 1}`}>
            <h3>
              {TEXT.basket} {b + 1}
            </h3>
            {basket.lines.map((line, l) => (
              <div className="row" key={l}>
                <label>
                  {TEXT.category}
                  <input value={line.category} onChange={(e) => setLine(b, l, { category: e.target.value })} />
                </label>
                <label>
                  {TEXT.sku}
                  <input value={line.sku} onChange={(e) => setLine(b, l, { sku: e.target.value })} />
                </label>
                <label>
                  {TEXT.qty}
                  <input value={line.qty} inputMode="numeric" onChange={(e) => setLine(b, l, { qty: e.target.value })} />
                </label>
                <label>
                  {TEXT.price}
                  <input value={line.price} inputMode="decimal" onChange={(e) => setLine(b, l, { price: e.target.value })} />
                </label>
                <button type="button" onClick={() => setBaskets((all) => all.map((x, i) => (i === b ? { lines: x.lines.filter((_, j) => j !== l) } : x)))}>
                  {TEXT.remove}
                </button>
              </div>
            ))}
            <button type="button" onClick={() => setBaskets((all) => all.map((x, i) => (i === b ? { lines: [...x.lines, emptyLine()] } : x)))}>
              {TEXT.addLine}
            </button>
            <table>
              <tbody>
                <tr>
                  <th>{TEXT.active}</th>
                  <td data-testid={`basket-${b}-active`}>{before === null ? TEXT.noActive : before.ok ? `${before.value.pointsEarned} ${TEXT.points}` : `${TEXT.cannot}: ${before.message}`}</td>
                </tr>
                <tr>
                  <th>{TEXT.draft}</th>
                  <td data-testid={`basket-${b}-draft`}>{after === null ? '—' : after.ok ? `${after.value.pointsEarned} ${TEXT.points}` : `${TEXT.cannot}: ${after.message}`}</td>
                </tr>
                <tr>
                  <th>{TEXT.difference}</th>
                  <td data-testid={`basket-${b}-difference`}>{diff === null ? '—' : `${diff > 0 ? '+' : ''}${diff} ${TEXT.points}`}</td>
                </tr>
              </tbody>
            </table>
            {after?.ok ? (
              <details>
                <summary>{TEXT.why}</summary>
                <ul>
                  {after.value.breakdown.map((item, i) => (
                    <li key={i}>
                      {item.label}: {item.points}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        );
      })}
      <button type="button" onClick={() => setBaskets((all) => [...all, { lines: [emptyLine()] }])}>
        {TEXT.addBasket}
      </button>
    </section>
  );
}

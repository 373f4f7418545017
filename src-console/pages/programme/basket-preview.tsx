// Sample baskets the owner types, priced by the shared engine in the browser with the active rule
// set and with the draft: points before and after the change, basket by basket, the breakdown in
// the console's language (the engine's own words for it, as a terminal's receipt has them).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { minorPerUnit } from '../../../src-shared/domain/money';
import { earnWordsFor, type EarnWords } from '../../../src-shared/program/earn-words';
import { computeSale, type SaleComputation } from '../../../src-shared/program/engine';
import { useFormat } from '../../components/use-format';
import type { RuleSet } from '../../../src-shared/program/rule-set';

type Line = { category: string; sku: string; qty: string; price: string };
type Basket = { lines: Line[] };

// Categories are the rule set's ids (a built-in one is named in the breakdown's language by the engine).
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

function price(ruleSet: RuleSet | null, basket: Basket, at: string | null, timeZone: string, words: EarnWords): { ok: true; value: SaleComputation } | { ok: false; message: string } | null {
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
    return { ok: true, value: computeSale(ruleSet, { lines }, member, at ? { at, timeZone } : null, { words }) };
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
  const { t } = useTranslation();
  const f = useFormat();
  const words = earnWordsFor(f.locale);
  const [baskets, setBaskets] = useState<Basket[]>([{ lines: [emptyLine()] }]);
  const [when, setWhen] = useState(localNow());
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Istanbul');
  const at = instantAt(when, timeZone);

  const setLine = (b: number, l: number, patch: Partial<Line>) =>
    setBaskets((all) => all.map((basket, i) => (i !== b ? basket : { lines: basket.lines.map((line, j) => (j === l ? { ...line, ...patch } : line)) })));

  return (
    <section className="panel" aria-label={t('basket.title')}>
      <h2>{t('basket.title')}</h2>
      <p className="muted">{t('basket.intro')}</p>
      <div className="row">
        <label>
          {t('basket.when')}
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        </label>
        <label>
          {t('basket.timeZone')}
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </label>
      </div>
      {!draft ? <p className="notice">{t('basket.fixDraft')}</p> : null}
      {baskets.map((basket, b) => {
        const before = price(active, basket, at, timeZone, words);
        const after = price(draft, basket, at, timeZone, words);
        const points = (r: typeof before) => (r === null ? null : r.ok ? r.value.pointsEarned : null);
        const diff = points(before) !== null && points(after) !== null ? (points(after) ?? 0) - (points(before) ?? 0) : null;
        return (
          <div className="panel" key={b} role="group" aria-label={t('basket.basketNumber', { n: b + 1 })}>
            <h3>{t('basket.basketNumber', { n: b + 1 })}</h3>
            {basket.lines.map((line, l) => (
              <div className="row" key={l}>
                <label>
                  {t('basket.category')}
                  <input value={line.category} onChange={(e) => setLine(b, l, { category: e.target.value })} />
                </label>
                <label>
                  {t('basket.sku')}
                  <input value={line.sku} onChange={(e) => setLine(b, l, { sku: e.target.value })} />
                </label>
                <label>
                  {t('basket.qty')}
                  <input value={line.qty} inputMode="numeric" onChange={(e) => setLine(b, l, { qty: e.target.value })} />
                </label>
                <label>
                  {t('basket.price')}
                  <input value={line.price} inputMode="decimal" onChange={(e) => setLine(b, l, { price: e.target.value })} />
                </label>
                <button type="button" onClick={() => setBaskets((all) => all.map((x, i) => (i === b ? { lines: x.lines.filter((_, j) => j !== l) } : x)))}>
                  {t('basket.remove')}
                </button>
              </div>
            ))}
            <button type="button" onClick={() => setBaskets((all) => all.map((x, i) => (i === b ? { lines: [...x.lines, emptyLine()] } : x)))}>
              {t('basket.addLine')}
            </button>
            <table>
              <tbody>
                <tr>
                  <th>{t('basket.active')}</th>
                  <td data-testid={`basket-${b}-active`}>{before === null ? t('basket.noActive') : before.ok ? f.points(before.value.pointsEarned) : `${t('basket.cannot')}: ${before.message}`}</td>
                </tr>
                <tr>
                  <th>{t('basket.draft')}</th>
                  <td data-testid={`basket-${b}-draft`}>{after === null ? '—' : after.ok ? f.points(after.value.pointsEarned) : `${t('basket.cannot')}: ${after.message}`}</td>
                </tr>
                <tr>
                  <th>{t('basket.difference')}</th>
                  <td data-testid={`basket-${b}-difference`}>{diff === null ? '—' : f.points(diff, 'plus')}</td>
                </tr>
              </tbody>
            </table>
            {after?.ok ? (
              <details>
                <summary>{t('basket.why')}</summary>
                <ul>
                  {after.value.breakdown.map((item, i) => (
                    <li key={i}>
                      {item.label}: {f.count(item.points)}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        );
      })}
      <button type="button" onClick={() => setBaskets((all) => [...all, { lines: [emptyLine()] }])}>
        {t('basket.addBasket')}
      </button>
    </section>
  );
}

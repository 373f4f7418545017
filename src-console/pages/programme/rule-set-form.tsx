// The commonly edited parts of a rule set as form controls. Everything else (and everything here)
// can also be edited as JSON; both edit the same draft.
import type { ReactNode } from 'react';
import type { RuleSetProblem } from '../../../src-shared/program/rule-set-validation';
import { getIn, listFromText, numberOrText, pathText, setIn, type Draft, type Json, type Path } from './draft';

const TEXT = {
  general: 'Programme',
  version: 'Version (new, never reused)',
  name: 'Name',
  currency: 'Currency',
  earning: 'Earning',
  pointsPerUnit: 'Points per currency unit',
  categoryRates: 'Category rates (points per unit)',
  category: 'Category',
  rate: 'Rate',
  excludedCategories: 'Categories that earn nothing (comma separated)',
  rounding: 'Rounding',
  minimumSpend: 'Minimum spend to earn (minor units)',
  capSale: 'Most points per sale',
  capDay: 'Most points per day',
  tiers: 'Tiers',
  useTiers: 'Use tiers',
  basis: 'Basis',
  windowMonths: 'Window (months)',
  downgrade: 'Downgrade',
  levelId: 'Id',
  threshold: 'Threshold',
  multiplier: 'Multiplier',
  promotions: 'Promotions',
  stacking: 'How promotions combine',
  promotion: 'Promotion',
  id: 'Id',
  label: 'Label',
  effect: 'Effect',
  points: 'Points',
  everyMinor: 'Per spend of (minor units)',
  startsAt: 'Starts (YYYY-MM-DD or YYYY-MM-DDTHH:MM)',
  endsAt: 'Ends (exclusive)',
  days: 'Days',
  from: 'From (HH:MM)',
  to: 'To (HH:MM)',
  categories: 'Only categories (comma separated)',
  minSpend: 'Minimum spend (minor units)',
  rewards: 'Rewards and donations',
  reward: 'Reward',
  type: 'Type',
  amountMinor: 'Discount (minor units)',
  percent: 'Percent',
  sku: 'Item (SKU)',
  charity: 'Charity',
  matchProgramme: 'Programme adds (points)',
  matchPerMember: 'for every (member points)',
  referral: 'Referral',
  useReferral: 'Referral bonus',
  referrerPoints: 'Referrer points',
  refereePoints: 'New member points',
  redemption: 'Redemption',
  minorPerPoint: 'Minor units one point is worth',
  minimumBalance: 'Balance that must remain',
  maxShare: 'Most of a sale points may pay (%)',
  minimumPoints: 'Smallest redemption (points)',
  offlineCap: 'Offline daily cap per member (points, empty: none)',
  expiry: 'Expiry',
  months: 'Months',
  endOfMonth: 'At the end of the month',
  add: 'Add',
  remove: 'Remove',
};

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

type FormProps = { draft: Draft; problems: readonly RuleSetProblem[]; onChange: (draft: Draft) => void };

export function RuleSetForm({ draft, problems, onChange }: FormProps) {
  const problemAt = (path: Path) => {
    const p = pathText(path);
    return problems.find((x) => x.path === p || x.path.startsWith(`${p}.`) || x.path.startsWith(`${p}[`));
  };
  const set = (path: Path, value: Json | undefined) => onChange(setIn(draft, path, value));
  const val = (path: Path) => getIn(draft, path);
  const str = (path: Path) => {
    const v = val(path);
    return v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v);
  };

  const field = (label: string, path: Path, kind: 'text' | 'number' | 'list' = 'text', extra: { placeholder?: string } = {}) => {
    const problem = problemAt(path);
    return (
      <label>
        {label}
        <input
          value={str(path)}
          inputMode={kind === 'number' ? 'decimal' : undefined}
          aria-invalid={problem ? true : undefined}
          title={problem?.message}
          placeholder={extra.placeholder}
          onChange={(e) => set(path, kind === 'number' ? numberOrText(e.target.value) : kind === 'list' ? listFromText(e.target.value) : e.target.value === '' ? undefined : e.target.value)}
        />
      </label>
    );
  };
  const select = (label: string, path: Path, options: readonly string[], allowNone = false) => (
    <label>
      {label}
      <select value={str(path)} onChange={(e) => set(path, e.target.value === '' ? undefined : e.target.value)}>
        {allowNone ? <option value="">—</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  const list = (path: Path) => (Array.isArray(val(path)) ? (val(path) as Json[]) : []);
  const section = (title: string, children: ReactNode) => (
    <fieldset className="panel">
      <legend>
        <strong>{title}</strong>
      </legend>
      {children}
    </fieldset>
  );

  const categoryRates = Object.entries((val(['earning', 'categoryRates']) as Record<string, Json> | undefined) ?? {});
  const tiers = val(['tiers']);
  const referral = val(['referral']);
  const expiryType = str(['expiry', 'type']) || 'never';

  return (
    <div className="rule-set-form">
      {section(
        TEXT.general,
        <div className="grid">
          {field(TEXT.version, ['version'])}
          {field(TEXT.name, ['name'])}
          {field(TEXT.currency, ['currency'])}
        </div>,
      )}
      {section(
        TEXT.earning,
        <>
          <div className="grid">
            {field(TEXT.pointsPerUnit, ['earning', 'pointsPerUnit'], 'number')}
            {select(TEXT.rounding, ['earning', 'rounding'], ['floor', 'round', 'ceil'])}
            {field(TEXT.minimumSpend, ['earning', 'minimumSpendMinor'], 'number')}
            {field(TEXT.capSale, ['earning', 'caps', 'perTransaction'], 'number')}
            {field(TEXT.capDay, ['earning', 'caps', 'perDay'], 'number')}
            {field(TEXT.excludedCategories, ['earning', 'excludedCategories'], 'list')}
          </div>
          <h3>{TEXT.categoryRates}</h3>
          {categoryRates.map(([category, rate], i) => (
            <div className="row" key={i}>
              <label>
                {TEXT.category}
                <input
                  value={category}
                  onChange={(e) => {
                    const entries = categoryRates.map(([c, r], j) => [j === i ? e.target.value : c, r] as const);
                    set(['earning', 'categoryRates'], Object.fromEntries(entries));
                  }}
                />
              </label>
              <label>
                {TEXT.rate}
                <input value={String(rate)} inputMode="decimal" aria-invalid={problemAt(['earning', 'categoryRates', category]) ? true : undefined} onChange={(e) => set(['earning', 'categoryRates', category], numberOrText(e.target.value) ?? '')} />
              </label>
              <button type="button" onClick={() => set(['earning', 'categoryRates', category], undefined)}>
                {TEXT.remove}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => set(['earning', 'categoryRates', `Category ${categoryRates.length + 1}`], 1)}>
            {TEXT.add}
          </button>
        </>,
      )}
      {section(
        TEXT.promotions,
        <>
          {select(TEXT.stacking, ['stacking'], ['stack', 'bestOf', 'exclusiveGroups'], true)}
          {list(['promotions']).map((_, i) => {
            const base = ['promotions', i] as const;
            const effectType = str([...base, 'effect', 'type']) || 'multiplier';
            const days = (val([...base, 'schedule', 'days']) as string[] | undefined) ?? [];
            return (
              <div className="panel" key={i} aria-label={`${TEXT.promotion} ${i + 1}`} role="group">
                <div className="grid">
                  {field(TEXT.id, [...base, 'id'])}
                  {field(TEXT.label, [...base, 'label'])}
                  <label>
                    {TEXT.effect}
                    <select
                      value={effectType}
                      onChange={(e) =>
                        set(
                          [...base, 'effect'],
                          e.target.value === 'multiplier' ? { type: 'multiplier', multiplier: 2 } : e.target.value === 'bonus' ? { type: 'bonus', points: 100 } : { type: 'perSpend', points: 10, everyMinor: 10000 },
                        )
                      }
                    >
                      <option value="multiplier">multiplier</option>
                      <option value="bonus">bonus</option>
                      <option value="perSpend">perSpend</option>
                    </select>
                  </label>
                  {effectType === 'multiplier' ? field(TEXT.multiplier, [...base, 'effect', 'multiplier'], 'number') : field(TEXT.points, [...base, 'effect', 'points'], 'number')}
                  {effectType === 'perSpend' ? field(TEXT.everyMinor, [...base, 'effect', 'everyMinor'], 'number') : null}
                  {field(TEXT.startsAt, [...base, 'startsAt'])}
                  {field(TEXT.endsAt, [...base, 'endsAt'])}
                  {field(TEXT.categories, [...base, 'categories'], 'list')}
                  {field(TEXT.minSpend, [...base, 'minSpendMinor'], 'number')}
                </div>
                <div className="row">
                  <span className="muted">{TEXT.days}</span>
                  {DAYS.map((d) => (
                    <label className="inline" key={d}>
                      <input
                        type="checkbox"
                        checked={days.includes(d)}
                        onChange={(e) => {
                          const next = e.target.checked ? DAYS.filter((x) => x === d || days.includes(x)) : days.filter((x) => x !== d);
                          const schedule = val([...base, 'schedule']) as Record<string, Json> | undefined;
                          set([...base, 'schedule'], next.length > 0 ? { ...(schedule ?? {}), days: next } : undefined);
                        }}
                      />
                      {d}
                    </label>
                  ))}
                  {days.length > 0 ? field(TEXT.from, [...base, 'schedule', 'from']) : null}
                  {days.length > 0 ? field(TEXT.to, [...base, 'schedule', 'to']) : null}
                </div>
                <button type="button" onClick={() => set(base, undefined)}>
                  {TEXT.remove}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            onClick={() => {
              const n = list(['promotions']).length + 1;
              const withPromo = setIn(draft, ['promotions', n - 1], { id: `promotion-${n}`, label: `Promotion ${n}`, effect: { type: 'multiplier', multiplier: 2 } });
              onChange(getIn(withPromo, ['stacking']) === undefined ? setIn(withPromo, ['stacking'], 'stack') : withPromo);
            }}
          >
            {TEXT.add} {TEXT.promotion.toLowerCase()}
          </button>
        </>,
      )}
      {section(
        TEXT.tiers,
        <>
          <label className="inline">
            <input type="checkbox" checked={tiers !== null && tiers !== undefined} onChange={(e) => set(['tiers'], e.target.checked ? { basis: 'spend', windowMonths: 12, downgrade: 'none', levels: [{ id: 'member', name: 'Member', threshold: 0 }] } : null)} />
            {TEXT.useTiers}
          </label>
          {tiers ? (
            <>
              <div className="grid">
                {select(TEXT.basis, ['tiers', 'basis'], ['spend', 'points'])}
                {field(TEXT.windowMonths, ['tiers', 'windowMonths'], 'number')}
                {select(TEXT.downgrade, ['tiers', 'downgrade'], ['none', 'windowEnd'])}
              </div>
              {list(['tiers', 'levels']).map((_, i) => (
                <div className="row" key={i}>
                  {field(TEXT.levelId, ['tiers', 'levels', i, 'id'])}
                  {field(TEXT.name, ['tiers', 'levels', i, 'name'])}
                  {field(TEXT.threshold, ['tiers', 'levels', i, 'threshold'], 'number')}
                  {field(TEXT.multiplier, ['tiers', 'levels', i, 'multiplier'], 'number')}
                  <button type="button" onClick={() => set(['tiers', 'levels', i], undefined)}>
                    {TEXT.remove}
                  </button>
                </div>
              ))}
              <button type="button" onClick={() => set(['tiers', 'levels', list(['tiers', 'levels']).length], { id: `tier-${list(['tiers', 'levels']).length + 1}`, name: 'New tier', threshold: 100000 })}>
                {TEXT.add}
              </button>
            </>
          ) : null}
        </>,
      )}
      {section(
        TEXT.rewards,
        <>
          {list(['rewards']).map((_, i) => {
            const base = ['rewards', i] as const;
            const type = str([...base, 'type']);
            return (
              <div className="row panel" key={i}>
                {field(TEXT.id, [...base, 'id'])}
                {field(TEXT.label, [...base, 'label'])}
                <span className="tag">{type}</span>
                {field(TEXT.points, [...base, 'points'], 'number')}
                {type === 'discountFixed' ? field(TEXT.amountMinor, [...base, 'amountMinor'], 'number') : null}
                {type === 'discountPercent' ? field(TEXT.percent, [...base, 'percent'], 'number') : null}
                {type === 'freeItem' ? field(TEXT.sku, [...base, 'sku']) : null}
                {type === 'donation' ? field(TEXT.charity, [...base, 'charity']) : null}
                {type === 'donation' ? field(TEXT.matchProgramme, [...base, 'match', 'programmePoints'], 'number') : null}
                {type === 'donation' ? field(TEXT.matchPerMember, [...base, 'match', 'perMemberPoints'], 'number') : null}
                <button type="button" onClick={() => set(base, undefined)}>
                  {TEXT.remove}
                </button>
              </div>
            );
          })}
          <div className="row">
            <button type="button" onClick={() => set(['rewards', list(['rewards']).length], { id: `reward-${list(['rewards']).length + 1}`, label: 'Discount', type: 'discountFixed', points: 500, amountMinor: 500 })}>
              {TEXT.add} discount
            </button>
            <button type="button" onClick={() => set(['rewards', list(['rewards']).length], { id: `donation-${list(['rewards']).length + 1}`, label: 'Donate points', type: 'donation', charity: 'Charity', match: { programmePoints: 1, perMemberPoints: 1 } })}>
              {TEXT.add} donation
            </button>
          </div>
        </>,
      )}
      {section(
        TEXT.referral,
        <>
          <label className="inline">
            <input type="checkbox" checked={referral !== null && referral !== undefined} onChange={(e) => set(['referral'], e.target.checked ? { referrerPoints: 100, refereePoints: 50 } : null)} />
            {TEXT.useReferral}
          </label>
          {referral ? (
            <div className="grid">
              {field(TEXT.referrerPoints, ['referral', 'referrerPoints'], 'number')}
              {field(TEXT.refereePoints, ['referral', 'refereePoints'], 'number')}
            </div>
          ) : null}
        </>,
      )}
      {section(
        TEXT.redemption,
        <div className="grid">
          {field(TEXT.minorPerPoint, ['redemption', 'minorPerPoint'], 'number')}
          {field(TEXT.minimumBalance, ['redemption', 'minimumBalance'], 'number')}
          {field(TEXT.maxShare, ['redemption', 'maxSharePercent'], 'number')}
          {field(TEXT.minimumPoints, ['redemption', 'minimumPoints'], 'number')}
          {field(TEXT.offlineCap, ['redemption', 'offlineDailyCapPoints'], 'number')}
        </div>,
      )}
      {section(
        TEXT.expiry,
        <div className="row">
          <label>
            {TEXT.expiry}
            <select value={expiryType} onChange={(e) => set(['expiry'], e.target.value === 'never' ? { type: 'never' } : { type: 'months', months: 12, endOfMonth: false })}>
              <option value="never">never</option>
              <option value="months">months</option>
            </select>
          </label>
          {expiryType === 'months' ? field(TEXT.months, ['expiry', 'months'], 'number') : null}
          {expiryType === 'months' ? (
            <label className="inline">
              <input type="checkbox" checked={val(['expiry', 'endOfMonth']) === true} onChange={(e) => set(['expiry', 'endOfMonth'], e.target.checked)} />
              {TEXT.endOfMonth}
            </label>
          ) : null}
        </div>,
      )}
    </div>
  );
}

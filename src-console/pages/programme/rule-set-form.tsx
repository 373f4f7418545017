// The commonly edited parts of a rule set as form controls. Everything else (and everything here)
// can also be edited as JSON; both edit the same draft.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleSetProblem } from '../../../src-shared/program/rule-set-validation';
import { problemText } from '../../components/problem-text';
import { getIn, listFromText, numberOrText, pathText, setIn, type Draft, type Json, type Path } from './draft';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

type FormProps = { draft: Draft; problems: readonly RuleSetProblem[]; onChange: (draft: Draft) => void };

export function RuleSetForm({ draft, problems, onChange }: FormProps) {
  const { t } = useTranslation();
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
          title={problem ? problemText(problem, t) : undefined}
          placeholder={extra.placeholder}
          onChange={(e) => set(path, kind === 'number' ? numberOrText(e.target.value) : kind === 'list' ? listFromText(e.target.value) : e.target.value === '' ? undefined : e.target.value)}
        />
      </label>
    );
  };
  // The document's own values (floor, bestOf, windowEnd) stay the options' values; their labels are
  // in the console's language, under `labels` in ruleSetForm.
  const select = (label: string, path: Path, options: readonly string[], labels: string, allowNone = false) => (
    <label>
      {label}
      <select value={str(path)} onChange={(e) => set(path, e.target.value === '' ? undefined : e.target.value)}>
        {allowNone ? <option value="">—</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {t(`ruleSetForm.${labels}.${o}`)}
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
        t('ruleSetForm.general'),
        <div className="grid">
          {field(t('ruleSetForm.version'), ['version'])}
          {field(t('ruleSetForm.name'), ['name'])}
          {field(t('ruleSetForm.currency'), ['currency'])}
        </div>,
      )}
      {section(
        t('ruleSetForm.earning'),
        <>
          <div className="grid">
            {field(t('ruleSetForm.pointsPerUnit'), ['earning', 'pointsPerUnit'], 'number')}
            {select(t('ruleSetForm.rounding'), ['earning', 'rounding'], ['floor', 'round', 'ceil'], 'roundings')}
            {field(t('ruleSetForm.minimumSpend'), ['earning', 'minimumSpendMinor'], 'number')}
            {field(t('ruleSetForm.capSale'), ['earning', 'caps', 'perTransaction'], 'number')}
            {field(t('ruleSetForm.capDay'), ['earning', 'caps', 'perDay'], 'number')}
            {field(t('ruleSetForm.excludedCategories'), ['earning', 'excludedCategories'], 'list')}
          </div>
          <h3>{t('ruleSetForm.categoryRates')}</h3>
          {categoryRates.map(([category, rate], i) => (
            <div className="row" key={i}>
              <label>
                {t('ruleSetForm.category')}
                <input
                  value={category}
                  onChange={(e) => {
                    const entries = categoryRates.map(([c, r], j) => [j === i ? e.target.value : c, r] as const);
                    set(['earning', 'categoryRates'], Object.fromEntries(entries));
                  }}
                />
              </label>
              <label>
                {t('ruleSetForm.rate')}
                <input value={String(rate)} inputMode="decimal" aria-invalid={problemAt(['earning', 'categoryRates', category]) ? true : undefined} onChange={(e) => set(['earning', 'categoryRates', category], numberOrText(e.target.value) ?? '')} />
              </label>
              <button type="button" onClick={() => set(['earning', 'categoryRates', category], undefined)}>
                {t('common.remove')}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => set(['earning', 'categoryRates', t('ruleSetForm.newCategory', { n: categoryRates.length + 1 })], 1)}>
            {t('common.add')}
          </button>
        </>,
      )}
      {section(
        t('ruleSetForm.promotions'),
        <>
          {select(t('ruleSetForm.stacking'), ['stacking'], ['stack', 'bestOf', 'exclusiveGroups'], 'stackings', true)}
          {list(['promotions']).map((_, i) => {
            const base = ['promotions', i] as const;
            const effectType = str([...base, 'effect', 'type']) || 'multiplier';
            const days = (val([...base, 'schedule', 'days']) as string[] | undefined) ?? [];
            return (
              <div className="panel" key={i} aria-label={t('ruleSetForm.promotionNumber', { n: i + 1 })} role="group">
                <div className="grid">
                  {field(t('ruleSetForm.id'), [...base, 'id'])}
                  {field(t('ruleSetForm.label'), [...base, 'label'])}
                  <label>
                    {t('ruleSetForm.effect')}
                    <select
                      value={effectType}
                      onChange={(e) =>
                        set(
                          [...base, 'effect'],
                          e.target.value === 'multiplier' ? { type: 'multiplier', multiplier: 2 } : e.target.value === 'bonus' ? { type: 'bonus', points: 100 } : { type: 'perSpend', points: 10, everyMinor: 10000 },
                        )
                      }
                    >
                      {(['multiplier', 'bonus', 'perSpend'] as const).map((type) => (
                        <option key={type} value={type}>
                          {t(`ruleSetForm.effects.${type}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  {effectType === 'multiplier' ? field(t('ruleSetForm.multiplier'), [...base, 'effect', 'multiplier'], 'number') : field(t('ruleSetForm.points'), [...base, 'effect', 'points'], 'number')}
                  {effectType === 'perSpend' ? field(t('ruleSetForm.everyMinor'), [...base, 'effect', 'everyMinor'], 'number') : null}
                  {field(t('ruleSetForm.startsAt'), [...base, 'startsAt'])}
                  {field(t('ruleSetForm.endsAt'), [...base, 'endsAt'])}
                  {field(t('ruleSetForm.categories'), [...base, 'categories'], 'list')}
                  {field(t('ruleSetForm.minSpend'), [...base, 'minSpendMinor'], 'number')}
                </div>
                <div className="row">
                  <span className="muted">{t('ruleSetForm.days')}</span>
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
                      {t(`ruleSetForm.dayNames.${d}`)}
                    </label>
                  ))}
                  {days.length > 0 ? field(t('ruleSetForm.from'), [...base, 'schedule', 'from']) : null}
                  {days.length > 0 ? field(t('ruleSetForm.to'), [...base, 'schedule', 'to']) : null}
                </div>
                <button type="button" onClick={() => set(base, undefined)}>
                  {t('common.remove')}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            onClick={() => {
              const n = list(['promotions']).length + 1;
              const withPromo = setIn(draft, ['promotions', n - 1], { id: `promotion-${n}`, label: t('ruleSetForm.promotionNumber', { n }), effect: { type: 'multiplier', multiplier: 2 } });
              onChange(getIn(withPromo, ['stacking']) === undefined ? setIn(withPromo, ['stacking'], 'stack') : withPromo);
            }}
          >
            {t('ruleSetForm.addPromotion')}
          </button>
        </>,
      )}
      {section(
        t('ruleSetForm.tiers'),
        <>
          <label className="inline">
            <input type="checkbox" checked={tiers !== null && tiers !== undefined} onChange={(e) => set(['tiers'], e.target.checked ? { basis: 'spend', windowMonths: 12, downgrade: 'none', levels: [{ id: 'member', name: t('ruleSetForm.firstTierName'), threshold: 0 }] } : null)} />
            {t('ruleSetForm.useTiers')}
          </label>
          {tiers ? (
            <>
              <div className="grid">
                {select(t('ruleSetForm.basis'), ['tiers', 'basis'], ['spend', 'points'], 'bases')}
                {field(t('ruleSetForm.windowMonths'), ['tiers', 'windowMonths'], 'number')}
                {select(t('ruleSetForm.downgrade'), ['tiers', 'downgrade'], ['none', 'windowEnd'], 'downgrades')}
              </div>
              {list(['tiers', 'levels']).map((_, i) => (
                <div className="row" key={i}>
                  {field(t('ruleSetForm.levelId'), ['tiers', 'levels', i, 'id'])}
                  {field(t('ruleSetForm.name'), ['tiers', 'levels', i, 'name'])}
                  {field(t('ruleSetForm.threshold'), ['tiers', 'levels', i, 'threshold'], 'number')}
                  {field(t('ruleSetForm.multiplier'), ['tiers', 'levels', i, 'multiplier'], 'number')}
                  <button type="button" onClick={() => set(['tiers', 'levels', i], undefined)}>
                    {t('common.remove')}
                  </button>
                </div>
              ))}
              <button type="button" onClick={() => set(['tiers', 'levels', list(['tiers', 'levels']).length], { id: `tier-${list(['tiers', 'levels']).length + 1}`, name: t('ruleSetForm.newTierName'), threshold: 100000 })}>
                {t('common.add')}
              </button>
            </>
          ) : null}
        </>,
      )}
      {section(
        t('ruleSetForm.rewards'),
        <>
          {list(['rewards']).map((_, i) => {
            const base = ['rewards', i] as const;
            const type = str([...base, 'type']);
            return (
              <div className="row panel" key={i}>
                {field(t('ruleSetForm.id'), [...base, 'id'])}
                {field(t('ruleSetForm.label'), [...base, 'label'])}
                <span className="tag">{['discountFixed', 'discountPercent', 'freeItem', 'donation'].includes(type) ? t(`ruleSetForm.rewardTypes.${type}`) : type}</span>
                {field(t('ruleSetForm.points'), [...base, 'points'], 'number')}
                {type === 'discountFixed' ? field(t('ruleSetForm.amountMinor'), [...base, 'amountMinor'], 'number') : null}
                {type === 'discountPercent' ? field(t('ruleSetForm.percent'), [...base, 'percent'], 'number') : null}
                {type === 'freeItem' ? field(t('ruleSetForm.sku'), [...base, 'sku']) : null}
                {type === 'donation' ? field(t('ruleSetForm.charity'), [...base, 'charity']) : null}
                {type === 'donation' ? field(t('ruleSetForm.matchProgramme'), [...base, 'match', 'programmePoints'], 'number') : null}
                {type === 'donation' ? field(t('ruleSetForm.matchPerMember'), [...base, 'match', 'perMemberPoints'], 'number') : null}
                <button type="button" onClick={() => set(base, undefined)}>
                  {t('common.remove')}
                </button>
              </div>
            );
          })}
          <div className="row">
            <button type="button" onClick={() => set(['rewards', list(['rewards']).length], { id: `reward-${list(['rewards']).length + 1}`, label: t('ruleSetForm.newDiscountLabel'), type: 'discountFixed', points: 500, amountMinor: 500 })}>
              {t('ruleSetForm.addDiscount')}
            </button>
            <button type="button" onClick={() => set(['rewards', list(['rewards']).length], { id: `donation-${list(['rewards']).length + 1}`, label: t('ruleSetForm.newDonationLabel'), type: 'donation', charity: t('ruleSetForm.newCharity'), match: { programmePoints: 1, perMemberPoints: 1 } })}>
              {t('ruleSetForm.addDonation')}
            </button>
          </div>
        </>,
      )}
      {section(
        t('ruleSetForm.referral'),
        <>
          <label className="inline">
            <input type="checkbox" checked={referral !== null && referral !== undefined} onChange={(e) => set(['referral'], e.target.checked ? { referrerPoints: 100, refereePoints: 50 } : null)} />
            {t('ruleSetForm.useReferral')}
          </label>
          {referral ? (
            <div className="grid">
              {field(t('ruleSetForm.referrerPoints'), ['referral', 'referrerPoints'], 'number')}
              {field(t('ruleSetForm.refereePoints'), ['referral', 'refereePoints'], 'number')}
            </div>
          ) : null}
        </>,
      )}
      {section(
        t('ruleSetForm.redemption'),
        <div className="grid">
          {field(t('ruleSetForm.minorPerPoint'), ['redemption', 'minorPerPoint'], 'number')}
          {field(t('ruleSetForm.minimumBalance'), ['redemption', 'minimumBalance'], 'number')}
          {field(t('ruleSetForm.maxShare'), ['redemption', 'maxSharePercent'], 'number')}
          {field(t('ruleSetForm.minimumPoints'), ['redemption', 'minimumPoints'], 'number')}
          {field(t('ruleSetForm.offlineCap'), ['redemption', 'offlineDailyCapPoints'], 'number')}
        </div>,
      )}
      {section(
        t('ruleSetForm.expiry'),
        <div className="row">
          <label>
            {t('ruleSetForm.expiry')}
            <select value={expiryType} onChange={(e) => set(['expiry'], e.target.value === 'never' ? { type: 'never' } : { type: 'months', months: 12, endOfMonth: false })}>
              <option value="never">{t('ruleSetForm.expiries.never')}</option>
              <option value="months">{t('ruleSetForm.expiries.months')}</option>
            </select>
          </label>
          {expiryType === 'months' ? field(t('ruleSetForm.months'), ['expiry', 'months'], 'number') : null}
          {expiryType === 'months' ? (
            <label className="inline">
              <input type="checkbox" checked={val(['expiry', 'endOfMonth']) === true} onChange={(e) => set(['expiry', 'endOfMonth'], e.target.checked)} />
              {t('ruleSetForm.endOfMonth')}
            </label>
          ) : null}
        </div>,
      )}
    </div>
  );
}

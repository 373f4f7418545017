// A rule-set version's "what changed" in the console's language, from the server's changeFacts;
// fields are named as the form labels them (as problems are). An older server sends only the English lines.
import type { TFunction } from 'i18next';
import type { ChangedValue, RuleSetChange } from '../../src-shared/program/rule-set-diff';
import { ruleSetFieldLabel } from './problem-text';

const SECTIONS = new Set(['earning', 'tiers', 'referral', 'redemption']);

export function changeText(change: RuleSetChange, t: TFunction): string {
  const value = (v: ChangedValue | undefined) => (v === undefined ? t('ruleSetChanges.none') : typeof v === 'string' ? `"${v}"` : String(v));
  const section = (s: string) => (SECTIONS.has(s) ? t(`ruleSetForm.${s}`) : s);
  switch (change.kind) {
    case 'first-version':
      return t('ruleSetChanges.firstVersion');
    case 'no-change':
      return t('ruleSetChanges.noChange');
    case 'value-changed':
      return t('ruleSetChanges.valueChanged', { field: ruleSetFieldLabel(change.field, t), from: value(change.from), to: value(change.to) });
    case 'field-changed':
      return t('ruleSetChanges.fieldChanged', { field: ruleSetFieldLabel(change.field, t) });
    case 'list-changed': {
      const parts = [
        change.added.length > 0 ? t('ruleSetChanges.listAdded', { values: change.added.map(value).join(', ') }) : null,
        change.removed.length > 0 ? t('ruleSetChanges.listRemoved', { values: change.removed.map(value).join(', ') }) : null,
      ];
      return t('ruleSetChanges.listChanged', { field: ruleSetFieldLabel(change.field, t), parts: parts.filter((p) => p !== null).join('; ') });
    }
    case 'section-added':
      return t('ruleSetChanges.sectionAdded', { section: section(change.section) });
    case 'section-removed':
      return t('ruleSetChanges.sectionRemoved', { section: section(change.section) });
    case 'item-added':
    case 'item-changed':
    case 'item-removed': {
      const key = change.kind === 'item-added' ? 'itemAdded' : change.kind === 'item-changed' ? 'itemChanged' : 'itemRemoved';
      return t(`ruleSetChanges.${key}`, { item: t(`ruleSetChanges.items.${change.list}`), id: change.id });
    }
    case 'expiry-changed':
      if (change.months === undefined) return t('ruleSetChanges.expiryNever');
      return t(change.endOfMonth ? 'ruleSetChanges.expiryMonthsEnd' : 'ruleSetChanges.expiryMonths', { months: change.months });
  }
}

// A rule-set or catalogue problem in the console's language: the reason is worded by the shared
// problem-words.ts (the terminal words it the same way), and its path shown as the form's own label
// where the form has that field.
import type { TFunction } from 'i18next';
import { problemText as sharedProblemText, type ProblemLike } from '../../src-shared/program/problem-words';
import { translateWith } from './translate-with';

export type { ProblemLike } from '../../src-shared/program/problem-words';

/** The reason, without the path. */
export const problemText = (problem: ProblemLike, t: TFunction): string => sharedProblemText(problem, translateWith(t));

// Paths (list indexes written []) to the form's labels under ruleSetForm.
const FIELD_LABELS: Record<string, string> = {
  version: 'version',
  name: 'name',
  currency: 'currency',
  'earning.pointsPerUnit': 'pointsPerUnit',
  'earning.rounding': 'rounding',
  'earning.minimumSpendMinor': 'minimumSpend',
  'earning.caps.perTransaction': 'capSale',
  'earning.caps.perDay': 'capDay',
  'earning.excludedCategories': 'excludedCategories',
  'earning.excludedCategories[]': 'excludedCategories',
  'earning.categoryRates': 'categoryRates',
  stacking: 'stacking',
  'tiers.basis': 'basis',
  'tiers.windowMonths': 'windowMonths',
  'tiers.downgrade': 'downgrade',
  'tiers.levels[].id': 'levelId',
  'tiers.levels[].name': 'name',
  'tiers.levels[].threshold': 'threshold',
  'tiers.levels[].multiplier': 'multiplier',
  'promotions[].id': 'id',
  'promotions[].label': 'label',
  'promotions[].effect': 'effect',
  'promotions[].effect.multiplier': 'multiplier',
  'promotions[].effect.points': 'points',
  'promotions[].effect.everyMinor': 'everyMinor',
  'promotions[].startsAt': 'startsAt',
  'promotions[].endsAt': 'endsAt',
  'promotions[].categories': 'categories',
  'promotions[].categories[]': 'categories',
  'promotions[].minSpendMinor': 'minSpend',
  'promotions[].schedule.days': 'days',
  'promotions[].schedule.days[]': 'days',
  'promotions[].schedule.from': 'from',
  'promotions[].schedule.to': 'to',
  'rewards[].id': 'id',
  'rewards[].label': 'label',
  'rewards[].points': 'points',
  'rewards[].amountMinor': 'amountMinor',
  'rewards[].percent': 'percent',
  'rewards[].sku': 'sku',
  'rewards[].charity': 'charity',
  'rewards[].match.programmePoints': 'matchProgramme',
  'rewards[].match.perMemberPoints': 'matchPerMember',
  'referral.referrerPoints': 'referrerPoints',
  'referral.refereePoints': 'refereePoints',
  'redemption.minorPerPoint': 'minorPerPoint',
  'redemption.minimumBalance': 'minimumBalance',
  'redemption.maxSharePercent': 'maxShare',
  'redemption.minimumPoints': 'minimumPoints',
  'redemption.offlineDailyCapPoints': 'offlineCap',
  'expiry.months': 'months',
};

/** Which item of a list the path is in, as the form names it ("Promotion 2"), or null. */
function itemLabel(path: string, t: TFunction): string | null {
  const m = /^(promotions|rewards|tiers\.levels)\[(\d+)\]/.exec(path);
  if (!m) return null;
  const n = Number(m[2]) + 1;
  if (m[1] === 'promotions') return t('ruleSetForm.promotionNumber', { n });
  return `${t(m[1] === 'rewards' ? 'ruleSetForm.rewards' : 'ruleSetForm.tiers')} ${n}`;
}

/** The form's label for the path ("Promotion 2 › Ends"), else the path itself; '' for the whole document. */
export function ruleSetFieldLabel(path: string, t: TFunction): string {
  if (!path) return '';
  const pattern = path.startsWith('earning.categoryRates.') ? 'earning.categoryRates' : path.replace(/\[\d+\]/g, '[]');
  const key = FIELD_LABELS[pattern];
  if (!key) return path;
  const field = t(`ruleSetForm.${key}`);
  const item = itemLabel(path, t);
  const rateKey = path.startsWith('earning.categoryRates.') ? ` “${path.slice('earning.categoryRates.'.length)}”` : '';
  return `${item ? `${item} › ` : ''}${field}${rateKey}`;
}

// The words the engine itself writes on a sale's breakdown ("Bakery: 2 pt per EUR", "At most 500
// points per sale"), one table per language. Names an owner writes (category labels, promotions,
// rewards, tiers) are shown as written. A terminal passes its store's language, so the receipt and
// the ledger entry read in it; the server and replays use English, and compare rules and points,
// never these words.
import { formatMoney } from '../domain/money';
import { speaksTurkish } from './explain-phrases';

/** The counter's built-in sale categories, named in each language (the cashier's buttons say the same). */
export const BUILT_IN_CATEGORIES = ['Groceries', 'Bakery', 'Drinks', 'Household', 'Tobacco', 'GiftCards'] as const;
export type BuiltInCategory = (typeof BUILT_IN_CATEGORIES)[number];
export type CategoryNames = Readonly<Record<BuiltInCategory, string>>;

export const ENGLISH_CATEGORY_NAMES: CategoryNames = {
  Groceries: 'Groceries',
  Bakery: 'Bakery',
  Drinks: 'Drinks',
  Household: 'Household',
  Tobacco: 'Tobacco',
  GiftCards: 'Gift cards',
};

export const TURKISH_CATEGORY_NAMES: CategoryNames = {
  Groceries: 'Market',
  Bakery: 'Fırın',
  Drinks: 'İçecek',
  Household: 'Ev',
  Tobacco: 'Tütün',
  GiftCards: 'Hediye kartı',
};

export type EarnWords = {
  /** A rate rule: `rate` points per whole `currency` unit (a decimal, e.g. 1.5). */
  rate: (subject: string, rate: number, currency: string) => string;
  perItem: (subject: string, points: number) => string;
  excluded: (subject: string) => string;
  /** `amount` is formatted for the language already. */
  minimumSpend: (amount: string) => string;
  capSale: (points: number) => string;
  capDay: (points: number) => string;
  /** A refund's reversal of a rule that no longer applies to what is left of the sale. */
  noLongerApplies: (label: string) => string;
  /** A refund's points back: those that paid for the returned items. */
  pointsReturned: string;
  /** Points the member spent as money off the sale. */
  pointsAsDiscount: (points: number) => string;
  /** The locale money is formatted in. */
  moneyLocale: string;
  categories: CategoryNames;
};

export const ENGLISH_EARN_WORDS: EarnWords = {
  rate: (subject, rate, currency) => `${subject}: ${String(rate)} pt per ${currency}`,
  perItem: (subject, points) => `${subject}: ${points} pt per item`,
  excluded: (subject) => `${subject}: earns no points`,
  minimumSpend: (amount) => `Spend at least ${amount} to earn points`,
  capSale: (points) => `At most ${points} points per sale`,
  capDay: (points) => `At most ${points} points per day`,
  noLongerApplies: (label) => `${label}: no longer applies`,
  pointsReturned: 'Points that paid for the returned items',
  pointsAsDiscount: (points) => `${points} points as a discount`,
  moneyLocale: 'en',
  categories: ENGLISH_CATEGORY_NAMES,
};

export const TURKISH_EARN_WORDS: EarnWords = {
  rate: (subject, rate, currency) => `${subject}: ${currency} başına ${String(rate).replace('.', ',')} puan`,
  perItem: (subject, points) => `${subject}: adet başına ${points} puan`,
  excluded: (subject) => `${subject}: puan kazandırmaz`,
  minimumSpend: (amount) => `Puan kazanmak için en az ${amount} harcayın`,
  capSale: (points) => `Satış başına en fazla ${points} puan`,
  capDay: (points) => `Günde en fazla ${points} puan`,
  noLongerApplies: (label) => `${label}: artık geçerli değil`,
  pointsReturned: 'İade edilen ürünler için ödenen puanlar',
  pointsAsDiscount: (points) => `İndirim olarak ${points} puan`,
  moneyLocale: 'tr-TR',
  categories: TURKISH_CATEGORY_NAMES,
};

/** The table for a store's locale: Turkish for `tr-…`, English otherwise (as "How points work"). */
export const earnWordsFor = (locale: string): EarnWords => (speaksTurkish(locale) ? TURKISH_EARN_WORDS : ENGLISH_EARN_WORDS);

/** A category as the words name it: the built-in name in their language, any other as written. */
export function categoryName(words: EarnWords, category: string): string {
  return Object.hasOwn(words.categories, category) ? words.categories[category as BuiltInCategory] : category;
}

export const minimumSpendLabel = (words: EarnWords, amountMinor: number, currency: string): string =>
  words.minimumSpend(formatMoney(amountMinor, currency, words.moneyLocale));

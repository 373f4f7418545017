// The sentences of "How points work", one table per language. explain.ts decides what to say from
// the rule set; a table only says it. Money arrives formatted for the store's locale.
import type { Day } from './rule-set';

export type ExplainSectionKey = 'earning' | 'tiers' | 'promotions' | 'referral' | 'redemption' | 'rewards' | 'offers' | 'expiry';
export type Rounding = 'floor' | 'round' | 'ceil';
export type Stacking = 'stack' | 'bestOf' | 'exclusiveGroups';

export type PromotionWords = {
  effect:
    | { type: 'multiplier'; multiplier: number }
    | { type: 'bonus'; points: number }
    | { type: 'perSpend'; points: number; every: string; maxPoints: number | undefined };
  on: string[];
  schedule: { days: Day[]; from: string | undefined; to: string | undefined; pastMidnight: boolean } | null;
  startsAt: string | undefined;
  endsAt: string | undefined;
  tiers: string[] | null;
  firstPurchase: boolean;
  birthdayMonth: boolean;
  minSpend: string | undefined;
};

export type ExplainPhrases = {
  sectionTitle: Record<ExplainSectionKey, string>;
  points: (n: number) => string;
  list: (xs: readonly string[]) => string;
  item: (sku: string) => string;
  earningBase: (points: number, unit: string) => string;
  earningRate: (subject: string, points: number, unit: string) => string;
  earningFixed: (subject: string, points: number) => string;
  earningExcluded: (what: string) => string;
  earningPaidWithMoney: string;
  earningRounding: (rounding: Rounding, scope: 'line' | 'receipt') => string;
  earningMinimumSpend: (amount: string) => string;
  earningCapSale: (points: number) => string;
  earningCapDay: (points: number) => string;
  tiersBasis: (basis: 'spend' | 'points', months: number) => string;
  tiersLevel: (level: { name: string; first: boolean; threshold: string; multiplier: number; perks: string[] }) => string;
  tiersKeep: string;
  tiersWindowEnd: (months: number, graceDays: number) => string;
  tiersImmediate: string;
  promotion: (label: string, words: PromotionWords) => string;
  stacking: Record<Stacking, string>;
  multipliersAdd: string;
  referral: (referrerPoints: number, refereePoints: number, minimumSpend: string | null) => string;
  redemptionValue: (value: string) => string;
  redemptionPartial: (maxSharePercent: number) => string;
  redemptionMinimum: (points: number) => string;
  redemptionFloor: (points: number) => string;
  rewardDiscountFixed: (label: string, amount: string, points: number, tiers: string[] | null) => string;
  rewardDiscountPercent: (label: string, percent: number, cap: string | null, points: number, tiers: string[] | null) => string;
  rewardFreeItem: (label: string, what: { sku: string } | { category: string }, maxPrice: string | null, points: number | null, tiers: string[] | null) => string;
  rewardDonation: (label: string, charity: string, minimumPoints: number, match: { perMember: number; programme: number } | null, tiers: string[] | null) => string;
  expiryNever: string;
  expiryMonths: (months: number, endOfMonth: boolean) => string;
  offersFavourite: (bonusPoints: number, visits: number, weeks: number) => string;
  offersBundle: (addOn: string, discountPercent: number, maxDiscount: string) => string;
  offersWinBack: (weeks: number, bonusPoints: number) => string;
  offersTerms: (validityDays: number, maxPerMember: number) => string;
};

const joinList = (and: string) => (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} ${and} ${xs.at(-1) ?? ''}`);
const trimDate = (dt: string) => (dt.endsWith('T00:00') ? dt.slice(0, 10) : dt.replace('T', ' '));
const sentence = (label: string, body: string, conditions: readonly string[]) => `${label}: ${body}${conditions.length > 0 ? `, ${conditions.join(', ')}` : ''}.`;

const enList = joinList('and');
// Counts grouped as each language writes them ("5,000 points", "5.000 puan"): "At most 5000 points" read as a code.
const enCount = new Intl.NumberFormat('en-GB').format;
const trCount = new Intl.NumberFormat('tr-TR').format;
const enPlural = (n: number, one: string, many = `${one}s`) => `${enCount(n)} ${n === 1 ? one : many}`;
const enPoints = (n: number) => enPlural(n, 'point');
const enForTiers = (tiers: string[] | null) => (tiers ? ` (${enList(tiers)} members)` : '');

export const ENGLISH_PHRASES: ExplainPhrases = {
  sectionTitle: {
    earning: 'Earning points',
    tiers: 'Tiers',
    promotions: 'Promotions',
    referral: 'Refer a friend',
    redemption: 'Paying with points',
    rewards: 'Rewards',
    offers: 'Offers just for you',
    expiry: 'Expiry',
  },
  points: enPoints,
  list: enList,
  item: (sku) => `item ${sku}`,
  earningBase: (points, unit) => `You earn ${enPoints(points)} for every ${unit} you spend.`,
  earningRate: (subject, points, unit) => `${subject}: ${enPoints(points)} per ${unit}.`,
  earningFixed: (subject, points) => `${subject}: ${enPoints(points)} per item.`,
  earningExcluded: (what) => `No points on ${what}.`,
  earningPaidWithMoney: 'Points are earned on what you pay with money, not on what points pay for.',
  earningRounding: (rounding, scope) =>
    `Points are ${{ floor: 'rounded down', round: 'rounded to the nearest point', ceil: 'rounded up' }[rounding]} ${scope === 'line' ? 'on each line' : 'once per receipt'}.`,
  earningMinimumSpend: (amount) => `Spend at least ${amount} to earn points.`,
  earningCapSale: (points) => `At most ${enPoints(points)} per sale.`,
  earningCapDay: (points) => `At most ${enPoints(points)} per day.`,
  tiersBasis: (basis, months) => `Your tier depends on ${basis === 'spend' ? 'what you spend' : 'the points you earn'} over the last ${enPlural(months, 'month')}.`,
  tiersLevel: ({ name, first, threshold, multiplier, perks }) =>
    `${name}: ${first ? 'where every member starts' : `from ${threshold}`}${multiplier > 1 ? `; earns ×${multiplier} points` : ''}${perks.length > 0 ? `; ${enList(perks)}` : ''}.`,
  tiersKeep: 'Once you reach a tier, you keep it.',
  tiersWindowEnd: (months, graceDays) =>
    `A tier lasts ${enPlural(months, 'month')} from when you reach it. If you still qualify then, it renews; if not, it moves to the tier you qualify for${graceDays > 0 ? `, after ${enPlural(graceDays, 'day')} of grace` : ''}.`,
  tiersImmediate: 'You move up as soon as you qualify; the new tier counts from your next purchase.',
  promotion: (label, w) => {
    const e = w.effect;
    const effect =
      e.type === 'multiplier'
        ? `×${e.multiplier} points`
        : e.type === 'bonus'
          ? enPlural(e.points, 'bonus point')
          : `${enPlural(e.points, 'bonus point')} for every ${e.every} spent${e.maxPoints !== undefined ? ` (up to ${e.maxPoints})` : ''}`;
    const conditions: string[] = [];
    if (w.on.length > 0) conditions.push(`on ${enList(w.on)}`);
    if (w.schedule) {
      const s = w.schedule;
      const days = s.days.length === 7 ? 'every day' : enList(s.days);
      conditions.push(s.from === undefined ? days : `${days} ${s.from}–${s.to ?? ''}${s.pastMidnight ? ' (past midnight)' : ''}`);
    }
    if (w.startsAt && w.endsAt) conditions.push(`from ${trimDate(w.startsAt)} until ${trimDate(w.endsAt)}`);
    else if (w.startsAt) conditions.push(`from ${trimDate(w.startsAt)}`);
    else if (w.endsAt) conditions.push(`until ${trimDate(w.endsAt)}`);
    if (w.tiers) conditions.push(`for ${enList(w.tiers)} members`);
    if (w.firstPurchase) conditions.push('on your first purchase');
    if (w.birthdayMonth) conditions.push('in your birthday month');
    if (w.minSpend !== undefined) conditions.push(`when you spend at least ${w.minSpend}`);
    return sentence(label, effect, conditions);
  },
  stacking: {
    stack: 'Promotions add up.',
    bestOf: 'Only the promotion worth the most applies to a sale.',
    exclusiveGroups: 'Within a group only the promotion worth the most applies; different groups add up.',
  },
  multipliersAdd: 'Multipliers add up on your base points: double points on a ×2 tier gives ×3, not ×4.',
  referral: (referrerPoints, refereePoints, minimumSpend) =>
    `Give your referral code to a friend when they join. When they make their first purchase${minimumSpend ? ` of at least ${minimumSpend}` : ''}, you get ${enPoints(referrerPoints)} and they get ${enPoints(refereePoints)}. Once per friend; you cannot refer yourself.`,
  redemptionValue: (value) => `Each point is worth ${value}.`,
  redemptionPartial: (maxSharePercent) =>
    maxSharePercent < 100 ? `You can pay any part of a sale with points, up to ${maxSharePercent}% of it.` : 'You can pay any part of a sale with points.',
  redemptionMinimum: (points) => `Use at least ${enPoints(points)} at a time.`,
  redemptionFloor: (points) => `Keep at least ${enPoints(points)} on your balance.`,
  rewardDiscountFixed: (label, amount, points, tiers) => `${label}: ${amount} off for ${enPoints(points)}${enForTiers(tiers)}.`,
  rewardDiscountPercent: (label, percent, cap, points, tiers) => `${label}: ${percent}% off${cap ? ` (up to ${cap})` : ''} for ${enPoints(points)}${enForTiers(tiers)}.`,
  rewardFreeItem: (label, what, maxPrice, points, tiers) =>
    `${label}: ${'sku' in what ? `item ${what.sku}` : `any ${what.category} item`}${maxPrice ? ` up to ${maxPrice}` : ''} free for ${points !== null ? enPoints(points) : 'its price in points'}${enForTiers(tiers)}.`,
  rewardDonation: (label, charity, minimumPoints, match, tiers) =>
    `${label}: donate points to ${charity}, from ${enPoints(minimumPoints)}.${match ? ` The programme adds ${enPoints(match.programme)} for every ${enPoints(match.perMember)} you give.` : ''}${tiers ? ` For ${enList(tiers)} members.` : ''}`,
  expiryNever: 'Points never expire.',
  expiryMonths: (months, endOfMonth) =>
    `Points can be used for ${enPlural(months, 'month')} after you earn them${endOfMonth ? ', until the end of that month' : ''}. The points that expire soonest are used first; your receipt shows what expires next.`,
  offersFavourite: (bonusPoints, visits, weeks) =>
    `Bought the same kind of thing on ${enPlural(visits, 'visit')} or more in ${enPlural(weeks, 'week')}? You may get ${enPoints(bonusPoints)} extra on it next time.`,
  offersBundle: (addOn, discountPercent, maxDiscount) =>
    `With your usual item, ${addOn} ${discountPercent === 100 ? 'free' : `${discountPercent}% off`} (up to ${maxDiscount}), when we offer it to you.`,
  offersWinBack: (weeks, bonusPoints) => `Not been in for ${enPlural(weeks, 'week')}? Your next purchase may earn ${enPoints(bonusPoints)} extra.`,
  offersTerms: (validityDays, maxPerMember) =>
    `Each offer is yours for ${enPlural(validityDays, 'day')} and can be used once; you hold at most ${maxPerMember} at a time. The cashier sees them when you are looked up.`,
};

// Turkish counts with a bare noun ("5 puan"), so there is no plural to choose.
const trList = joinList('ve');
const trPoints = (n: number) => `${trCount(n)} puan`;
const TR_DAYS: Record<Day, string> = { Mon: 'Pazartesi', Tue: 'Salı', Wed: 'Çarşamba', Thu: 'Perşembe', Fri: 'Cuma', Sat: 'Cumartesi', Sun: 'Pazar' };
const trForTiers = (tiers: string[] | null) => (tiers ? ` (${trList(tiers)} üyeleri için)` : '');

export const TURKISH_PHRASES: ExplainPhrases = {
  sectionTitle: {
    earning: 'Puan kazanma',
    tiers: 'Seviyeler',
    promotions: 'Kampanyalar',
    referral: 'Arkadaşını getir',
    redemption: 'Puanla ödeme',
    rewards: 'Ödüller',
    offers: 'Size özel teklifler',
    expiry: 'Puanların süresi',
  },
  points: trPoints,
  list: trList,
  item: (sku) => `ürün ${sku}`,
  earningBase: (points, unit) => `Harcadığınız her ${unit} için ${trPoints(points)} kazanırsınız.`,
  earningRate: (subject, points, unit) => `${subject}: ${unit} başına ${trPoints(points)}.`,
  earningFixed: (subject, points) => `${subject}: ürün başına ${trPoints(points)}.`,
  earningExcluded: (what) => `Şunlara puan verilmez: ${what}.`,
  earningPaidWithMoney: 'Puan, puanla ödenen kısma değil, parayla ödediğiniz tutara verilir.',
  earningRounding: (rounding, scope) =>
    `Puanlar ${scope === 'line' ? 'her satırda' : 'fiş başına bir kez'} ${{ floor: 'aşağı yuvarlanır', round: 'en yakın puana yuvarlanır', ceil: 'yukarı yuvarlanır' }[rounding]}.`,
  earningMinimumSpend: (amount) => `Puan kazanmak için en az ${amount} harcayın.`,
  earningCapSale: (points) => `Satış başına en fazla ${trPoints(points)}.`,
  earningCapDay: (points) => `Günde en fazla ${trPoints(points)}.`,
  tiersBasis: (basis, months) => `Seviyeniz son ${months} aydaki ${basis === 'spend' ? 'harcamanıza' : 'kazandığınız puanlara'} göre belirlenir.`,
  tiersLevel: ({ name, first, threshold, multiplier, perks }) =>
    `${name}: ${first ? 'her üyenin başladığı seviye' : `${threshold} ve üzeri`}${multiplier > 1 ? `; ×${multiplier} puan kazanır` : ''}${perks.length > 0 ? `; ${trList(perks)}` : ''}.`,
  tiersKeep: 'Bir seviyeye ulaştığınızda o seviyede kalırsınız.',
  tiersWindowEnd: (months, graceDays) =>
    `Bir seviye, ulaştığınız andan itibaren ${months} ay sürer. O zaman hâlâ hak ediyorsanız yenilenir; etmiyorsanız${graceDays > 0 ? ` ${graceDays} günlük ek sürenin ardından` : ''} hak ettiğiniz seviyeye geçersiniz.`,
  tiersImmediate: 'Hak ettiğiniz anda üst seviyeye geçersiniz; yeni seviye bir sonraki alışverişinizden itibaren geçerlidir.',
  promotion: (label, w) => {
    const e = w.effect;
    const effect =
      e.type === 'multiplier'
        ? `×${e.multiplier} puan`
        : e.type === 'bonus'
          ? `${e.points} bonus puan`
          : `harcanan her ${e.every} için ${e.points} bonus puan${e.maxPoints !== undefined ? ` (en fazla ${e.maxPoints})` : ''}`;
    const conditions: string[] = [];
    if (w.on.length > 0) conditions.push(`${trList(w.on)} alımlarında`);
    if (w.schedule) {
      const s = w.schedule;
      const days = s.days.length === 7 ? 'her gün' : trList(s.days.map((d) => TR_DAYS[d]));
      conditions.push(s.from === undefined ? days : `${days} ${s.from}–${s.to ?? ''}${s.pastMidnight ? ' (gece yarısını geçerek)' : ''}`);
    }
    if (w.startsAt && w.endsAt) conditions.push(`${trimDate(w.startsAt)} ile ${trimDate(w.endsAt)} arasında`);
    else if (w.startsAt) conditions.push(`${trimDate(w.startsAt)} tarihinden itibaren`);
    else if (w.endsAt) conditions.push(`${trimDate(w.endsAt)} tarihine kadar`);
    if (w.tiers) conditions.push(`${trList(w.tiers)} üyeleri için`);
    if (w.firstPurchase) conditions.push('ilk alışverişinizde');
    if (w.birthdayMonth) conditions.push('doğum ayınızda');
    if (w.minSpend !== undefined) conditions.push(`en az ${w.minSpend} harcadığınızda`);
    return sentence(label, effect, conditions);
  },
  stacking: {
    stack: 'Kampanyalar birbirine eklenir.',
    bestOf: 'Bir satışa yalnızca en değerli kampanya uygulanır.',
    exclusiveGroups: 'Bir grup içinde yalnızca en değerli kampanya uygulanır; farklı grupların kampanyaları birbirine eklenir.',
  },
  multipliersAdd: 'Çarpanlar temel puanınıza eklenir: ×2 seviyede çift puan ×4 değil ×3 eder.',
  referral: (referrerPoints, refereePoints, minimumSpend) =>
    `Üye olurken arkadaşınıza referans kodunuzu verin. Arkadaşınız ${minimumSpend ? `en az ${minimumSpend} tutarındaki ` : ''}ilk alışverişini yaptığında siz ${trPoints(referrerPoints)}, o ${trPoints(refereePoints)} kazanır. Her arkadaş için bir kez; kendinizi davet edemezsiniz.`,
  redemptionValue: (value) => `Her puan ${value} değerindedir.`,
  redemptionPartial: (maxSharePercent) =>
    maxSharePercent < 100
      ? `Bir satışın istediğiniz kadarını puanla ödeyebilirsiniz; en fazla tutarın yüzde ${maxSharePercent} kadarını.`
      : 'Bir satışın istediğiniz kadarını puanla ödeyebilirsiniz.',
  redemptionMinimum: (points) => `Bir seferde en az ${trPoints(points)} kullanın.`,
  redemptionFloor: (points) => `Bakiyenizde en az ${trPoints(points)} kalmalıdır.`,
  rewardDiscountFixed: (label, amount, points, tiers) => `${label}: ${trPoints(points)} karşılığında ${amount} indirim${trForTiers(tiers)}.`,
  rewardDiscountPercent: (label, percent, cap, points, tiers) =>
    `${label}: ${trPoints(points)} karşılığında yüzde ${percent} indirim${cap ? ` (en fazla ${cap})` : ''}${trForTiers(tiers)}.`,
  rewardFreeItem: (label, what, maxPrice, points, tiers) =>
    `${label}: ${points !== null ? `${trPoints(points)} karşılığında` : 'fiyatı kadar puan karşılığında'} ${'sku' in what ? `ürün ${what.sku}` : `herhangi bir ${what.category} ürünü`}${maxPrice ? ` (en fazla ${maxPrice})` : ''} ücretsiz${trForTiers(tiers)}.`,
  rewardDonation: (label, charity, minimumPoints, match, tiers) =>
    `${label}: ${charity} için en az ${trPoints(minimumPoints)} bağışlayın.${match ? ` Bağışladığınız her ${trPoints(match.perMember)} için program ${trPoints(match.programme)} ekler.` : ''}${tiers ? ` ${trList(tiers)} üyeleri için.` : ''}`,
  expiryNever: 'Puanların süresi dolmaz.',
  expiryMonths: (months, endOfMonth) =>
    `Puanlarınızı kazandıktan sonra ${months} ay boyunca${endOfMonth ? ', o ayın sonuna kadar' : ''} kullanabilirsiniz. Süresi en önce dolacak puanlar önce kullanılır; fişinizde sıradaki sona erecek puanlar yazar.`,
  offersFavourite: (bonusPoints, visits, weeks) =>
    `Son ${weeks} haftada en az ${visits} ziyarette aynı türden ürün aldıysanız, bir sonraki alışverişinizde ona ${trPoints(bonusPoints)} ek kazanabilirsiniz.`,
  offersBundle: (addOn, discountPercent, maxDiscount) =>
    `Size teklif edildiğinde, her zamanki ürününüzle birlikte ${addOn} ${discountPercent === 100 ? 'ücretsiz' : `yüzde ${discountPercent} indirimli`} (en fazla ${maxDiscount}).`,
  offersWinBack: (weeks, bonusPoints) => `${weeks} haftadır gelmediyseniz, bir sonraki alışverişiniz ${trPoints(bonusPoints)} ek kazandırabilir.`,
  offersTerms: (validityDays, maxPerMember) =>
    `Her teklif ${validityDays} gün geçerlidir ve bir kez kullanılır; aynı anda en çok ${maxPerMember} teklifiniz olur. Kasiyer sizi bulduğunda teklifleri görür.`,
};

/** Whether a store locale speaks Turkish ("tr…"); every other locale gets English (as the renderer picks its language). */
export const speaksTurkish = (locale: string): boolean => locale.toLowerCase().startsWith('tr');

/** The table for a locale: Turkish for "tr…", English otherwise. */
export const explainPhrasesFor = (locale: string): ExplainPhrases => (speaksTurkish(locale) ? TURKISH_PHRASES : ENGLISH_PHRASES);

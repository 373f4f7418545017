import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainRuleSet } from '../../src-shared/program/explain';
import { ENGLISH_PHRASES } from '../../src-shared/program/explain-phrases';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';
import type { RuleSet } from '../../src-shared/program/rule-set';

// The documented example uses every part of the format: tiers, five kinds of promotion, referral, every reward type, expiry.
function documentedExample(): RuleSet {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/rule-set.md'), 'utf8');
  const start = doc.indexOf('```json') + '```json'.length;
  const result = validateRuleSet(JSON.parse(doc.slice(start, doc.indexOf('```', start))));
  if (!result.ok) throw new Error('the documented example does not validate');
  return result.value;
}

// Words the English sentences are made of; none belongs in a Turkish sentence (owner-written names aside).
const ENGLISH_WORDS = /\b(points?|you|your|every|spend|spent|per|item|members?|from|until|free|off|tier|months?|days?|donate|the|and|of)\b/i;

describe('"How points work" in the store language', () => {
  const ruleSet = documentedExample();
  const turkish = explainRuleSet(ruleSet, { locale: 'tr-TR' });
  const english = explainRuleSet(ruleSet, { locale: 'en-GB' });
  const ownerNames = [
    ...ruleSet.promotions.map((p) => p.label),
    ...ruleSet.rewards.map((r) => r.label),
    ...Object.values(ruleSet.earning.categoryLabels),
    ...(ruleSet.tiers?.levels.flatMap((l) => [l.name, ...l.perks]) ?? []),
    ...ruleSet.earning.fixedPoints.flatMap((f) => (f.label ? [f.label] : [])),
    ...(ruleSet.offers?.bundle ? [ruleSet.offers.bundle.addOnLabel] : []),
  ];
  const withoutOwnerNames = (text: string) => ownerNames.reduce((t, name) => t.split(name).join(''), text);

  it('says every sentence in Turkish for a tr locale', () => {
    const sentences = turkish.sections.flatMap((s) => [s.title, ...s.items.map((i) => i.text)]);
    expect(sentences.length).toBeGreaterThan(25);
    for (const sentence of sentences) expect(withoutOwnerNames(sentence), sentence).not.toMatch(ENGLISH_WORDS);
    expect(turkish.sections.map((s) => s.title)).toEqual(['Puan kazanma', 'Seviyeler', 'Kampanyalar', 'Arkadaşını getir', 'Puanla ödeme', 'Ödüller', 'Size özel teklifler', 'Puanların süresi']);
    expect(turkish.sections[0]?.items[0]?.text).toBe('Harcadığınız her ₺1,00 için 1 puan kazanırsınız.');
  });

  it('names weekdays, amounts and counts in Turkish', () => {
    const promotions = turkish.sections.find((s) => s.key === 'promotions')?.items.map((i) => i.text) ?? [];
    expect(promotions).toContain('Tuesday evening double points: ×2 puan, Salı 16:00–18:00.');
    expect(promotions).toContain('Spend 500, get 100: 100 bonus puan, en az ₺500,00 harcadığınızda.');
  });

  it('groups the digits of large counts as each language writes them', () => {
    const said = (e: typeof turkish) => e.sections.flatMap((s) => s.items.map((i) => i.text));
    expect(said(english)).toContain('At most 5,000 points per sale.');
    expect(said(english)).toContain('At most 10,000 points per day.');
    expect(said(turkish)).toContain('Satış başına en fazla 5.000 puan.');
    expect(said(turkish)).toContain('Günde en fazla 10.000 puan.');
  });

  it('says the same things in both languages: same sections, item keys and parameters', () => {
    const shape = (e: typeof turkish) => e.sections.map((s) => ({ key: s.key, items: s.items.map((i) => ({ key: i.key, params: Object.keys(i.params) })) }));
    expect(shape(turkish)).toEqual(shape(english));
    expect(english.sections.map((s) => s.title)).toEqual(Object.values(ENGLISH_PHRASES.sectionTitle).filter((t) => english.sections.some((s) => s.title === t)));
  });

  it('falls back to English for a locale without its own sentences', () => {
    expect(explainRuleSet(ruleSet, { locale: 'de-DE' }).sections[0]?.items[0]?.text).toMatch(/^You earn 1 point for every /);
  });
});

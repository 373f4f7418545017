// The Programme page's draft editing: the form writes plain JSON the shared validator judges, and a
// mistyped number stays visible to the validator instead of disappearing.
import { describe, expect, it } from 'vitest';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';
import { getIn, listFromText, nextVersion, numberOrText, pathText, setIn, starterDraft } from '../../src-console/pages/programme/draft';

describe('programme draft editing', () => {
  it('sets and deletes nested values without touching the original', () => {
    const draft = starterDraft('TRY');
    const withPromo = setIn(draft, ['promotions', 0], { id: 'tue', label: 'Tuesday', effect: { type: 'multiplier', multiplier: 2 } });
    expect(getIn(withPromo, ['promotions', 0, 'effect', 'multiplier'])).toBe(2);
    expect(getIn(draft, ['promotions', 0])).toBeUndefined();
    const withCap = setIn(withPromo, ['earning', 'caps', 'perDay'], 500);
    expect(getIn(withCap, ['earning', 'caps', 'perDay'])).toBe(500);
    const removed = setIn(withCap, ['promotions', 0], undefined);
    expect(getIn(removed, ['promotions'])).toEqual([]);
    expect(getIn(setIn(withCap, ['earning', 'caps', 'perDay'], undefined), ['earning', 'caps'])).toEqual({});
  });

  it('keeps mistyped numbers as text so the validator names them at the path the form marks', () => {
    expect(numberOrText('2.5')).toBe(2.5);
    expect(numberOrText('2,5')).toBe(2.5);
    expect(numberOrText('  ')).toBeUndefined();
    expect(numberOrText('abc')).toBe('abc');
    const draft = setIn(starterDraft('TRY'), ['earning', 'pointsPerUnit'], numberOrText('abc') ?? null);
    const result = validateRuleSet(draft);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual({ path: pathText(['earning', 'pointsPerUnit']), message: 'expected a number, got "abc"', code: 'wrong-type', facts: { expected: 'number', got: '"abc"' } });
    expect(pathText(['promotions', 0, 'effect', 'multiplier'])).toBe('promotions[0].effect.multiplier');
    expect(listFromText('Bakery, , Coffee ')).toEqual(['Bakery', 'Coffee']);
    expect(listFromText(' , ')).toBeUndefined();
  });

  it('suggests a version that is not taken', () => {
    expect(nextVersion('club-1', [])).toBe('club-2');
    expect(nextVersion('club-1', ['club-2', 'club-3'])).toBe('club-4');
    expect(nextVersion('default-TRY-1', [])).toBe('default-TRY-2');
    expect(nextVersion('summer', [])).toBe('summer-2');
    expect(nextVersion('summer', ['summer-2'])).toBe('summer-3');
  });

  it('keeps the zero padding of a version number, so the next of kadikoy-2026-06 is kadikoy-2026-07', () => {
    // docs/rule-set.md's example version: a month's number written with two digits.
    expect(nextVersion('kadikoy-2026-06', [])).toBe('kadikoy-2026-07');
    expect(nextVersion('club-09', [])).toBe('club-10');
    expect(nextVersion('club-099', ['club-100'])).toBe('club-101');
    expect(nextVersion('club-99', [])).toBe('club-100');
    expect(nextVersion('v2026120100', [])).toBe('v2026120101');
    // Beyond what a number holds exactly: the digits still go up by one.
    expect(nextVersion('build-90071992547409919', [])).toBe('build-90071992547409920');
  });

  it('starts from a valid rule set', () => {
    expect(validateRuleSet(starterDraft('EUR')).ok).toBe(true);
  });
});

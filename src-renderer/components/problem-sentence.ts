// A refused programme or catalogue file (details.problems from program.install or catalogue.install)
// said in the store's language: the first few problems, each "place: reason", worded by the same
// shared code as the console's, so a Turkish store's manager does not read the core's English.
import type { i18n as I18n } from 'i18next';
import { catalogueFieldLabel } from '../../src-shared/catalogue/catalogue-problem-words';
import { isProblemLike, problemText, type ProblemLike, type Translate } from '../../src-shared/program/problem-words';

/** Enough to start fixing the file; the rest are counted, and all are in the English detail. */
const SHOWN = 5;

/**
 * The sentence for a file's problems, or null when there are none with a code (an older core: its
 * English stays the detail). A rule set's place is its path (the terminal has no rule-set form to
 * name its fields); a catalogue's is its product and barcode ("Ürün 3 › Barkod 1").
 */
export function problemsSentence(problems: unknown, ruleSet: boolean, i18n: I18n): string | null {
  if (!Array.isArray(problems)) return null;
  const known = problems.filter(isProblemLike);
  if (!known.some((p) => typeof p.code === 'string')) return null;
  const t: Translate = (key, params) => i18n.t(key, params ?? {});
  const said = (p: ProblemLike) => {
    const place = ruleSet ? p.path : catalogueFieldLabel(p.path, t);
    const reason = problemText(p, t);
    return place ? `${place}: ${reason}` : reason;
  };
  const parts = known.slice(0, SHOWN).map(said);
  if (known.length > SHOWN) parts.push(t('errors.problemsMore', { count: known.length - SHOWN }));
  return t('errors.fileProblems', { problems: parts.join('; ') });
}

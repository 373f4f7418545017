import { useTranslation } from 'react-i18next';
import { catalogueFieldLabel } from '../../components/catalogue-problem-text';
import { problemText, type ProblemLike } from '../../components/problem-text';

/** Every problem of a catalogue, each where it is ("Product 3 › Barcode 1", the raw path on hover) and why. */
export function CatalogueProblemList({ problems }: { problems: readonly ProblemLike[] }) {
  const { t } = useTranslation();
  return (
    <ul className="problems">
      {problems.map((p, i) => (
        <li key={i}>
          {p.path ? <code title={p.path}>{catalogueFieldLabel(p.path, t)}</code> : null} {problemText(p, t)}
        </li>
      ))}
    </ul>
  );
}

import { useTranslation } from 'react-i18next';
import type { ConsoleError } from '../api/console-client';
import { problemText, type ProblemLike } from './problem-text';
import { errorText } from './error-text';

type Problem = ProblemLike;

const problemsOf = (error: ConsoleError): Problem[] => {
  const details = error.details as { problems?: unknown } | undefined;
  return Array.isArray(details?.problems) ? (details.problems as Problem[]) : [];
};

/** A failed call in words, with every problem the server listed (e.g. a rule set's). */
export function ErrorMessage({ error, title, signingIn = false }: { error: ConsoleError | null; title?: string; signingIn?: boolean }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problems = problemsOf(error);
  return (
    <div className="error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      <span className="error-message">{errorText(error, t, { signingIn })}</span>
      {problems.length > 0 ? (
        <ul className="problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.path ? <code>{p.path}</code> : null} {problemText(p, t)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

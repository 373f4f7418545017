import type { ConsoleError } from '../api/console-client';

type Problem = { path: string; message: string };

const problemsOf = (error: ConsoleError): Problem[] => {
  const details = error.details as { problems?: unknown } | undefined;
  return Array.isArray(details?.problems) ? (details.problems as Problem[]) : [];
};

/** A failed call in words, with every problem the server listed (e.g. a rule set's). */
export function ErrorMessage({ error, title }: { error: ConsoleError | null; title?: string }) {
  if (!error) return null;
  const problems = problemsOf(error);
  return (
    <div className="error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      <span className="error-message">{error.message.split('\n')[0]}</span>
      {problems.length > 0 ? (
        <ul className="problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.path ? <code>{p.path}</code> : null} {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

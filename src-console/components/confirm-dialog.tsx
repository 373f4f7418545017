import type { ReactNode } from 'react';

/**
 * An action asked about before it is done: what it will do, in words that name what it touches,
 * a button that does it and one that goes back. `tone` is the yes button's: `danger` for what is
 * hard to take back (a merge, a revocation, discarding a draft), `primary` otherwise.
 */
export function ConfirmDialog({ label, yes, no, tone = 'danger', onYes, onNo, children }: { label: string; yes: string; no: string; tone?: 'danger' | 'primary'; onYes: () => void; onNo: () => void; children: ReactNode }) {
  return (
    <div role="alertdialog" aria-label={label} className="notice">
      <p>{children}</p>
      <div className="row">
        <button type="button" className={tone} onClick={onYes}>
          {yes}
        </button>
        <button type="button" onClick={onNo}>
          {no}
        </button>
      </div>
    </div>
  );
}

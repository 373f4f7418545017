const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '', '0', '⌫'] as const;

/**
 * A large on-screen keypad for touch counters; the keyboard works everywhere too. Its keys neither
 * take the focus when pressed (the field keeps it, so the keyboard and a scanner still type there)
 * nor stand in the Tab order (from the field, Tab goes on to the form's buttons, not through twelve keys).
 */
export function Keypad({ onKey, label, extraKey }: { onKey: (key: string) => void; label: string; extraKey?: string }) {
  const key = (k: string, i: number) => (
    <button key={i} type="button" tabIndex={-1} aria-label={`${label} ${k}`} onMouseDown={(e) => e.preventDefault()} onClick={() => onKey(k)}>
      {k}
    </button>
  );
  return (
    <div className="keypad" role="group" aria-label={label}>
      {KEYS.map((k, i) => (k !== '' ? key(k, i) : extraKey ? key(extraKey, i) : <span key={i} />))}
    </div>
  );
}

export const applyKey = (value: string, key: string, max = 20): string => (key === '⌫' ? value.slice(0, -1) : value.length >= max ? value : value + key);

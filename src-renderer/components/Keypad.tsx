const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '', '0', '⌫'] as const;

/** A large on-screen keypad for touch counters; the keyboard works everywhere too. */
export function Keypad({ onKey, label, extraKey }: { onKey: (key: string) => void; label: string; extraKey?: string }) {
  return (
    <div className="keypad" role="group" aria-label={label}>
      {KEYS.map((key, i) =>
        key === '' ? (
          extraKey ? (
            <button key={i} type="button" aria-label={`${label} ${extraKey}`} onClick={() => onKey(extraKey)}>
              {extraKey}
            </button>
          ) : (
            <span key={i} />
          )
        ) : (
          <button key={i} type="button" aria-label={key === '⌫' ? `${label} ⌫` : `${label} ${key}`} onClick={() => onKey(key)}>
            {key}
          </button>
        ),
      )}
    </div>
  );
}

export const applyKey = (value: string, key: string, max = 20): string => (key === '⌫' ? value.slice(0, -1) : value.length >= max ? value : value + key);

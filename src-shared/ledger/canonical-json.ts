/**
 * JSON with object keys sorted at every depth: the same value always gives the same text.
 * Every ledger entry is hashed through this (on the terminal at each sale, on the server for each
 * pushed entry). A value whose keys are in that order already (a terminal stores and pushes its
 * entries' payloads so) is JSON.stringify's text, in one native call; anything else is built in
 * one pass without intermediate arrays.
 */
export function canonicalJson(value: unknown): string {
  return inCanonicalOrder(value) ? JSON.stringify(value) : build(value);
}

/**
 * Whether JSON.stringify writes exactly the canonical text: plain objects and arrays whose every
 * key follows the one before it in the default sort, with no undefined, non-finite or non-JSON
 * values anywhere. (V8 iterates integer-like keys first, in numeric order: where that differs
 * from the sort, "9" before "10" say, the check fails and the object is sorted.)
 */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) if (!inCanonicalOrder(value[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const record = value as Record<string, unknown>;
  let previous: string | undefined;
  for (const key of Object.keys(record)) {
    if (previous !== undefined && previous > key) return false;
    const item = record[key];
    if (item === undefined || !inCanonicalOrder(item)) return false;
    previous = key;
  }
  return true;
}

function build(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + build(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // The default sort compares UTF-16 code units, as `<` on strings does: keys already in order
  // (an entry's nested objects often are) skip it.
  for (let i = 1; i < keys.length; i += 1) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${quotedKey(key)}${typeof v === 'string' ? JSON.stringify(v) : build(v)}`;
  }
  return `${out}}`;
}

/** `"key":` for each key seen: entries repeat a few dozen keys, hashed by the thousand on the server. */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

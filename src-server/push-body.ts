// A push body in the layout terminals write (src-shared/sync/push-body.ts: one entry per line),
// parsed entry by entry. Decoding a whole 1,000-entry body (~0.7 MB) into one string cost as much
// as parsing it: V8 puts such a string in fresh pages of its own, page-faulted in one by one. Cut
// at its line breaks, the body becomes a thousand small strings, which cost next to nothing.
//
// The result must be exactly what JSON.parse would make of the whole text, so anything off the
// layout (another client's JSON, a line that does not parse, a missing or extra comma, a second
// "entries" key) gives null: the caller then parses the whole body, and that parse decides.

const LINE_BREAK = 0x0a;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;
/** The first line: no strings but its keys, so nothing on it can hide another key. */
const HEAD = /^\{(?:"protocolVersion":\d{1,9},)?"entries":\[$/;
const HEAD_MAX_BYTES = 48;

/** The body's value, or null when its bytes do not follow the layout. `parseJson` throws on text it refuses. */
export function parseLinedPushBody(bytes: Buffer, parseJson: (text: string) => unknown): unknown {
  const headEnd = bytes.indexOf(LINE_BREAK);
  if (headEnd < 0 || headEnd > HEAD_MAX_BYTES) return null;
  const head = bytes.toString('latin1', 0, headEnd);
  if (!HEAD.test(head)) return null;
  const entries: unknown[] = [];
  let start = headEnd + 1;
  while (bytes[start] !== CLOSE_BRACKET) {
    const end = bytes.indexOf(LINE_BREAK, start);
    if (end < 0) return null;
    // Every entry's line ends with a comma but the last, which the closing line follows.
    const comma = bytes[end - 1] === COMMA;
    if (comma === (bytes[end + 1] === CLOSE_BRACKET)) return null;
    const entry = parseOrNull(bytes.toString('utf8', start, comma ? end - 1 : end), parseJson);
    if (entry === null) return null;
    entries.push(entry);
    start = end + 1;
  }
  if (entries.length === 0) return null;
  // The closing line holds the rest of the request: with the head, it is the request without its
  // entries. Another "entries" key in it (or one spelled with escapes) would replace them.
  const tail = bytes.toString('utf8', start);
  if (tail.includes('entries') || tail.includes('\\u')) return null;
  // The head opens an object, so a value here is one, and its entries are the head's empty array.
  const envelope = parseOrNull(head + tail, parseJson) as { entries: unknown[] } | null;
  if (envelope === null) return null;
  envelope.entries = entries;
  return envelope;
}

/** The value of `text`, or null when `parseJson` refuses it (null itself is no entry or request either). */
function parseOrNull(text: string, parseJson: (text: string) => unknown): unknown {
  try {
    return parseJson(text);
  } catch {
    return null;
  }
}

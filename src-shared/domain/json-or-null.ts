/** The value of a JSON text, or null when it is not JSON (a caller that validates the value next says what is wrong). */
export function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

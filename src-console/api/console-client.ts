// The console's only network access: JSON to and from the server's admin API on the same origin.
// Every call answers {ok: true, value} or {ok: false, error} and never throws, so every page can
// show what went wrong in words. `message` is the server's (English) words; the page says a known
// `code` in the console's language (components/error-text.ts).
export type ConsoleError = {
  code: string;
  message: string;
  /** HTTP status; 0 when the server could not be reached. */
  status: number;
  details?: unknown;
};

export type ConsoleResult<T> = { ok: true; value: T } | { ok: false; error: ConsoleError };

export type ConsoleClient = {
  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<ConsoleResult<T>>;
  post<T>(path: string, body?: unknown): Promise<ConsoleResult<T>>;
  /** A text answer (a CSV export) fetched with the session header; the page turns it into a download. */
  getText(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<ConsoleResult<string>>;
};

export type ConsoleClientOptions = {
  baseUrl?: string;
  token: () => string | null;
  /** Called when the server says the session is not (or no longer) valid. */
  onUnauthenticated?: () => void;
  fetchImpl?: typeof fetch;
};

const queryString = (query?: Record<string, string | number | boolean | undefined>): string => {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
};

export function createConsoleClient(options: ConsoleClientOptions): ConsoleClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request(method: 'GET' | 'POST', path: string, body: unknown, accept: 'json' | 'text'): Promise<ConsoleResult<unknown>> {
    const headers: Record<string, string> = { accept: accept === 'json' ? 'application/json' : 'text/plain, text/csv, */*' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (method === 'POST') headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}) });
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'UNREACHABLE', status: 0, message: `The server could not be reached (${cause}). Check the connection and try again.`, details: { cause } } };
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      let error: ConsoleError = { code: `HTTP_${response.status}`, status: response.status, message: `The server answered ${response.status} ${response.statusText}`, details: { statusText: response.statusText } };
      try {
        const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
        if (parsed.error?.message) {
          error = { code: parsed.error.code ?? error.code, status: response.status, message: parsed.error.message, ...(parsed.error.details !== undefined ? { details: parsed.error.details } : {}) };
        }
      } catch {
        // Not JSON (a proxy's error page): the status line says enough.
      }
      if (response.status === 401) options.onUnauthenticated?.();
      return { ok: false, error };
    }
    if (accept === 'text') return { ok: true, value: text };
    try {
      return { ok: true, value: text ? (JSON.parse(text) as unknown) : null };
    } catch {
      return { ok: false, error: { code: 'BAD_RESPONSE', status: response.status, message: 'The server sent something that is not JSON' } };
    }
  }

  return {
    get: <T,>(path: string, query?: Record<string, string | number | boolean | undefined>) => request('GET', `${path}${queryString(query)}`, undefined, 'json') as Promise<ConsoleResult<T>>,
    post: <T,>(path: string, body?: unknown) => request('POST', path, body, 'json') as Promise<ConsoleResult<T>>,
    getText: (path: string, query?: Record<string, string | number | boolean | undefined>) => request('GET', `${path}${queryString(query)}`, undefined, 'text') as Promise<ConsoleResult<string>>,
  };
}

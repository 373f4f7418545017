import { useCallback, useEffect, useState } from 'react';
import type { ConsoleClient, ConsoleError } from '../api/console-client';

export type QueryState<T> = { loading: boolean; value: T | null; error: ConsoleError | null; reload: () => void };

/**
 * GETs `path` when the page opens (and again on reload()); the previous value stays while reloading.
 * When the request fails, a value that answered the same request stays beneath the error (a refresh
 * that failed); one that answered another (other dates, another store) goes: it is not the answer.
 */
export function useConsoleQuery<T>(client: ConsoleClient, path: string, query?: Record<string, string | number | boolean | undefined>): QueryState<T> {
  const [state, setState] = useState<{ loading: boolean; value: T | null; error: ConsoleError | null; key: string | null }>({ loading: true, value: null, error: null, key: null });
  const [generation, setGeneration] = useState(0);
  const queryKey = JSON.stringify(query ?? {});
  useEffect(() => {
    let current = true;
    const key = `${path}?${queryKey}`;
    setState((s) => ({ ...s, loading: true }));
    void client.get<T>(path, JSON.parse(queryKey) as Record<string, string>).then((result) => {
      if (!current) return;
      setState(result.ok ? { loading: false, value: result.value, error: null, key } : (s) => ({ loading: false, value: s.key === key ? s.value : null, error: result.error, key: s.key === key ? key : null }));
    });
    return () => {
      current = false;
    };
  }, [client, path, queryKey, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const { loading, value, error } = state;
  return { loading, value, error, reload };
}

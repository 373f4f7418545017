import { useCallback, useEffect, useState } from 'react';
import type { ConsoleClient, ConsoleError } from '../api/console-client';

export type QueryState<T> = { loading: boolean; value: T | null; error: ConsoleError | null; reload: () => void };

/** GETs `path` when the page opens (and again on reload()); the previous value stays while reloading. */
export function useConsoleQuery<T>(client: ConsoleClient, path: string, query?: Record<string, string | number | boolean | undefined>): QueryState<T> {
  const [state, setState] = useState<{ loading: boolean; value: T | null; error: ConsoleError | null }>({ loading: true, value: null, error: null });
  const [generation, setGeneration] = useState(0);
  const queryKey = JSON.stringify(query ?? {});
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    void client.get<T>(path, JSON.parse(queryKey) as Record<string, string>).then((result) => {
      if (!current) return;
      setState(result.ok ? { loading: false, value: result.value, error: null } : (s) => ({ loading: false, value: s.value, error: result.error }));
    });
    return () => {
      current = false;
    };
  }, [client, path, queryKey, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

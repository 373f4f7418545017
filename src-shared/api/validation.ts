import type { z } from 'zod';
import { KasaError } from './errors';

/** "lines[1].qty: Too small: expected number to be >=1" — the path a person can find. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

/** Each issue's path and message, and its reason where the schema names one (a refinement's `params.reason`). */
export function describeIssues(error: z.ZodError): { path: string; message: string; reason?: string }[] {
  return error.issues.map((issue) => {
    const reason = issue.code === 'custom' ? (issue.params as { reason?: unknown } | undefined)?.reason : undefined;
    return { path: formatIssuePath(issue.path), message: issue.message, ...(typeof reason === 'string' ? { reason } : {}) };
  });
}

/** Parses with `schema` or throws a VALIDATION KasaError that names every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = describeIssues(result.error);
  const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new KasaError('VALIDATION', `Invalid ${what}: ${text}`, { issues });
}

// What every route module shares: an error with its HTTP status, zod parsing with readable
// messages, and the bearer token of a request.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { describeIssues } from '../src-shared/api/validation';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = describeIssues(result.error).slice(0, 10);
  throw new HttpError(400, 'VALIDATION', `Invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
}

export const bearer = (request: FastifyRequest): string | null => {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
};

import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): the creation time in milliseconds, then 74 random bits (those of a
 * random UUID, from Node's pooled generator). Records keyed by it (sales, their lines, the ledger's
 * sale index) are appended at the end of their b-trees instead of splitting a random page. Used only
 * where the record already carries its time (a sale's completedAt), so the id reveals nothing new.
 */
export function timeOrderedId(nowMs: number = Date.now()): string {
  const time = Math.max(0, Math.floor(nowMs) % 2 ** 48).toString(16).padStart(12, '0');
  // randomUUID() is xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx: keep its random bits and variant, set version 7.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

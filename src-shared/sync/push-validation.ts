// The push body on the server's hot path: the envelope through its zod schema, the (up to 1,000)
// entries through the hand-written check of entry-check.ts. Anything that check does not accept
// goes through PushRequest whole, so zod still decides every refusal and writes its message.
import type { z } from 'zod';
import type { LedgerEntry } from '../ledger/entry';
import { isCertainLedgerEntry } from '../ledger/entry-check';
import { PUSH_MAX_ENTRIES, PushRequest } from './protocol';

/** `PushRequest.parse(body)` when the body is certainly valid; null means: parse it with the schema. */
export function certainPushRequest(body: unknown): z.output<typeof PushRequest> | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { entries } = body as { entries?: unknown };
  if (!Array.isArray(entries) || entries.length > PUSH_MAX_ENTRIES) return null;
  const envelope = PushRequest.safeParse({ ...body, entries: [] });
  if (!envelope.success) return null;
  for (const entry of entries) if (!isCertainLedgerEntry(entry)) return null;
  return { ...envelope.data, entries: entries as LedgerEntry[] };
}

// The push request's JSON text as a terminal writes it (docs/sync-protocol.md, "The push body").
// It is plain JSON, but laid out one entry per line: a server can then cut the body at its line
// breaks and parse each entry on its own, instead of decoding ~0.7 MB into one string first (on
// these machines that string alone cost as much as parsing it). JSON.stringify never writes a line
// break inside a value, so every line break of this text is one the layout put there.
import { PROTOCOL_VERSION, type PushRequest } from './protocol';

/** A push: the batch's entries and audit records as JSON arrays (made once, when the batch was read), and the rest of the request. */
export type PushBody = Pick<PushRequest, 'sentAt' | 'queueDepth' | 'anonymousSales' | 'timeZone'> & { entriesJson: string; auditJson: string };

/** The entries' JSON texts as the body's `entries` array: one entry per line, each but the last ending with a comma. */
export function entriesArrayJson(entryTexts: readonly string[]): string {
  return entryTexts.length === 0 ? '[]' : `[\n${entryTexts.join(',\n')}\n]`;
}

/**
 * The push request's JSON text. Its first line is `{"protocolVersion":N,"entries":[`, then one line
 * per entry, then a line from `]` to the end with the audit records and the rest.
 */
export function pushBodyText({ entriesJson, auditJson, sentAt, queueDepth, anonymousSales, timeZone }: PushBody): string {
  const fields = JSON.stringify({ sentAt, queueDepth, anonymousSales, timeZone });
  return `{"protocolVersion":${PROTOCOL_VERSION},"entries":${entriesJson},"audit":${auditJson}${fields === '{}' ? '' : `,${fields.slice(1, -1)}`}}`;
}

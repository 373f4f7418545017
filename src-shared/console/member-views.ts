// What the console's member and exceptions routes answer: declared once, used by the server that
// builds them and the console pages that show them.

export type MemberSummary = {
  memberId: string;
  phone: string | null;
  name: string | null;
  balance: number;
  cardLast4: string[];
  /** Loyalty card numbers (and digital card codes) linked at any terminal. */
  loyaltyCards: string[];
  flaggedAt: string | null;
  flagReason: string | null;
};

export type HistoryItem = {
  source: 'ledger' | 'adjustment';
  kind: string;
  points: number;
  at: string;
  storeId: string | null;
  terminalId: string | null;
  seq: number | null;
  /** The id the terminal recorded (an id merged into this member shows here). */
  recordedMemberId: string;
  cashierId: string | null;
  amountMinor: number | null;
  currency: string | null;
  reasonCode: string | null;
  note: string | null;
  actor: string | null;
};

export type MemberDetail = MemberSummary & {
  /** The tier the member's latest sale left them in, by its name in the programme in force (null: no sale yet, or no tiers). */
  tier: string | null;
  tierId: string | null;
  enrolledAt: string;
  /** The terminal that enrolled the member: its id, its name and its store (null: none recorded, or a terminal gone). */
  enrolledBy: string | null;
  enrolledByName: string | null;
  enrolledAtStore: string | null;
  aliases: { memberId: string; mergedAt: string; mergeId: number | null; undoable: boolean }[];
  /** The cards linked to the member at any terminal, oldest first (a payment card by brand and last four only). */
  linkedCards: LinkedCardSummary[];
  /** The newest history rows, newest first. */
  history: HistoryItem[];
  /** Older history exists beyond these rows (ask again with a larger `history` limit). */
  historyMore: boolean;
  openExceptions: number;
};

export type LinkedCardSummary = {
  cardId: string;
  kind: 'payment' | 'loyalty';
  brand: string | null;
  last4: string | null;
  cardNumber: string | null;
  /** The terminal that linked it first. */
  terminalId: string;
  linkedAt: string;
};

export type ExceptionEntry = {
  terminalId: string;
  storeId: string | null;
  seq: number;
  kind: string;
  memberId: string;
  points: number;
  deviceTime: string;
  cashierId: string | null;
  /** Why this entry is shown: the entry the exception is about, a fork's second copy, or one of a pattern. */
  role: 'subject' | 'fork' | 'related';
};

/**
 * How an exception was resolved, as data: the console says it in its own language. The server
 * also keeps the English sentence (`resolution`, resolutionSentence) for the CLI and older readers.
 */
export type ExceptionResolution =
  | { action: 'accepted'; note: string }
  | { action: 'adjusted'; points: number; reasonCode: string; note: string | null }
  | { action: 'flagged'; target: 'member' | 'terminal'; reason: string }
  /** Resolved with the owner's own words (the CLI's resolve-exception, the API's resolve). */
  | { action: 'noted'; text: string };

/** The English sentence recorded beside a resolution ("accepted: …", "adjusted +300 points (goodwill): …"). */
export function resolutionSentence(r: ExceptionResolution): string {
  switch (r.action) {
    case 'accepted':
      return `accepted: ${r.note}`;
    case 'adjusted':
      return `adjusted ${r.points > 0 ? '+' : ''}${r.points} points (${r.reasonCode})${r.note ? `: ${r.note}` : ''}`;
    case 'flagged':
      return `${r.target} flagged: ${r.reason}`;
    case 'noted':
      return r.text;
  }
}

export type QueueItem = {
  exceptionId: number;
  kind: string;
  terminalId: string | null;
  terminalFlagged: boolean;
  storeId: string | null;
  seq: number | null;
  memberId: string | null;
  memberFlagged: boolean;
  memberBalance: number | null;
  details: Record<string, unknown>;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** The resolution's English sentence (null while open). */
  resolution: string | null;
  /** The same resolution as data (null while open). */
  resolutionAction: ExceptionResolution | null;
  entries: ExceptionEntry[];
};

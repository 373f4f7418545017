// The ledger's foreign key to terminals checked every stored row (a lookup and a row lock in
// terminals per entry, ~3 ms of PostgreSQL's time per 1,000) for what ingest already guarantees:
// a ledger row is only ever inserted by ingestPush (ingest.ts), in the transaction that has just
// read and locked that very terminal's row (SELECT ... FOR UPDATE), and no code deletes a terminal
// (revoking one sets revoked_at; its rows stay). terminal_audit keeps its key: a few rows per push.
export const MIGRATION_0010_LEDGER_WITHOUT_TERMINAL_FK = `
ALTER TABLE ledger DROP CONSTRAINT ledger_terminal_id_fkey
`;

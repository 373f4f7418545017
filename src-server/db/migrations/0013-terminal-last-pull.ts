// When each terminal last read the change feed. A terminal pushes only when it has something to
// send, so a till without sales (a quiet day, a store closed on Sunday) that pulls every 30 s looked
// as silent as one that was switched off: its last sync is the later of its last push and pull.
export const MIGRATION_0013_TERMINAL_LAST_PULL = `
ALTER TABLE terminals ADD COLUMN last_pull_at timestamptz
`;

// The feed's prune floor becomes a position in feed order (txid, change_id): change ids alone do
// not follow commit order, so a cursor compared by change id could miss pruned changes.
export const MIGRATION_0002_FEED_FLOOR_POSITION = `
ALTER TABLE feed_state ADD COLUMN floor_txid xid8 NOT NULL DEFAULT '0'
`;

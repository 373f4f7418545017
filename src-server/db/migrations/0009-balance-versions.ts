// Every change of a member's balance takes the next number of one sequence, and terminals get it
// with the balance (feed, push answers, snapshot). The feed is ordered by transaction id, which is
// not the order in which two pushes for one member commit, and a long transaction elsewhere holds
// newer changes back: with the version a terminal keeps the newest balance it has seen and knows
// whether a balance already counts what it pushed itself.
export const MIGRATION_0009_BALANCE_VERSIONS = `
CREATE SEQUENCE balance_versions;
ALTER TABLE members ADD COLUMN balance_version bigint NOT NULL DEFAULT 0
`;

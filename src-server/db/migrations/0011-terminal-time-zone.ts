// The store's time zone as each terminal says it with its pushes: insights count an entry on its
// date there, as the terminal's own day report does (NULL: a terminal that never said, counted in UTC).
export const MIGRATION_0011_TERMINAL_TIME_ZONE = `
ALTER TABLE terminals ADD COLUMN time_zone text
`;

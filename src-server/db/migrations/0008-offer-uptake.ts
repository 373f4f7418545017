// Offer uptake, pre-aggregated: how many offers issued on each day, of each type, are in each state
// now. Kept by every change of an offer's state (src-server/offers.ts), so the Insights view sums a
// few rows per day instead of counting millions of offers.
export const MIGRATION_0008_OFFER_UPTAKE = `
CREATE TABLE offer_uptake_daily (
  day text NOT NULL,
  type text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'redeemed', 'expired', 'withdrawn')),
  n bigint NOT NULL,
  PRIMARY KEY (day, type, status)
);
INSERT INTO offer_uptake_daily (day, type, status, n) SELECT valid_from, type, status, count(*) FROM offers GROUP BY valid_from, type, status
`;

// Product catalogues the programme owner installed (docs/catalogue.md). A version never changes; the
// current one is the latest installed, published to terminals through the change feed ('catalogue').
export const MIGRATION_0007_CATALOGUES = `
CREATE TABLE catalogues (
  version text PRIMARY KEY,
  document jsonb NOT NULL,
  products integer NOT NULL CHECK (products >= 0),
  installed_at timestamptz NOT NULL DEFAULT now(),
  installed_by text NOT NULL
);
CREATE INDEX catalogues_installed ON catalogues (installed_at DESC)
`;

// The product catalogue on the server (docs/catalogue.md): installed by the programme owner (admin CLI
// or /v1/admin/catalogues), validated with the exact problems of src-shared/catalogue, audited, and
// published to terminals as the change feed's 'catalogue' dataset (one key: the current catalogue).
import { KasaError } from '../src-shared/api/errors';
import { canonicalJson } from '../src-shared/ledger/canonical-json';
import { Catalogue, validateCatalogue, type CatalogueProblem } from '../src-shared/catalogue/catalogue';
import { diffCatalogues, type CatalogueDiff } from '../src-shared/catalogue/catalogue-diff';
import type { Change } from '../src-shared/sync/protocol';
import type { Database, Queryable } from './db/database';
import { auditAdminAction } from './admin-audit';
import { addChange } from './feed';

/** The feed key of the current catalogue: each install replaces it (absolute state). */
export const CATALOGUE_FEED_KEY = 'current';

export type CatalogueSummary = { version: string; name: string | null; currency: string; products: number; installedAt: string; installedBy: string };

type CatalogueRow = { version: string; document: Catalogue; products: number; installed_at: Date; installed_by: string };

const summary = (r: CatalogueRow): CatalogueSummary => ({
  version: r.version,
  name: r.document.name ?? null,
  currency: r.document.currency,
  products: r.products,
  installedAt: new Date(r.installed_at).toISOString(),
  installedBy: r.installed_by,
});

const feedPayload = (catalogue: Catalogue) => ({ version: catalogue.version, name: catalogue.name ?? null, currency: catalogue.currency, products: catalogue.products.length, document: catalogue });

/** Every problem of a catalogue, or the catalogue with its defaults; a VALIDATION error lists the problems. */
export function parseCatalogueForServer(document: unknown): Catalogue {
  const result = validateCatalogue(document);
  if (result.ok) return result.value;
  throw new KasaError('VALIDATION', `Invalid catalogue:\n${result.problems.map((p: CatalogueProblem) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n')}`, { problems: result.problems });
}

/**
 * Installs a catalogue and makes it the current one. A version is immutable: the same version with the
 * same content changes nothing (or makes it current again); with other content it is refused.
 */
export async function installCatalogue(db: Database, actor: string, document: unknown, now: Date = new Date()): Promise<{ installed: boolean; catalogue: CatalogueSummary }> {
  const catalogue = parseCatalogueForServer(document);
  return db.transaction(async (tx) => {
    const [existing] = await tx.query<CatalogueRow>('SELECT * FROM catalogues WHERE version = $1', [catalogue.version]);
    // jsonb keeps no key order: compare canonical forms.
    if (existing && canonicalJson(existing.document) !== canonicalJson(catalogue)) {
      throw new KasaError('ALREADY_EXISTS', `Catalogue ${catalogue.version} exists with different content: give the new one a new version`, { version: catalogue.version });
    }
    const [current] = await tx.query<{ version: string }>('SELECT version FROM catalogues ORDER BY installed_at DESC, version DESC LIMIT 1');
    if (existing && current?.version === catalogue.version) return { installed: false, catalogue: summary(existing) };
    const [row] = existing
      ? await tx.query<CatalogueRow>('UPDATE catalogues SET installed_at = $2, installed_by = $3 WHERE version = $1 RETURNING *', [catalogue.version, now.toISOString(), actor])
      : await tx.query<CatalogueRow>('INSERT INTO catalogues (version, document, products, installed_at, installed_by) VALUES ($1, $2, $3, $4, $5) RETURNING *', [
          catalogue.version,
          JSON.stringify(catalogue),
          catalogue.products.length,
          now.toISOString(),
          actor,
        ]);
    await addChange(tx, 'catalogue', CATALOGUE_FEED_KEY, feedPayload(catalogue));
    await auditAdminAction(tx, actor, 'catalogue.install', { version: catalogue.version, products: catalogue.products.length, reinstalled: Boolean(existing) });
    if (!row) throw new KasaError('INTERNAL', 'the catalogue was not stored');
    return { installed: true, catalogue: summary(row) };
  });
}

export async function listCatalogues(db: Queryable): Promise<{ current: string | null; catalogues: CatalogueSummary[] }> {
  const rows = await db.query<CatalogueRow>('SELECT * FROM catalogues ORDER BY installed_at DESC, version DESC LIMIT 200');
  return { current: rows[0]?.version ?? null, catalogues: rows.map(summary) };
}

/** The current catalogue as a feed change, for the snapshot header (the feed after it holds only newer ones). */
export async function currentCatalogueChange(db: Queryable): Promise<Change | null> {
  const row = await currentCatalogueRow(db);
  return row ? { dataset: 'catalogue', key: CATALOGUE_FEED_KEY, payload: feedPayload(row.document) } : null;
}

/** The current catalogue: the one installed last. */
async function currentCatalogueRow(db: Queryable): Promise<CatalogueRow | undefined> {
  const [row] = await db.query<CatalogueRow>('SELECT * FROM catalogues ORDER BY installed_at DESC, version DESC LIMIT 1');
  return row;
}

export type CatalogueCheck = { ok: true; version: string; products: number; versionTaken: boolean; changes: CatalogueDiff } | { ok: false; problems: CatalogueProblem[] };

/**
 * A catalogue checked without installing it: every problem, or what installing it would change
 * against the current catalogue and whether its version is already installed with other content
 * (which installing refuses). The server words no changes: the console does, in its language.
 */
export async function checkCatalogue(db: Queryable, document: unknown): Promise<CatalogueCheck> {
  const result = validateCatalogue(document);
  if (!result.ok) return { ok: false, problems: result.problems };
  const catalogue = result.value;
  const current = await currentCatalogueRow(db);
  const [same] = current?.version === catalogue.version ? [current] : await db.query<CatalogueRow>('SELECT * FROM catalogues WHERE version = $1', [catalogue.version]);
  return {
    ok: true,
    version: catalogue.version,
    products: catalogue.products.length,
    versionTaken: same !== undefined && canonicalJson(same.document) !== canonicalJson(catalogue),
    changes: diffCatalogues(current?.document ?? null, catalogue),
  };
}

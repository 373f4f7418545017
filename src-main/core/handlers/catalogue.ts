// The product catalogue at the counter (docs/catalogue.md): a manager imports one on a standalone
// terminal; an enrolled terminal takes the server's from the change feed. Cashiers look products up.
import { because, KasaError } from '../../../src-shared/api/errors';
import { parseCatalogueOrThrow } from '../../../src-shared/catalogue/catalogue';
import { CatalogueStore } from '../catalogue-store';
import type { HandlerModule } from './handler-types';

type CatalogueMethods = 'catalogue.install' | 'catalogue.lookup';

export const catalogueHandlers: HandlerModule<CatalogueMethods> = (ctx) => {
  const store = new CatalogueStore(ctx.db);
  const enrolled = ctx.db.prepare<[], { revoked_at: string | null }>('SELECT revoked_at FROM sync_state WHERE id = 1');

  return {
    'catalogue.install': (args, caller) => {
      const state = enrolled.get();
      // The server's catalogue would replace a local one at the next sync: say so rather than let it vanish.
      if (state && state.revoked_at === null) {
        throw new KasaError('FORBIDDEN', 'This terminal is connected to a server and takes its product catalogue from there: install the catalogue on the server (admin install-catalogue)', because('catalogue-from-server'));
      }
      const catalogue = parseCatalogueOrThrow(args.catalogue);
      if (catalogue.currency !== ctx.settings.currency) {
        throw new KasaError(
          'VALIDATION',
          `The catalogue's prices are in ${catalogue.currency}; this store sells in ${ctx.settings.currency}`,
          because('catalogue-currency', { currency: catalogue.currency, storeCurrency: ctx.settings.currency }),
        );
      }
      const { info, replaced } = store.replace(catalogue, 'local', caller.approvedBy ?? caller.userId, ctx.now());
      ctx.log.info('catalogue.installed', { version: info.version, products: info.products, source: 'local' });
      return { version: info.version, replaced, catalogue: info };
    },
    'catalogue.lookup': (args) => {
      const product = 'barcode' in args ? store.byBarcode(args.barcode) : store.bySku(args.sku);
      return { product, catalogue: store.info() };
    },
  };
};

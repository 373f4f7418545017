// A catalogue path as the owner reads it ("Product 3 › Barcode 1"): worded in src-shared, so the
// terminal names a refused catalogue's places alike; here with the console's t.
import type { TFunction } from 'i18next';
import { catalogueFieldLabel as sharedFieldLabel } from '../../src-shared/catalogue/catalogue-problem-words';
import { translateWith } from './translate-with';

/** products[2].barcodes[0] as "Product 3 › Barcode 1"; a document field by its name; '' for the whole document. */
export const catalogueFieldLabel = (path: string, t: TFunction): string => sharedFieldLabel(path, translateWith(t));

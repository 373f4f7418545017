// A disk that fills up mid-shift, on a real terminal core: the counter says so in the store's
// language (what to do, not only "could not save"), keeps the sale on screen, and completing it again
// once space is freed records it once.
import { describe, expect, it } from 'vitest';
import { errorWords } from '../../src-renderer/components/error-text';
import { createI18n } from '../../src-renderer/i18n/i18n';
import { enrolOnScreen, storeOnRealCore } from './store-on-core';

describe('a full disk at the counter', () => {
  it('says the disk is full in Turkish and English, keeps the sale, and records it once after space is freed', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await enrolOnScreen(store);
    // A real "disk full" from SQLite: the database may grow no further than it is now.
    const db = core.context.db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    // Long lines fill the last free pages quickly: the first sale that needs a new page fails.
    const line = { category: 'Groceries', qty: 1, unitPriceMinor: 1000, name: 'x'.repeat(120) };
    for (let i = 0; i < 200 && s().error === null; i += 1) {
      if (s().receipt) s().nextCustomer();
      s().setPhoneInput('05321234567');
      await s().lookup();
      s().addLine(line);
      await s().complete();
    }
    expect(s().error?.code).toBe('STORAGE');
    const error = s().error!;
    expect(errorWords(error, createI18n('tr'))).toEqual({
      sentence: 'Bu bilgisayarın diski dolu: hiçbir şey kaydedilmedi. Biraz yer açın (ya da desteği arayın), sonra yeniden deneyin.',
      detail: null,
    });
    expect(errorWords(error, createI18n('en')).sentence).toBe("This PC's disk is full: nothing was recorded. Free some space (or call support), then try again.");
    // The sale is still on screen, and nothing of it was recorded.
    expect(s().lines).toHaveLength(1);
    expect(s().receipt).toBeNull();
    const sales = () => (db.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;
    const before = sales();

    // Space is freed: completing again records the sale, once.
    db.pragma('max_page_count = 1073741823');
    await s().complete();
    expect(s().receipt).not.toBeNull();
    await s().complete();
    expect(sales()).toBe(before + 1);
    core.close();
  });
});

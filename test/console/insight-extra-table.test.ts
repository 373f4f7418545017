// A table the server adds to the Insights page (offer uptake): rates read as percentages like
// every other rate on the page, a rate with nothing to divide says so, counts align right.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createConsoleI18n, type ConsoleLanguage } from '../../src-console/i18n/console-i18n';
import { InsightExtraTable } from '../../src-console/pages/insights-page';
import type { InsightTable } from '../../src-shared/insights/insights';

const render = (table: InsightTable, language: ConsoleLanguage = 'en') =>
  renderToStaticMarkup(createElement(I18nextProvider, { i18n: createConsoleI18n(language) }, createElement(InsightExtraTable, { table })));
const cells = (html: string) => [...html.matchAll(/<td( class="num")?>([^<]*)<\/td>/g)].map((m) => ({ num: m[1] !== undefined, text: m[2] }));

describe('an extra Insights table', () => {
  it('shows a redemption rate of 1 as 100.0 %, none yet as no data, counts aligned right', () => {
    const table: InsightTable = {
      id: 'offer-uptake',
      title: 'Offer uptake',
      columns: ['period', 'offer type', 'offered', 'redeemed', 'expired unused', 'withdrawn', 'still open', 'redemption rate'],
      kinds: ['text', 'text', 'count', 'count', 'count', 'count', 'count', 'rate'],
      rows: [
        ['2026-06', 'favourite category', 4, 1, 3, 0, 0, 0.25],
        ['2026-06', 'win-back', 2, 2, 0, 0, 0, 1],
        ['2026-07', 'win-back', 5, 0, 0, 0, 5, null],
      ],
    };
    const rows = cells(render(table));
    expect(rows.filter((_, i) => i % 8 === 7).map((c) => c.text)).toEqual(['25.0 %', '100.0 %', 'no data']);
    // Turkish writes the sign first and a decimal comma.
    expect(cells(render(table, 'tr')).filter((_, i) => i % 8 === 7).map((c) => c.text)).toEqual(['%25,0', '%100,0', 'veri yok']);
    // The server's English words for this table are said in Turkish; its period labels are data.
    const turkish = render(table, 'tr');
    expect(turkish).toContain('aria-label="Teklif kullanımı"');
    expect([...turkish.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]).slice(0, 3)).toEqual(['dönem', 'teklif türü', 'sunulan']);
    expect(cells(turkish).slice(0, 2).map((c) => c.text)).toEqual(['2026-06', 'favori kategori']);
    expect(render(table)).toContain('aria-label="Offer uptake"');
    expect(rows.slice(0, 8).map((c) => c.num)).toEqual([false, false, true, true, true, true, true, true]);
  });
});

// The Insights charts' axis: labels are written only as often as they fit, so thirty days of dates
// do not print over each other.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { AXIS_FONT, BarChart } from '../../src-console/components/bar-chart';
import { createConsoleI18n } from '../../src-console/i18n/console-i18n';

const days = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 10, 2 + i)).toISOString().slice(0, 10));

/** The x of each written axis label under the bars (the ones that are dates). */
function writtenLabels(labels: string[]): { x: number; text: string }[] {
  const chart = createElement(BarChart, { title: 'Sales', labels, series: [{ name: 'Identified', className: 'bar-a', values: labels.map((_, i) => i) }] });
  const svg = renderToStaticMarkup(createElement(I18nextProvider, { i18n: createConsoleI18n('en') }, chart));
  return [...svg.matchAll(/<text x="([\d.]+)"[^>]*>(\d{4}-\d{2}(?:-\d{2})?)<\/text>/g)].map((m) => ({ x: Number(m[1]), text: m[2]! }));
}

describe('the bar chart axis', () => {
  it('writes thirty daily labels far enough apart not to overlap, the first one included', () => {
    const written = writtenLabels(days(30));
    expect(written[0]?.text).toBe('2026-11-02');
    expect(written.length).toBeGreaterThanOrEqual(4);
    // A 13-unit font is at least 0.6 of its size per character: neighbours are further apart than a label is wide.
    for (let i = 1; i < written.length; i += 1) expect(written[i]!.x - written[i - 1]!.x).toBeGreaterThan('2026-11-02'.length * AXIS_FONT * 0.6);
  });

  it('writes every label when they fit (a few months)', () => {
    expect(writtenLabels(['2026-09', '2026-10', '2026-11', '2026-12']).map((l) => l.text)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
  });
});

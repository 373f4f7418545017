// A small hand-written SVG bar chart: grouped bars per label, a legend and a title for screen
// readers. No chart library: the console's CSP allows no inline scripts and this is all it needs.
// Its words (title, series names) come translated from the page; its numbers are the console's language's.
import { useFormat } from './use-format';

export type BarSeries = { name: string; className: string; values: number[] };

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 10, right: 10, bottom: 38, left: 48 };

/** The axis labels' font size (.chart-axis) and a generous width of one of its characters, in viewBox units. */
export const AXIS_FONT = 13;
const CHAR_WIDTH = AXIS_FONT * 0.62;
const LABEL_GAP = 10;

/**
 * Every how many bars a label is written so that labels never overlap: thirty days of
 * "2026-11-02" under a 640-wide chart are too many to write each one (or every third).
 */
export function labelEvery(labels: readonly string[], slot: number): number {
  const widest = Math.max(0, ...labels.map((l) => l.length)) * CHAR_WIDTH + LABEL_GAP;
  return Math.max(1, Math.ceil(widest / Math.max(slot, 1e-9)));
}

export function BarChart({ title, labels, series }: { title: string; labels: string[]; series: BarSeries[] }) {
  const f = useFormat();
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = labels.length > 0 ? plotW / labels.length : plotW;
  const barW = Math.max(1, (slot * 0.8) / Math.max(1, series.length));
  const every = labelEvery(labels, slot);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title} width="100%">
        <title>{title}</title>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH * (1 - share)} y2={PAD.top + plotH * (1 - share)} className="chart-grid" />
            <text x={PAD.left - 4} y={PAD.top + plotH * (1 - share) + 4} textAnchor="end" className="chart-axis">
              {f.compact(max * share)}
            </text>
          </g>
        ))}
        {labels.map((label, i) => (
          <g key={label}>
            {series.map((s, j) => {
              const v = Math.max(0, s.values[i] ?? 0);
              const h = (v / max) * plotH;
              return (
                <rect key={s.name} x={PAD.left + i * slot + slot * 0.1 + j * barW} y={PAD.top + plotH - h} width={barW} height={h} className={s.className}>
                  <title>{`${label} · ${s.name}: ${f.count(v)}`}</title>
                </rect>
              );
            })}
            {i % every === 0 ? (
              <text x={PAD.left + i * slot + slot / 2} y={HEIGHT - PAD.bottom + 14} textAnchor="middle" className="chart-axis">
                {label}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <figcaption className="chart-legend">
        <strong>{title}</strong>
        {series.map((s) => (
          <span key={s.name}>
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" className={s.className} />
            </svg>{' '}
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

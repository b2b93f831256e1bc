/** Minimal SVG charts for the performance report: grouped bars and a line. No dependencies. */

const WIDTH = 640;
const HEIGHT = 320;
const MARGIN = { top: 40, right: 20, bottom: 60, left: 80 };
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759'];

interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const format = (value: number) =>
  value >= 1_000 ? `${Math.round(value / 100) / 10}k` : String(Math.round(value * 10) / 10);

function frame(title: string, yLabel: string, body: string, legend: readonly string[]): string {
  const legendItems = legend
    .map(
      (name, i) =>
        `<rect x="${MARGIN.left + i * 150}" y="${HEIGHT - 18}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/><text x="${MARGIN.left + i * 150 + 14}" y="${HEIGHT - 9}" font-size="11">${escapeXml(name)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif">
<title>${escapeXml(title)}</title>
<rect width="100%" height="100%" fill="white"/>
<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>
<text transform="translate(16 ${HEIGHT / 2}) rotate(-90)" text-anchor="middle" font-size="11">${escapeXml(yLabel)}</text>
${body}
${legendItems}
</svg>
`;
}

function yAxis(max: number): { scale: (v: number) => number; svg: string } {
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const scale = (value: number) => MARGIN.top + plotHeight - (value / max) * plotHeight;
  const ticks = Array.from({ length: 5 }, (_, i) => (max * i) / 4);
  const svg = ticks
    .map(
      (tick) =>
        `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${scale(tick)}" y2="${scale(tick)}" stroke="#ddd"/><text x="${MARGIN.left - 6}" y="${scale(tick) + 4}" text-anchor="end" font-size="10">${format(tick)}</text>`,
    )
    .join('');
  return { scale, svg };
}

/**
 * Grouped bars: one group per category, one bar per series.
 *
 * @example
 * ```ts
 * writeFileSync('chart.svg', groupedBars('Throughput', 'events/s', ['1', '2'], [{ name: 'bare', values: [1, 2] }]));
 * ```
 */
function groupedBars(
  title: string,
  yLabel: string,
  categories: readonly string[],
  series: readonly Series[],
): string {
  const max = Math.max(1, ...series.flatMap((s) => s.values)) * 1.1;
  const { scale, svg: axis } = yAxis(max);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const groupWidth = plotWidth / categories.length;
  const barWidth = (groupWidth * 0.8) / series.length;
  const bars = categories
    .map((category, c) => {
      const x0 = MARGIN.left + c * groupWidth + groupWidth * 0.1;
      const rects = series
        .map((s, i) => {
          const value = s.values[c] ?? 0;
          const y = scale(value);
          return `<rect x="${x0 + i * barWidth}" y="${y}" width="${barWidth - 2}" height="${scale(0) - y}" fill="${COLOURS[i % COLOURS.length]}"><title>${escapeXml(s.name)}: ${value}</title></rect><text x="${x0 + i * barWidth + barWidth / 2}" y="${y - 3}" text-anchor="middle" font-size="9">${format(value)}</text>`;
        })
        .join('');
      return `${rects}<text x="${x0 + (groupWidth * 0.8) / 2}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11">${escapeXml(category)}</text>`;
    })
    .join('');
  return frame(
    title,
    yLabel,
    `${axis}${bars}`,
    series.map((s) => s.name),
  );
}

/** One line over equally spaced samples (e.g. RSS per second). */
function line(title: string, yLabel: string, xLabel: string, values: readonly number[]): string {
  const max = Math.max(1, ...values) * 1.1;
  const { scale, svg: axis } = yAxis(max);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const x = (i: number) => MARGIN.left + (values.length <= 1 ? 0 : (i / (values.length - 1)) * plotWidth);
  const points = values.map((value, i) => `${x(i)},${scale(value)}`).join(' ');
  const body = `${axis}<polyline fill="none" stroke="${COLOURS[0]}" stroke-width="2" points="${points}"/><text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - MARGIN.bottom + 20}" text-anchor="middle" font-size="11">${escapeXml(xLabel)}</text>`;
  return frame(title, yLabel, body, [yLabel]);
}

export type { Series };
export { groupedBars, line };

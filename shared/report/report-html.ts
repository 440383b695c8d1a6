/**
 * A report as one self-contained HTML document, for a published review or a printout: the
 * headline figures, the verdict against the claim with its provenance, the lip-sync table, charts
 * (latency per event, histogram, frequency response) as inline SVG, the per-event table, warnings,
 * notes and how every figure is computed.
 *
 * Self-contained means nothing is fetched: the CSS is inline, the charts are SVG built here as
 * text, fonts are the reader's system fonts, and there is no script at all (a Content Security
 * Policy in the document forbids any anyway). Every string that comes from the report (titles,
 * setup text, device names, file names, notes, claim text, warning messages) is user data and is
 * HTML-escaped; only numbers formatted here and fixed text are written unescaped.
 *
 * Printing: light colours regardless of the screen's dark mode, tables and charts are not split
 * across pages where avoidable, and the layout fits A4 and US Letter.
 */
import type { FrequencyResponseOutput, LatencyEventOutput, LatencyStatsOutput } from '../analysis/analyze-capture';
import type { AnalysisOutput } from '../claims/judge';
import { type Claim, findClaim, formatExpectation, loadClaimsCatalogue } from '../claims/claims-catalogue';
import { type CorrelationZoom, zoomPolarityNote } from '../analysis/correlation-zoom';
import type { CorrelationWeighting } from '../dsp/cross-correlation';
import { LIP_SYNC_STANDARDS } from '../claims/lip-sync-standards';
import type { Report } from './report-schema';

export interface ReportHtmlOptions {
  /** Shown in the footer, e.g. "latency-lab 0.1.0 (latency-lab report)". Default: the report's software. */
  generatedBy?: string;
}

/** Rows of the per-event table; the CSV export has every event. */
export const MAX_EVENT_ROWS = 2000;
/** Above this many events the time chart draws the range per time bin instead of every event. */
const MAX_PLOTTED_EVENTS = 1500;
const TIME_BINS = 500;

// ---------------------------------------------------------------------------------------------
// Text and numbers
// ---------------------------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML content and quoted attribute values. Control characters (other than tab,
 * newline and carriage return), which HTML does not allow, become U+FFFD.
 */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const esc = escapeHtml;

/** Fixed decimals, without "-0.000". Non-finite values (never in a valid report) become an em dash. */
function num(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—';
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** With an explicit sign: "+1.2", "-1.2", "0.0". */
function signed(value: number, digits: number): string {
  const text = num(value, digits);
  return /^[0.]+$/.test(text) || text.startsWith('-') || text === '—' ? text : `+${text}`;
}

const ms = (value: number, digits = 3): string => `${num(value, digits)} ms`;

/** "2026-03-01T12:34:56.789Z" → "2026-03-01 12:34:56 UTC" (the stored time, not the reader's zone). */
function formatDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]} ${m[3].toUpperCase() === 'Z' ? 'UTC' : `UTC${m[3]}`}`;
}

const SIGNAL_LABELS: Record<Report['signal']['kind'], string> = {
  click: 'Click train',
  pink: 'Pink noise',
  sweep: 'Logarithmic sweep',
  music: 'Music',
  file: 'Audio file',
};

const STIMULUS_LABELS: Record<NonNullable<AnalysisOutput['stimulus']>['kind'], string> = {
  click: 'click train',
  noise: 'noise',
  sweep: 'sweep',
};

const STATUS_LABELS: Record<LatencyEventOutput['status'], string> = {
  ok: 'ok',
  'low-confidence': 'unclear',
  dropout: 'dropout',
  'not-captured': 'not captured',
};

const OUTCOME_LABELS: Record<'better' | 'within' | 'worse', string> = {
  better: 'Better than the claim',
  within: 'Within the claim',
  worse: 'Worse than the claim',
};

const STATISTIC_LABELS: Record<string, string> = {
  median: 'median',
  mean: 'mean',
  max: 'maximum',
  min: 'minimum',
  p95: '95th percentile',
  spread: 'spread (max − min)',
};

/** A table of label/value pairs; values are HTML already (escaped by the caller). */
function keyValueTable(rows: Array<[string, string]>, className = 'kv'): string {
  return `<table class="${className}"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

// ---------------------------------------------------------------------------------------------
// Chart helpers (SVG as text, in viewBox units)
// ---------------------------------------------------------------------------------------------

const CHART_WIDTH = 720;
const CHART_HEIGHT = 280;

interface PlotBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** [min, max] of a non-empty array, by a loop (spreading 200 000 values into Math.min overflows the stack). */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Coordinates rounded to 0.1 unit: plenty at print size, and compact. */
const c = (v: number): string => num(v, 1);

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

/** Decimals needed to print multiples of `step` exactly. */
function stepDecimals(step: number): number {
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 10;
}

function linearTicks(lo: number, hi: number, target: number): { values: number[]; decimals: number } {
  const step = niceStep(hi - lo, target);
  const values: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let i = first; i * step <= hi + step * 1e-9 && values.length < 100; i++) values.push(i * step);
  return { values, decimals: stepDecimals(step) };
}

/** Expands [lo, hi] outward to whole steps of a nice step. */
function niceDomain(lo: number, hi: number, target: number): [number, number] {
  const step = niceStep(hi - lo, target);
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v: number) => r0 + (v - d0) * k;
}

/** A filled dot as path data (two arcs), so thousands of them stay one element. */
const dot = (x: number, y: number, r: number): string => `M${c(x - r)} ${c(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
const cross = (x: number, y: number, r: number): string => `M${c(x - r)} ${c(y - r)}l${2 * r} ${2 * r}M${c(x - r)} ${c(y + r)}l${2 * r} ${-2 * r}`;
const triangle = (x: number, y: number, r: number, up: boolean): string =>
  up ? `M${c(x)} ${c(y - r)}L${c(x + r)} ${c(y + r)}L${c(x - r)} ${c(y + r)}Z` : `M${c(x)} ${c(y + r)}L${c(x + r)} ${c(y - r)}L${c(x - r)} ${c(y - r)}Z`;

function svgOpen(id: string, label: string, height = CHART_HEIGHT): string {
  return (
    `<svg id="${id}" class="chart" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${CHART_WIDTH} ${height}" ` +
    `font-size="11"><title id="${id}-title">${esc(label)}</title>` +
    `<rect class="bg" x="0" y="0" width="${CHART_WIDTH}" height="${height}"/>`
  );
}

/** Horizontal grid lines and left tick labels for a linear y axis. */
function yAxis(box: PlotBox, ticks: { values: number[]; decimals: number }, y: (v: number) => number, title: string): string {
  const parts: string[] = [];
  for (const v of ticks.values) {
    const py = y(v);
    parts.push(`<line class="grid" x1="${box.left}" x2="${box.right}" y1="${c(py)}" y2="${c(py)}"/>`);
    parts.push(`<text class="tick" x="${box.left - 6}" y="${c(py + 3.5)}" text-anchor="end">${num(v, ticks.decimals)}</text>`);
  }
  const mid = (box.top + box.bottom) / 2;
  parts.push(`<text class="axis-title" transform="translate(14 ${c(mid)}) rotate(-90)" text-anchor="middle">${esc(title)}</text>`);
  return parts.join('');
}

function xAxisLinear(box: PlotBox, ticks: { values: number[]; decimals: number }, x: (v: number) => number, title: string, height = CHART_HEIGHT): string {
  const parts: string[] = [];
  for (const v of ticks.values) {
    const px = x(v);
    parts.push(`<line class="grid" x1="${c(px)}" x2="${c(px)}" y1="${box.top}" y2="${box.bottom}"/>`);
    parts.push(`<text class="tick" x="${c(px)}" y="${box.bottom + 15}" text-anchor="middle">${num(v, ticks.decimals)}</text>`);
  }
  parts.push(`<text class="axis-title" x="${c((box.left + box.right) / 2)}" y="${height - 8}" text-anchor="middle">${esc(title)}</text>`);
  return parts.join('');
}

function frame(box: PlotBox): string {
  return `<rect class="frame" x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}"/>`;
}

/** A legend row at the top of a chart: [marker path or line, label]. */
function legend(items: Array<{ mark: string; label: string }>, y = 14, startX = 70): string {
  let x = startX;
  const parts: string[] = [];
  for (const item of items) {
    parts.push(`<g transform="translate(${c(x)} ${y})">${item.mark}<text class="legend" x="16" y="4">${esc(item.label)}</text></g>`);
    x += 30 + item.label.length * 5.6;
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------------------

function latencyTimeChart(latency: NonNullable<AnalysisOutput['latency']>, durationS: number): { svg: string; caption: string } {
  const events = latency.events;
  const box: PlotBox = { left: 64, right: CHART_WIDTH - 26, top: 30, bottom: CHART_HEIGHT - 46 };
  const stripHeight = 16; // markers for events without a latency, below the latency area
  const latencyBottom = box.bottom - stripHeight;

  const ok = events.filter((e) => e.status === 'ok' && e.latencyMs !== null);
  const unclear = events.filter((e) => e.status === 'low-confidence' && e.latencyMs !== null);

  // The y range follows the confident events; unclear events far outside it are drawn at the edge.
  const basis = ok.length > 0 ? ok : unclear;
  let lo = latency.medianMs;
  let hi = latency.medianMs;
  if (basis.length > 0) [lo, hi] = extent(basis.map((e) => e.latencyMs as number));
  const span = Math.max(hi - lo, 1);
  for (const e of unclear) {
    const v = e.latencyMs as number;
    if (v >= lo - 2 * span && v <= hi + 2 * span) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const pad = Math.max((hi - lo) * 0.08, 0.05);
  let [y0, y1] = niceDomain(lo - pad, hi + pad, 6);
  if (y1 - y0 < 0.2) {
    const mid = (y0 + y1) / 2;
    [y0, y1] = niceDomain(mid - 0.1, mid + 0.1, 6);
  }
  const tMax = Math.max(durationS, extent(events.map((e) => e.timeS))[1], 1e-3);
  const x = linearScale(0, tMax, box.left, box.right);
  const y = linearScale(y0, y1, latencyBottom - 6, box.top);
  const clampY = (v: number): { py: number; off: 0 | 1 | -1 } => (v > y1 ? { py: box.top + 4, off: 1 } : v < y0 ? { py: latencyBottom - 4, off: -1 } : { py: y(v), off: 0 });

  const okPath: string[] = [];
  const okRange: string[] = [];
  const unclearPath: string[] = [];
  const offScale: string[] = [];
  const dropoutPath: string[] = [];
  const notCapturedPath: string[] = [];
  const stripY = latencyBottom + stripHeight / 2;
  const binned = events.length > MAX_PLOTTED_EVENTS;

  const drawUnclear = (v: number, px: number): void => {
    const { py, off } = clampY(v);
    if (off === 0) unclearPath.push(dot(px, py, 2.6));
    else offScale.push(triangle(px, py, 3.2, off > 0));
  };
  const drawMissing = (e: LatencyEventOutput, px: number): void => {
    if (e.status === 'not-captured') notCapturedPath.push(`M${c(px)} ${c(stripY - 4)}v8`);
    else if (e.status === 'dropout') dropoutPath.push(cross(px, stripY, 3));
    else unclearPath.push(dot(px, stripY, 2.6));
  };

  if (!binned) {
    for (const e of events) {
      const px = x(e.timeS);
      if (e.latencyMs === null) drawMissing(e, px);
      else if (e.status === 'ok') {
        const { py, off } = clampY(e.latencyMs);
        if (off === 0) okPath.push(dot(px, py, 2.2));
        else offScale.push(triangle(px, py, 3.2, off > 0));
      } else drawUnclear(e.latencyMs, px);
    }
  } else {
    // Thousands of events: per time bin, the range of the confident events as a bar with end
    // dots, the extremes of unclear ones, and one marker for any missing event of each kind.
    const bins = Array.from({ length: TIME_BINS }, () => ({ okMin: Infinity, okMax: -Infinity, unMin: Infinity, unMax: -Infinity, dropout: false, notCaptured: false, other: false }));
    for (const e of events) {
      const b = bins[Math.min(TIME_BINS - 1, Math.max(0, Math.floor((e.timeS / tMax) * TIME_BINS)))];
      if (e.latencyMs === null) {
        if (e.status === 'dropout') b.dropout = true;
        else if (e.status === 'not-captured') b.notCaptured = true;
        else b.other = true;
      } else if (e.status === 'ok') {
        b.okMin = Math.min(b.okMin, e.latencyMs);
        b.okMax = Math.max(b.okMax, e.latencyMs);
      } else {
        b.unMin = Math.min(b.unMin, e.latencyMs);
        b.unMax = Math.max(b.unMax, e.latencyMs);
      }
    }
    bins.forEach((b, i) => {
      const px = x(((i + 0.5) / TIME_BINS) * tMax);
      if (b.okMin <= b.okMax) {
        const a = clampY(b.okMin);
        const z = clampY(b.okMax);
        if (z.py < a.py - 1) okRange.push(`M${c(px)} ${c(a.py)}V${c(z.py)}`);
        for (const end of b.okMin === b.okMax ? [a] : [a, z]) {
          if (end.off === 0) okPath.push(dot(px, end.py, 1.6));
          else offScale.push(triangle(px, end.py, 3.2, end.off > 0));
        }
      }
      if (b.unMin <= b.unMax) {
        drawUnclear(b.unMin, px);
        if (b.unMax !== b.unMin) drawUnclear(b.unMax, px);
      }
      if (b.dropout) dropoutPath.push(cross(px, stripY, 3));
      if (b.notCaptured) notCapturedPath.push(`M${c(px)} ${c(stripY - 4)}v8`);
      if (b.other) unclearPath.push(dot(px, stripY, 2.6));
    });
  }

  const parts: string[] = [svgOpen('chart-latency', `Latency per event over time: ${ok.length} confident events, median ${ms(latency.medianMs)}`)];
  parts.push(yAxis({ ...box, bottom: latencyBottom }, linearTicks(y0, y1, 6), y, 'Latency (ms)'));
  parts.push(xAxisLinear(box, linearTicks(0, tMax, 10), x, 'Time in the stimulus (s)'));
  parts.push(`<line class="strip" x1="${box.left}" x2="${box.right}" y1="${latencyBottom}" y2="${latencyBottom}"/>`);
  parts.push(`<text class="tick" x="${box.left - 6}" y="${c(stripY + 3.5)}" text-anchor="end">none</text>`);
  const my = y(latency.medianMs);
  if (latency.medianMs >= y0 && latency.medianMs <= y1) {
    parts.push(`<line class="median" x1="${box.left}" x2="${box.right}" y1="${c(my)}" y2="${c(my)}"/>`);
  }
  if (okRange.length > 0) parts.push(`<path class="range" d="${okRange.join('')}"/>`);
  if (okPath.length > 0) parts.push(`<path class="pt" d="${okPath.join('')}"/>`);
  if (unclearPath.length > 0) parts.push(`<path class="pt-hollow" d="${unclearPath.join('')}"/>`);
  if (offScale.length > 0) parts.push(`<path class="pt-off" d="${offScale.join('')}"/>`);
  if (dropoutPath.length > 0) parts.push(`<path class="mark-dropout" d="${dropoutPath.join('')}"/>`);
  if (notCapturedPath.length > 0) parts.push(`<path class="mark-nc" d="${notCapturedPath.join('')}"/>`);
  parts.push(frame(box));
  parts.push(
    legend([
      { mark: `<path class="pt" d="${dot(6, 0, 2.6)}"/>`, label: 'confident' },
      { mark: `<path class="pt-hollow" d="${dot(6, 0, 2.8)}"/>`, label: 'unclear (not in statistics)' },
      { mark: `<path class="mark-dropout" d="${cross(6, 0, 3.2)}"/>`, label: 'dropout' },
      { mark: `<path class="mark-nc" d="M6 -4v8"/>`, label: 'not captured' },
      { mark: `<line class="median" x1="0" x2="13" y1="0" y2="0"/>`, label: `median ${ms(latency.medianMs)}` },
      ...(offScale.length > 0 ? [{ mark: `<path class="pt-off" d="${triangle(6, 0, 3.4, true)}"/>`, label: 'off scale' }] : []),
    ]),
  );
  parts.push('</svg>');

  const notes: string[] = [];
  notes.push(`${latency.eventsTotal} events: ${latency.count} confident, ${latency.lowConfidence} unclear, ${latency.dropouts} dropouts, ${latency.notCaptured} not captured.`);
  if (binned) notes.push(`With ${events.length} events the chart shows, per ${num(tMax / TIME_BINS, 2)} s of stimulus, the range of the confident events (bar with end dots); the table and the CSV export list every event.`);
  if (offScale.length > 0) notes.push('Triangles at the top or bottom edge are events off the scale.');
  notes.push('Events without a latency are marked in the strip at the bottom.');
  return { svg: parts.join(''), caption: notes.join(' ') };
}

function histogramChart(latency: NonNullable<AnalysisOutput['latency']>): { svg: string; caption: string } | null {
  const values = latency.events.filter((e) => e.status === 'ok' && e.latencyMs !== null).map((e) => e.latencyMs as number);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  const range = hi - lo;
  let width: number;
  if (range < 1e-6) width = 0.001;
  else {
    // Freedman–Diaconis bin width, kept between 5 and 50 bins and rounded to a nice step.
    const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
    const iqr = q(0.75) - q(0.25);
    const fd = iqr > 0 ? 2 * iqr * values.length ** (-1 / 3) : range / 10;
    const bins = Math.min(50, Math.max(5, Math.ceil(range / fd)));
    // Finer than 1 µs is below what the sub-sample estimate resolves.
    width = Math.max(0.001, niceStep(range, bins));
  }
  const start = Math.floor(lo / width + 1e-9) * width;
  const binCount = Math.max(1, Math.floor((hi - start) / width + 1e-9) + 1);
  const counts = new Array<number>(binCount).fill(0);
  for (const v of values) counts[Math.min(binCount - 1, Math.max(0, Math.floor((v - start) / width + 1e-9)))]++;
  const maxCount = extent(counts)[1];

  const box: PlotBox = { left: 64, right: CHART_WIDTH - 26, top: 30, bottom: CHART_HEIGHT - 46 };
  let [x0, x1] = niceDomain(start - width, start + (binCount + 1) * width, 8);
  if (x1 - x0 < 8 * width) [x0, x1] = niceDomain((x0 + x1) / 2 - 4 * width, (x0 + x1) / 2 + 4 * width, 8);
  const countStep = Math.max(1, niceStep(maxCount * 1.08, 5));
  const yTop = Math.ceil((maxCount * 1.08) / countStep) * countStep;
  const yTicksFixed = { values: linearTicks(0, yTop, 5).values.filter((v) => Number.isInteger(v)), decimals: 0 };
  const x = linearScale(x0, x1, box.left, box.right);
  const y = linearScale(0, yTop, box.bottom, box.top);

  const bars: string[] = [];
  counts.forEach((count, i) => {
    if (count === 0) return;
    const a = x(start + i * width);
    const b = x(start + (i + 1) * width);
    bars.push(`M${c(a)} ${c(box.bottom)}V${c(y(count))}H${c(b)}V${c(box.bottom)}Z`);
  });
  const parts: string[] = [svgOpen('chart-histogram', `Histogram of ${values.length} confident event latencies, bin width ${num(width, stepDecimals(width))} ms`)];
  parts.push(yAxis(box, yTicksFixed, y, 'Events'));
  parts.push(xAxisLinear(box, linearTicks(x0, x1, 8), x, 'Latency (ms)'));
  parts.push(`<path class="bar" d="${bars.join('')}"/>`);
  const mx = x(latency.medianMs);
  parts.push(`<line class="median" x1="${c(mx)}" x2="${c(mx)}" y1="${box.top}" y2="${box.bottom}"/>`);
  parts.push(frame(box));
  parts.push(
    legend([
      { mark: `<rect class="bar" x="0" y="-5" width="12" height="10"/>`, label: `events per ${num(width, stepDecimals(width))} ms bin` },
      { mark: `<line class="median" x1="6" x2="6" y1="-6" y2="6"/>`, label: `median ${ms(latency.medianMs)}` },
    ]),
  );
  parts.push('</svg>');
  return {
    svg: parts.join(''),
    caption: `Distribution of the ${values.length} confident events (unclear events and dropouts are left out, as in the statistics). Bin width ${num(width, stepDecimals(width))} ms.`,
  };
}

const FR_TICKS = [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
const hzLabel = (hz: number): string => (hz >= 1000 ? `${num(hz / 1000, 0)}k` : num(hz, 0));

function frequencyChart(fr: FrequencyResponseOutput, sampleRate: number): { svg: string; caption: string } | null {
  const nyquist = sampleRate / 2;
  const points = fr.points.filter((p) => p.hz >= 20 && p.hz <= nyquist);
  if (points.length < 2) return null;
  const box: PlotBox = { left: 64, right: CHART_WIDTH - 52, top: 30, bottom: CHART_HEIGHT - 46 };
  const lx = linearScale(Math.log10(20), Math.log10(nyquist), box.left, box.right);
  const x = (hz: number): number => lx(Math.log10(hz));
  const reference = fr.referenceLevelDb;
  const dbOf = (db: number): number => (reference === null ? db : db - reference);
  const dbs = points.map((p) => dbOf(p.db));
  const [dbMin, dbMax] = extent(dbs);
  const top = Math.ceil((dbMax + 3) / 5) * 5;
  let bottom = Math.floor((dbMin - 3) / 5) * 5;
  bottom = Math.max(bottom, top - 60);
  bottom = Math.min(bottom, top - 30);
  const y = linearScale(bottom, top, box.bottom, box.top);
  const yc = linearScale(0, 1, box.bottom, box.top);

  const parts: string[] = [svgOpen('chart-frequency', `Frequency response 20 Hz to ${hzLabel(nyquist)}Hz: magnitude in dB and coherence`)];
  parts.push(`<defs><clipPath id="chart-frequency-clip"><rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}"/></clipPath></defs>`);
  // Log-frequency grid: every 1..9 × 10^n lightly, decades darker, labels at 2, 5 and 10 ×.
  for (let decade = 10; decade <= nyquist; decade *= 10) {
    for (let m = 1; m <= 9; m++) {
      const hz = m * decade;
      if (hz < 20 || hz > nyquist) continue;
      parts.push(`<line class="${m === 1 ? 'grid-major' : 'grid-minor'}" x1="${c(x(hz))}" x2="${c(x(hz))}" y1="${box.top}" y2="${box.bottom}"/>`);
    }
  }
  for (const hz of FR_TICKS) {
    if (hz < 20 || hz > nyquist) continue;
    parts.push(`<text class="tick" x="${c(x(hz))}" y="${box.bottom + 15}" text-anchor="middle">${hzLabel(hz)}</text>`);
  }
  parts.push(`<text class="axis-title" x="${c((box.left + box.right) / 2)}" y="${CHART_HEIGHT - 8}" text-anchor="middle">Frequency (Hz)</text>`);
  const dbTicks = linearTicks(bottom, top, 7);
  parts.push(yAxis(box, dbTicks, y, reference === null ? 'Magnitude (dB, path gain)' : 'Relative magnitude (dB)'));
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<text class="tick coh" x="${box.right + 6}" y="${c(yc(v) + 3.5)}">${num(v, 2)}</text>`);
  }
  parts.push(`<text class="axis-title coh" transform="translate(${CHART_WIDTH - 10} ${c((box.top + box.bottom) / 2)}) rotate(90)" text-anchor="middle">Coherence γ²</text>`);
  const line = (values: Array<[number, number]>): string => values.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${c(px)} ${c(py)}`).join('');
  parts.push(`<path class="trace-coh" clip-path="url(#chart-frequency-clip)" d="${line(points.map((p) => [x(p.hz), yc(p.coherence)]))}"/>`);
  parts.push(`<path class="trace" clip-path="url(#chart-frequency-clip)" d="${line(points.map((p) => [x(p.hz), y(dbOf(p.db))]))}"/>`);
  parts.push(frame(box));
  parts.push(
    legend([
      { mark: `<line class="trace" x1="0" x2="13" y1="0" y2="0"/>`, label: reference === null ? 'magnitude (path gain)' : 'magnitude' },
      { mark: `<line class="trace-coh" x1="0" x2="13" y1="0" y2="0"/>`, label: 'coherence γ² (right axis, 0–1)' },
    ]),
  );
  parts.push('</svg>');
  const smoothing = fr.smoothing === 0 ? 'unsmoothed (1/48-octave bands)' : `1/${fr.smoothing}-octave smoothing`;
  const ref = reference === null ? 'Magnitude is the path gain.' : `0 dB is the mean path gain over 500 Hz–2 kHz (${num(reference, 1)} dB).`;
  return {
    svg: parts.join(''),
    caption: `H1 transfer function, ${smoothing}, ${fr.averages} averages of ${fr.fftSize}-point FFTs; ${ref} Median coherence (100 Hz–10 kHz): ${fr.medianCoherence === null ? 'n/a' : num(fr.medianCoherence, 3)}.${fr.micCalibration ? ' Microphone calibration applied.' : ''}`,
  };
}

function correlationChart(zoom: CorrelationZoom, latencyMs: number | null, polarityInverted: boolean | undefined, weighting: CorrelationWeighting): { svg: string; caption: string } | null {
  const n = Math.min(zoom.lagMs.length, zoom.value.length);
  if (n < 2) return null;
  const box: PlotBox = { left: 64, right: CHART_WIDTH - 26, top: 30, bottom: CHART_HEIGHT - 46 };
  const [l0, l1] = [zoom.lagMs[0], zoom.lagMs[n - 1]];
  const x = linearScale(l0, l1, box.left, box.right);
  const y = linearScale(-1, 1, box.bottom, box.top);
  const first = `Correlation of event ${zoom.eventIndex + 1} over lags ${num(l0, 2)} to ${num(l1, 2)} ms, normalised so the peak is ±1`;
  const parts: string[] = [svgOpen('chart-correlation', latencyMs === null ? first : `${first}; measured latency ${ms(latencyMs)}`)];
  parts.push(yAxis(box, { values: [-1, -0.5, 0, 0.5, 1], decimals: 1 }, y, 'Correlation'));
  parts.push(xAxisLinear(box, linearTicks(l0, l1, 8), x, 'Lag (ms)'));
  const d: string[] = [];
  for (let i = 0; i < n; i++) d.push(`${i === 0 ? 'M' : 'L'}${c(x(zoom.lagMs[i]))} ${c(y(Math.max(-1, Math.min(1, zoom.value[i]))))}`);
  parts.push(`<path class="trace" d="${d.join('')}"/>`);
  const items = [{ mark: `<line class="trace" x1="0" x2="13" y1="0" y2="0"/>`, label: 'normalised correlation' }];
  if (latencyMs !== null && latencyMs >= l0 && latencyMs <= l1) {
    const mx = x(latencyMs);
    parts.push(`<line class="median" x1="${c(mx)}" x2="${c(mx)}" y1="${box.top}" y2="${box.bottom}"/>`);
    items.push({ mark: `<line class="median" x1="6" x2="6" y1="-6" y2="6"/>`, label: `measured latency ${ms(latencyMs)}` });
  }
  parts.push(frame(box));
  parts.push(legend(items));
  parts.push('</svg>');
  const polarityNote = zoomPolarityNote(zoom, polarityInverted, weighting);
  return {
    svg: parts.join(''),
    caption: `The cross-correlation behind the figure, around the arrival of event ${zoom.eventIndex + 1} (the confident event closest to the median), one point per sample. A single sharp peak is a clean arrival; secondary peaks are reflections or a second path.${polarityNote ? ` ${polarityNote}` : ''}`,
  };
}

function figure(chart: { svg: string; caption: string } | null, title: string): string {
  if (!chart) return '';
  return `<figure class="chart-figure"><figcaption><strong>${esc(title)}.</strong> ${esc(chart.caption)}</figcaption>${chart.svg}</figure>`;
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

function headerSection(report: Report): string {
  const s = report.settings;
  const rows: Array<[string, string]> = [
    ['Date', esc(formatDate(report.createdAt))],
    ['Software', `${esc(report.software.name)} ${esc(report.software.version)} (${report.software.source === 'cli' ? 'command line' : 'app'})`],
    ['Report ID', `<code>${esc(report.id)}</code>`],
  ];
  return (
    `<header class="report-header"><p class="kicker">Latency Lab · measurement report</p>` +
    `<h1>${report.title.trim() === '' ? 'Untitled measurement' : esc(report.title)}</h1>` +
    (s.setupDescription.trim() !== '' ? `<p class="setup-line">${esc(s.setupDescription)}</p>` : '') +
    keyValueTable(rows, 'kv meta') +
    `</header>`
  );
}

function figureCard(label: string, value: string, sub = ''): string {
  return `<div class="card"><div class="card-label">${label}</div><div class="card-value">${value}</div>${sub ? `<div class="card-sub">${sub}</div>` : ''}</div>`;
}

function headlineSection(analysis: AnalysisOutput): string {
  if (analysis.status === 'refused' || !analysis.latency) {
    const e = analysis.error;
    return (
      `<section class="headline refused" aria-labelledby="h-result"><h2 id="h-result">Result</h2>` +
      `<div class="no-result"><p class="no-result-title">No result</p>` +
      `<p>The analysis refused this capture, so no latency is reported: a number it cannot support would be wrong.</p>` +
      (e
        ? keyValueTable([
            ['Reason', `<code>${esc(e.code)}</code>`],
            ['What was found', esc(e.message)],
            ['What to do', esc(e.advice)],
          ])
        : '<p>The report does not say why.</p>') +
      `</div></section>`
    );
  }
  const l = analysis.latency;
  const ci = l.medianCi95Ms ? `95 % CI of the median ${num(l.medianCi95Ms[0], 3)} – ${num(l.medianCi95Ms[1], 3)} ms` : 'CI of the median needs 6 events';
  const mainCards: string[] = [];
  const cards: string[] = [];
  mainCards.push(
    `<div class="card main"><div class="card-label">Median latency</div><div class="card-value big"><span class="headline-value">${num(l.medianMs, 3)}</span> ms</div>` +
      `<div class="card-sub">± ${num(l.stdMs, 3)} ms (standard deviation)<br>${ci}</div></div>`,
  );
  if (analysis.added) {
    const a = analysis.added;
    mainCards.push(
      `<div class="card main"><div class="card-label">Added latency</div><div class="card-value big">${num(a.medianMs, 3)} ms</div>` +
        `<div class="card-sub">median of measured − baseline (${ms(a.baselineMs)})${a.medianCi95Ms ? `<br>95 % CI ${num(a.medianCi95Ms[0], 3)} – ${num(a.medianCi95Ms[1], 3)} ms` : ''}</div></div>`,
    );
  }
  cards.push(figureCard('Confidence', analysis.confidence === undefined ? '—' : num(analysis.confidence, 2), 'overall, 0–1'));
  cards.push(figureCard('Events measured', `${l.count} / ${l.eventsTotal}`, `${l.lowConfidence} unclear, ${l.notCaptured} not captured`));
  cards.push(figureCard('Dropouts', String(l.dropouts), l.eventsTotal > 0 ? `${num((100 * l.dropouts) / l.eventsTotal, 1)} % of events` : ''));
  const d = analysis.drift;
  cards.push(
    figureCard(
      'Clock drift',
      d ? `${signed(d.ppm, 2)}${d.ppmStdError === null ? '' : ` ± ${num(d.ppmStdError, 2)}`} ppm` : '—',
      d ? 'positive: latency grows' : 'needs 3 events over 1 s',
    ),
  );
  cards.push(figureCard('Jitter', d && d.jitterMs !== null ? ms(d.jitterMs) : '—', 'spread around the drift line'));
  cards.push(figureCard('SNR', analysis.snrDb === null || analysis.snrDb === undefined ? '—' : `${num(analysis.snrDb, 1)} dB`, 'stimulus over background'));
  cards.push(
    figureCard(
      'Noise floor',
      analysis.noiseFloorDbfs === null || analysis.noiseFloorDbfs === undefined ? '—' : `${num(analysis.noiseFloorDbfs, 1)} dBFS`,
      analysis.capturePeakDbfs === undefined ? '' : `capture peak ${num(analysis.capturePeakDbfs, 1)} dBFS`,
    ),
  );
  const stim = analysis.stimulus;
  const polarity = analysis.polarityInverted ? '<p class="note">The path inverts polarity.</p>' : '';
  return (
    `<section class="headline" aria-labelledby="h-result"><h2 id="h-result">Result</h2>` +
    `<div class="cards cards-main">${mainCards.join('')}</div><div class="cards">${cards.join('')}</div>` +
    (stim ? `<p class="note">Stimulus found in the reference: ${STIMULUS_LABELS[stim.kind]}, ${stim.sampleRate} Hz, ${num(stim.durationS, 2)} s, ${stim.events} events.</p>` : '') +
    polarity +
    `</section>`
  );
}

function statisticsSection(analysis: AnalysisOutput): string {
  const l = analysis.latency;
  if (analysis.status !== 'ok' || !l) return '';
  const columns: Array<[string, LatencyStatsOutput]> = [['Total latency', l]];
  if (analysis.added) columns.push([`Added (− ${ms(analysis.added.baselineMs)})`, analysis.added]);
  const row = (label: string, f: (s: LatencyStatsOutput) => string): string => `<tr><th scope="row">${label}</th>${columns.map(([, s]) => `<td class="num">${f(s)}</td>`).join('')}</tr>`;
  return (
    `<section aria-labelledby="h-stats"><h2 id="h-stats">Statistics</h2>` +
    `<table class="data stats"><thead><tr><th scope="col">Statistic (ms)</th>${columns.map(([name]) => `<th scope="col" class="num">${esc(name)}</th>`).join('')}</tr></thead><tbody>` +
    row('Median', (s) => num(s.medianMs, 3)) +
    row('95 % CI of the median', (s) => (s.medianCi95Ms ? `${num(s.medianCi95Ms[0], 3)} – ${num(s.medianCi95Ms[1], 3)}` : '—')) +
    row('Mean', (s) => num(s.meanMs, 3)) +
    row('Standard deviation', (s) => num(s.stdMs, 3)) +
    row('Minimum', (s) => num(s.minMs, 3)) +
    row('Maximum', (s) => num(s.maxMs, 3)) +
    row('95th percentile', (s) => num(s.p95Ms, 3)) +
    row('Events used', (s) => String(s.count)) +
    `</tbody></table></section>`
  );
}

/** Catalogue contradictions that cite this claim's own sentence or table row. */
function contradictionsFor(claim: Claim): ReturnType<typeof loadClaimsCatalogue>['contradictions'] {
  if (claim.kind === 'custom') return [];
  return loadClaimsCatalogue().contradictions.filter((k) =>
    k.statements.some((s) => s.file === claim.source.file && (claim.source.quote.includes(s.quote) || s.quote.includes(claim.source.quote))),
  );
}

function verdictSection(report: Report): string {
  const verdict = report.analysis.verdict;
  if (report.analysis.status !== 'ok' || !verdict) {
    const claim = report.settings.claim;
    if (!claim) return '';
    // A claim was chosen but the analysis gave no result: say so, with the claim for reference.
    return (
      `<section aria-labelledby="h-verdict"><h2 id="h-verdict">Verdict against the claim</h2>` +
      `<p>No verdict: the analysis gave no result to compare with <strong>${esc(claim.name)}</strong> (${esc(formatExpectation(claim.expectation))}).</p>` +
      claimProvenance(claim) +
      `</section>`
    );
  }
  const v = verdict.claim;
  const claim: Claim | undefined = report.settings.claim ?? findClaim(v.claimId);
  const basis =
    verdict.basis === 'added' && report.analysis.added
      ? `added latency (measured − baseline ${ms(report.analysis.added.baselineMs)})`
      : 'total latency (no baseline subtracted)';
  const rows: Array<[string, string]> = [
    ['Claim', `${esc(v.claimName)} <span class="muted">(<code>${esc(v.claimId)}</code>)</span>`],
    ['Claimed', `${esc(formatExpectation(v.expectation))}, as the ${esc(STATISTIC_LABELS[v.statistic] ?? v.statistic)}${v.toleranceMs !== undefined ? ` (± ${num(v.toleranceMs, 1)} ms tolerance)` : ''}`],
    ['Measured', `${esc(STATISTIC_LABELS[v.statistic] ?? v.statistic)} ${ms(v.measuredMs, 1)}, from the ${basis}`],
    ['Margin', `${signed(v.marginMs, 1)} ms <span class="muted">(positive = on the good side of the claim)</span>`],
  ];
  return (
    `<section class="verdict" aria-labelledby="h-verdict"><h2 id="h-verdict">Verdict against the claim</h2>` +
    `<p class="outcome outcome-${v.outcome}"><span class="badge">${OUTCOME_LABELS[v.outcome]}</span> ${esc(v.summary)}</p>` +
    keyValueTable(rows) +
    (claim ? claimProvenance(claim) : '<p class="note">The claim compared against is not stored in this report and is not in the catalogue.</p>') +
    `</section>`
  );
}

function claimProvenance(claim: Claim): string {
  const parts: string[] = ['<div class="provenance"><h3>Source of the claim</h3>'];
  if (claim.kind === 'custom') {
    parts.push(`<p>The reviewer's own profile “${esc(claim.name)}”, not a published figure.</p>`);
    if (claim.description) parts.push(`<blockquote>${esc(claim.description)}</blockquote>`);
  } else {
    const article = loadClaimsCatalogue().sources.find((s) => s.file === claim.source.file);
    const title = article?.title ?? claim.source.article;
    const author = article?.author ?? claim.source.author;
    const rows: Array<[string, string]> = [
      ['Article', `<cite>${esc(title)}</cite>${author ? ` by ${esc(author)}` : ''}`],
      ['File', `<code>${esc(claim.source.file)}</code> (a copy is kept with Latency Lab, <code>shared/claims/seeds/</code>)`],
      ['Where', esc(claim.source.location)],
      ['Claim text', `“${esc(claim.claimText)}”`],
    ];
    if (article?.stance) rows.push(['The article overall', esc(article.stance)]);
    if (claim.details) {
      for (const [key, value] of Object.entries(claim.details)) rows.push([esc(key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (ch) => ch.toUpperCase())), esc(value)]);
    }
    parts.push(keyValueTable(rows));
    parts.push(`<p class="quote-label">Verbatim quote:</p><blockquote class="quote">${esc(claim.source.quote)}</blockquote>`);
    parts.push('<p class="note">Every catalogue figure is a claim by its article, not a fact; the measurement confirms or refutes it.</p>');
  }
  if (claim.notes && claim.notes.length > 0) {
    parts.push(`<h3>Provenance notes</h3><ul class="notes">${claim.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  }
  const contradictions = contradictionsFor(claim);
  if (contradictions.length > 0) {
    const titles = new Map(loadClaimsCatalogue().sources.map((s) => [s.file, s.title]));
    parts.push('<h3>Contradicting statements</h3>');
    for (const k of contradictions) {
      parts.push(
        `<p><strong>${esc(k.topic)}.</strong> ${esc(k.summary)}</p><ul class="notes">` +
          k.statements.map((s) => `<li><code>${esc(s.file)}</code>${titles.has(s.file) ? ` <span class="muted">(${esc(shorten(titles.get(s.file) as string, 70))})</span>` : ''}: “${esc(s.quote)}”</li>`).join('') +
          '</ul>',
      );
    }
  }
  parts.push('</div>');
  return parts.join('');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function lipSyncSection(analysis: AnalysisOutput): string {
  const lip = analysis.lipSync;
  if (analysis.status !== 'ok' || !lip || lip.verdicts.length === 0) return '';
  const offset = lip.verdicts[0].offsetMs;
  const direction = offset > 0 ? 'audio lags the picture' : offset < 0 ? 'audio leads the picture' : 'audio and picture in sync';
  const rows = lip.verdicts.map((v) => {
    const standard = LIP_SYNC_STANDARDS.find((s) => s.id === v.standardId);
    const window = standard ? `${num(standard.maxLeadMs, 0)} / ${num(standard.maxLagMs, 0)}` : '—';
    return (
      `<tr class="${v.pass ? 'pass' : 'fail'}"><th scope="row">${esc(v.standardName)}</th><td class="num">${window}</td>` +
      `<td class="num">${signed(v.offsetMs, 1)}</td><td class="result">${v.pass ? 'Pass' : 'Fail'}</td><td>${v.limit}</td><td class="num">${signed(v.marginMs, 1)}</td></tr>`
    );
  });
  return (
    `<section aria-labelledby="h-lipsync"><h2 id="h-lipsync">Lip sync</h2>` +
    `<p>A/V offset = ${lip.basis === 'added' ? 'added' : 'total'} latency (median) − the display's video latency (${ms(lip.videoLatencyMs, 1)}) = <strong>${signed(offset, 1)} ms</strong>: ${direction}. Positive offsets mean the sound arrives after the picture.</p>` +
    `<table class="data lipsync"><thead><tr><th scope="col">Standard</th><th scope="col" class="num">Window lead / lag (ms)</th><th scope="col" class="num">Offset (ms)</th>` +
    `<th scope="col">Result</th><th scope="col">Nearer limit</th><th scope="col" class="num">Margin (ms)</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<p class="note">Margin: distance to the nearer limit of the window, positive inside it. Audio may lead by at most the first figure and lag by at most the second.</p>` +
    `</section>`
  );
}

function chartsSection(report: Report): string {
  const a = report.analysis;
  if (a.status !== 'ok') return '';
  const figures: string[] = [];
  if (a.latency && a.latency.events.length > 0) {
    const durationS = a.stimulus?.durationS ?? report.signal.durationS;
    figures.push(figure(latencyTimeChart(a.latency, durationS), 'Latency per event'));
    figures.push(figure(histogramChart(a.latency), 'Latency distribution'));
  }
  if (report.correlationZoom && a.latency) {
    const event = a.latency.events[report.correlationZoom.eventIndex];
    figures.push(figure(correlationChart(report.correlationZoom, event?.latencyMs ?? a.latency.medianMs, a.polarityInverted, report.settings.weighting), 'Correlation peak'));
  }
  if (a.frequencyResponse) {
    figures.push(figure(frequencyChart(a.frequencyResponse, a.stimulus?.sampleRate ?? report.signal.sampleRate), 'Frequency response'));
  } else if (a.stimulus && a.stimulus.kind === 'click') {
    figures.push('<p class="note">No frequency response: a click train measures latency only (use pink noise or a sweep for the response).</p>');
  }
  const content = figures.filter((f) => f !== '').join('');
  return content === '' ? '' : `<section aria-labelledby="h-charts"><h2 id="h-charts">Charts</h2>${content}</section>`;
}

function setupSection(report: Report): string {
  const s = report.settings;
  const g = report.signal;
  const device = (d: Report['settings']['inputDevice']): string => (d ? esc(d.label) : '—');
  const onOff = (v: boolean | null): string => (v === null ? 'unknown' : v ? 'on' : 'off');
  const setup: Array<[string, string]> = [
    ['Description', s.setupDescription.trim() === '' ? '—' : esc(s.setupDescription)],
    ['Mode', s.mode === 'dual-channel' ? 'Dual-channel (microphone against an electrical loopback)' : 'Single channel (capture against the reference file)'],
    ['Output device', device(s.outputDevice)],
    ['Input device', device(s.inputDevice)],
  ];
  if (s.captureSettings) {
    const cs = s.captureSettings;
    setup.push([
      'Capture processing',
      `echo cancellation ${onOff(cs.echoCancellation)}, noise suppression ${onOff(cs.noiseSuppression)}, auto gain ${onOff(cs.autoGainControl)}` +
        `${cs.sampleRate !== null ? `, ${num(cs.sampleRate, 0)} Hz` : ''}${cs.channelCount !== null ? `, ${num(cs.channelCount, 0)} channel(s)` : ''}`,
    ]);
  }
  const signal: Array<[string, string]> = [
    ['Signal', SIGNAL_LABELS[g.kind]],
    ['Sample rate', `${g.sampleRate} Hz`],
    ['Duration', `${num(g.durationS, 2)} s`],
    ['Level', g.levelDbfs === null ? '—' : `${num(g.levelDbfs, 1)} dBFS`],
    ['Seed', g.seed === null ? '—' : String(g.seed)],
    ['Reference file', g.referenceFile === null ? '—' : `<code>${esc(g.referenceFile)}</code>`],
    ['Capture file', g.captureFile === null ? '—' : `<code>${esc(g.captureFile)}</code>`],
  ];
  const fr = report.analysis.frequencyResponse;
  const mic = fr?.micCalibration;
  const micText =
    s.micCalibrationFile === null
      ? 'none'
      : `<code>${esc(s.micCalibrationFile)}</code>${mic ? ` (applied${mic.serial !== null ? `, serial ${esc(mic.serial)}` : ''}${mic.sensitivityDb !== null ? `, sensitivity ${num(mic.sensitivityDb, 2)} dB, not applied to levels` : ''})` : ''}`;
  const settings: Array<[string, string]> = [
    ['Baseline', s.baselineMs === null ? 'none (total latency is compared)' : `${ms(s.baselineMs)} (the computer's own round trip)`],
    ['Video latency', `${ms(s.videoLatencyMs, 1)} (for the A/V offset)`],
    ['Latency searched', `up to ${ms(s.maxLatencyMs, 0)}`],
    ['Weighting', s.weighting === 'phat' ? 'GCC-PHAT' : 'none (plain cross-correlation)'],
    ['Smoothing', s.smoothing === 0 ? 'none (1/48-octave bands)' : `1/${s.smoothing} octave`],
    ['Microphone calibration', micText],
    ['Claim', s.claim ? `${esc(s.claim.name)} (<code>${esc(s.claim.id)}</code>)` : s.claimId ? `<code>${esc(s.claimId)}</code>` : 'none'],
  ];
  return (
    `<section aria-labelledby="h-setup"><h2 id="h-setup">Setup, signal and settings</h2>` +
    `<h3>Setup</h3>${keyValueTable(setup)}` +
    `<div class="columns"><div><h3>Signal</h3>${keyValueTable(signal)}</div><div><h3>Settings</h3>${keyValueTable(settings)}</div></div>` +
    `</section>`
  );
}

function warningsSection(analysis: AnalysisOutput): string {
  const items = analysis.warnings.map((w) => `<li><code>${esc(w.code)}</code> ${esc(w.message)}</li>`).join('');
  return `<section aria-labelledby="h-warnings"><h2 id="h-warnings">Warnings</h2>${items === '' ? '<p>None.</p>' : `<ul class="warnings">${items}</ul>`}</section>`;
}

function notesSection(report: Report): string {
  if (report.notes.trim() === '') return '';
  return `<section aria-labelledby="h-notes"><h2 id="h-notes">Notes</h2><div class="user-notes">${esc(report.notes)}</div></section>`;
}

function eventsSection(analysis: AnalysisOutput): string {
  const l = analysis.latency;
  if (analysis.status !== 'ok' || !l || l.events.length === 0) return '';
  const shown = l.events.slice(0, MAX_EVENT_ROWS);
  const rows = shown
    .map(
      (e, i) =>
        `<tr${e.status === 'ok' ? '' : ` class="st-${e.status}"`}><td>${i + 1}</td><td>${num(e.timeS, 3)}</td><td>${e.latencyMs === null ? '—' : num(e.latencyMs, 4)}</td>` +
        `<td>${num(e.confidence, 2)}</td><td>${e.peakToNoiseDb === null ? '—' : num(e.peakToNoiseDb, 1)}</td><td>${STATUS_LABELS[e.status]}</td></tr>`,
    )
    .join('');
  const cap =
    l.events.length > shown.length
      ? `<p class="note">The first ${shown.length} of ${l.events.length} events are listed; the CSV export (<code>latency-lab report --csv-events</code>) has all of them.</p>`
      : '';
  return (
    `<section aria-labelledby="h-events"><h2 id="h-events">Events</h2>` +
    `<p class="note">Time: when the event was played, from the start of the stimulus. Unclear events (confidence below 0.5) and dropouts are not in the statistics.</p>` +
    cap +
    `<div class="events-wrap"><table class="data events"><thead><tr><th scope="col">#</th><th scope="col">Time (s)</th><th scope="col">Latency (ms)</th><th scope="col">Confidence</th>` +
    `<th scope="col">Peak/noise (dB)</th><th scope="col">Status</th></tr></thead><tbody>${rows}</tbody></table></div>` +
    `</section>`
  );
}

function methodsFooter(report: Report, generatedBy: string): string {
  const items: Array<[string, string]> = [
    ['Latency', 'Each event of the stimulus (a click, a sweep, or a 0.24 s stretch of noise) is cross-correlated with the capture on its own (GCC-PHAT weighting by default); the arrival is the correlation peak, found with sub-sample precision on a windowed-sinc interpolant.'],
    ['Confidence', 'Per event, from the peak-to-noise ratio of the correlation and the ambiguity (next peak over the main one). Events below 0.5 are unclear and left out; events with nothing above noise are dropouts. Overall = median event confidence × min(1, good events / 5) × good / (good + unclear).'],
    ['Statistics', 'Over the confident events: median (the headline), mean, sample standard deviation, min, max, 95th percentile, and a distribution-free 95 % confidence interval of the median from order statistics (needs 6 events).'],
    ['Drift and jitter', 'Drift is the slope of a least-squares line through latency against time (ppm, with its standard error); jitter is the standard deviation around that line.'],
    ['Levels', 'SNR: mean power where the stimulus arrives over mean power where it does not. Noise floor: the level of the capture without the stimulus.'],
    ['Frequency response', 'H1 = Gxy/Gxx with coherence γ² = |Gxy|²/(Gxx·Gyy), Welch-averaged over Hann-windowed segments aligned by the measured latency; fractional-octave smoothing pools the spectra, not the dB values.'],
    ['Baseline', 'Added latency = measured − baseline, the computer’s own round trip measured on a wired path; with a baseline, the verdict and lip sync use the added latency.'],
    ['Verdicts', 'Claims are compared on the statistic they are about (a “max latency” with the measured maximum, a range of typical values with the median). Margins are in ms, positive on the good side.'],
  ];
  return (
    `<footer class="methods" aria-labelledby="h-methods"><h2 id="h-methods">How these figures are computed</h2>` +
    `<dl>${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>` +
    `<p class="note">The full description is in Latency Lab’s README, section “How each figure is computed”; the JSON fields are described under “JSON output” and “Reports”. ` +
    `This document is self-contained: it loads nothing from the network.</p>` +
    `<p class="colophon">Generated by ${esc(generatedBy)} from report <code>${esc(report.id)}</code> (schema version ${report.schemaVersion}), measured with ${esc(report.software.name)} ${esc(report.software.version)}.</p>` +
    `</footer>`
  );
}

// ---------------------------------------------------------------------------------------------
// Style
// ---------------------------------------------------------------------------------------------

const STYLE = `
:root{--fg:#111;--muted:#555;--line:#c9ccd1;--grid:#e3e5e8;--grid-strong:#b9bdc3;--bg:#fff;--panel:#f4f5f7;--accent:#1b3f7a;--coh:#8a8f98;--good:#1d6b3a;--bad:#a12a1f;--warn:#7a5200;--chart-bg:#fff;color-scheme:light dark}
@media screen and (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--muted:#a8adb5;--line:#4a4f57;--grid:#30343a;--grid-strong:#555b63;--bg:#15171a;--panel:#1f2227;--accent:#9cc0ff;--coh:#8d939c;--good:#6fd08f;--bad:#ff8a7d;--warn:#e5b760;--chart-bg:#1b1e22}}
*{box-sizing:border-box}
html{background:var(--bg)}
body{margin:0 auto;max-width:60rem;padding:2rem 1.5rem 3rem;color:var(--fg);background:var(--bg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;font-variant-numeric:tabular-nums}
h1{font-size:1.7em;line-height:1.25;margin:.15rem 0 .4rem;overflow-wrap:anywhere}
h2{font-size:1.15em;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--fg)}
h3{font-size:.95em;margin:1rem 0 .4rem}
p{margin:.4rem 0}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;font-size:.88em;overflow-wrap:anywhere}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.75em;color:var(--muted);margin:0}
.setup-line{font-size:1.05em;margin:.2rem 0 .6rem;overflow-wrap:anywhere}
.muted,.note{color:var(--muted)}
.note{font-size:.85em}
table{border-collapse:collapse}
table.kv{width:100%;font-size:.9em}
table.kv th{text-align:left;font-weight:600;vertical-align:top;padding:.15rem 1rem .15rem 0;white-space:nowrap;width:1%}
table.kv td{padding:.15rem 0;vertical-align:top;overflow-wrap:anywhere}
table.meta{width:auto}
table.data{width:100%;font-size:.88em;margin:.4rem 0}
table.data th,table.data td{border-bottom:1px solid var(--line);padding:.25rem .5rem;text-align:left}
table.data thead th{border-bottom:2px solid var(--fg);font-weight:600;vertical-align:bottom}
table.data .num{text-align:right}
table.stats{width:auto;min-width:60%}
tr.fail .result{color:var(--bad);font-weight:700}
tr.pass .result{color:var(--good);font-weight:700}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(11.5rem,1fr));gap:.6rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.55rem .7rem;background:var(--panel)}
.cards-main{grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));margin-bottom:.6rem}
.card-label{font-size:.75em;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.card-value{font-size:1.15em;font-weight:650;white-space:nowrap}
.card-value.big{font-size:2em;line-height:1.2}
.card-sub{font-size:.8em;color:var(--muted)}
.no-result{border:2px solid var(--bad);border-radius:6px;padding:.8rem 1rem}
.no-result-title{font-size:1.6em;font-weight:700;color:var(--bad);margin:0 0 .3rem}
.outcome{font-size:1em}
.badge{display:inline-block;font-weight:700;border:2px solid currentColor;border-radius:4px;padding:.05rem .45rem;margin-right:.4rem}
.outcome-better .badge,.outcome-within .badge{color:var(--good)}
.outcome-worse .badge{color:var(--bad)}
blockquote{margin:.3rem 0 .6rem;padding:.4rem .8rem;border-left:3px solid var(--line);background:var(--panel);white-space:pre-wrap;overflow-wrap:anywhere}
.quote-label{font-size:.85em;font-weight:600;margin-bottom:0}
ul.notes,ul.warnings{margin:.3rem 0;padding-left:1.3rem}
.provenance p:not(.note),.provenance ul.notes,.provenance blockquote,ul.warnings{font-size:.9em}
ul.notes li,ul.warnings li{margin:.2rem 0;overflow-wrap:anywhere}
ul.warnings code{font-weight:700;margin-right:.3rem}
.user-notes{white-space:pre-wrap;overflow-wrap:anywhere;border-left:3px solid var(--line);padding:.3rem .8rem}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:0 2rem}
figure{margin:1rem 0 1.4rem}
figcaption{font-size:.85em;margin-bottom:.3rem}
svg.chart{display:block;width:100%;height:auto;border:1px solid var(--line);background:var(--chart-bg)}
svg.chart .bg{fill:var(--chart-bg)}
svg.chart text{fill:var(--fg)}
svg.chart .tick{font-size:10.5px}
svg.chart .axis-title{font-size:11.5px;font-weight:600}
svg.chart .legend{font-size:10.5px}
svg.chart .coh{fill:var(--muted)}
svg.chart .frame{fill:none;stroke:var(--fg);stroke-width:1}
svg.chart .grid,svg.chart .grid-minor{stroke:var(--grid);stroke-width:.8}
svg.chart .grid-major{stroke:var(--grid-strong);stroke-width:1}
svg.chart .strip{stroke:var(--grid-strong);stroke-width:1;stroke-dasharray:2 2}
svg.chart .median{stroke:var(--fg);stroke-width:1.2;stroke-dasharray:6 3}
svg.chart .pt{fill:var(--accent);stroke:none}
svg.chart .pt-hollow{fill:none;stroke:var(--accent);stroke-width:1.1}
svg.chart .pt-off{fill:none;stroke:var(--fg);stroke-width:1}
svg.chart .range{stroke:var(--accent);stroke-width:1.2;fill:none}
svg.chart .mark-dropout{stroke:var(--bad);stroke-width:1.6;fill:none}
svg.chart .mark-nc{stroke:var(--muted);stroke-width:1.6;fill:none}
svg.chart .bar{fill:var(--accent);fill-opacity:.8;stroke:var(--chart-bg);stroke-width:.6}
svg.chart .trace{stroke:var(--accent);stroke-width:1.8;fill:none;stroke-linejoin:round}
svg.chart .trace-coh{stroke:var(--coh);stroke-width:1.2;fill:none;stroke-dasharray:4 2}
table.events{font-size:.78em;width:auto;min-width:70%}
table.events td,table.events th{padding:.1rem .6rem;text-align:right}
table.events td:last-child,table.events th:last-child{text-align:left}
table.events tr.st-low-confidence td,table.events tr.st-not-captured td{color:var(--muted)}
table.events tr.st-dropout td{color:var(--bad)}
footer.methods{margin-top:2.5rem;font-size:.85em}
footer.methods dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.4rem 0}
footer.methods dt{font-weight:600}
footer.methods dd{margin:0}
footer.methods .note{font-size:1em}
.colophon{margin-top:1rem;color:var(--muted);font-size:.95em}
@page{margin:14mm 13mm}
@media print{
:root{--fg:#000;--muted:#444;--line:#999;--grid:#ddd;--grid-strong:#aaa;--bg:#fff;--panel:#fff;--accent:#1b3f7a;--coh:#777;--chart-bg:#fff}
body{max-width:none;padding:0;font-size:9.5pt;line-height:1.4}
h1{font-size:17pt}
h2{font-size:12pt;margin-top:1.2rem;break-after:avoid;page-break-after:avoid}
h3{break-after:avoid;page-break-after:avoid}
.card{background:none}
.card-value.big{font-size:18pt}
blockquote{background:none}
figure,blockquote,table.kv,table.stats,table.lipsync,.cards,.no-result,footer.methods dl{break-inside:avoid;page-break-inside:avoid}
table.events{font-size:7pt;line-height:1.25;width:100%;min-width:0}
table.events td,table.events th{padding:.02rem .4rem}
.events-wrap{columns:2;column-gap:8mm}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
svg.chart{border-color:#999}
}
`;

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

/** Renders a report as one self-contained HTML document (no network, no script). */
export function renderReportHtml(report: Report, options: ReportHtmlOptions = {}): string {
  const generatedBy = options.generatedBy ?? `${report.software.name} ${report.software.version}`;
  const title = report.title.trim() === '' ? 'Untitled measurement' : report.title;
  const body = [
    headerSection(report),
    headlineSection(report.analysis),
    verdictSection(report),
    lipSyncSection(report.analysis),
    chartsSection(report),
    statisticsSection(report.analysis),
    setupSection(report),
    warningsSection(report.analysis),
    notesSection(report),
    eventsSection(report.analysis),
    methodsFooter(report, generatedBy),
  ].join('\n');
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta name="generator" content="${esc(generatedBy)}">\n` +
    `<title>${esc(title)} · Latency Lab report</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  );
}

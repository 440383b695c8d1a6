/**
 * Finds the screen showing the pattern in a recording: the largest connected block of grid cells
 * that flash strongly and in step with each other. Refuses when nothing flashes (no pattern), when
 * the flashing block is tiny (screen too small) or when the picture is clipped white (over-exposed).
 */
import type { LumaGridVideo } from './luma-grid';
import { refuse } from './av-refusal';
import { median } from '../primitives/statistics';

/** A cell flashes when its level range (3rd to 97th percentile) is at least this many luma steps. */
export const MIN_CONTRAST = 6;
/** Screens covering less than this fraction of the picture are refused. */
export const MIN_SCREEN_FRACTION = 0.008;
/** Frames sampled for the per-cell statistics. */
const SAMPLE_FRAMES = 2400;

export interface ScreenRegion {
  /** Indices (row · gridWidth + column) of the screen's cells. */
  cells: number[];
  /** Bounding box in grid cells, inclusive. */
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Fraction of the frame the screen's cells cover. */
  fraction: number;
  /** Luma (0–255) of the screen when dark and when bright (3rd / 97th percentile). */
  darkLevel: number;
  brightLevel: number;
  /** The screen's mean luma per frame. */
  signal: Float64Array;
  /** Per grid row that has screen cells: its row (centre, as a fraction of the frame height from the top) and mean luma per frame. */
  rows: Array<{ y: number; cells: number; signal: Float64Array }>;
}

function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.min(sorted.length - 1, lo + 1)] - sorted[lo]);
}

export function findScreen(video: LumaGridVideo): ScreenRegion {
  const { gridWidth, gridHeight, frameCount, cells } = video;
  const size = gridWidth * gridHeight;
  const stride = Math.max(1, Math.floor(frameCount / SAMPLE_FRAMES));
  const sampled = Math.floor((frameCount - 1) / stride) + 1;
  const series = (cell: number): Float64Array => {
    const out = new Float64Array(sampled);
    for (let i = 0; i < sampled; i++) out[i] = cells[i * stride * size + cell];
    return out;
  };
  const low = new Float64Array(size);
  const high = new Float64Array(size);
  for (let c = 0; c < size; c++) {
    const s = series(c);
    low[c] = percentile(s, 0.03);
    high[c] = percentile(s, 0.97);
  }
  let maxAmplitude = 0;
  for (let c = 0; c < size; c++) maxAmplitude = Math.max(maxAmplitude, high[c] - low[c]);
  if (maxAmplitude < MIN_CONTRAST) {
    let clipped = 0;
    for (let c = 0; c < size; c++) if (low[c] >= 245) clipped++;
    if (clipped >= 0.05 * size) {
      refuse('OVER_EXPOSED', `${Math.round((100 * clipped) / size)} % of the picture is clipped white and nothing in it flashes (largest change ${maxAmplitude.toFixed(1)} of 255 luma steps).`);
    }
    refuse('NO_PATTERN', `Nothing in the picture flashes: the largest change of any part of it is ${maxAmplitude.toFixed(1)} of 255 luma steps (at least ${MIN_CONTRAST} needed).`);
  }
  // The reference: the mean of the strongest cells. Candidates must follow it closely.
  const reference = new Float64Array(sampled);
  let strong = 0;
  for (let c = 0; c < size; c++) {
    if (high[c] - low[c] < 0.8 * maxAmplitude) continue;
    const s = series(c);
    for (let i = 0; i < sampled; i++) reference[i] += s[i];
    strong++;
  }
  for (let i = 0; i < sampled; i++) reference[i] /= strong;
  const candidate = new Uint8Array(size);
  for (let c = 0; c < size; c++) {
    const amplitude = high[c] - low[c];
    if (amplitude < Math.max(MIN_CONTRAST, 0.35 * maxAmplitude)) continue;
    if (correlation(series(c), reference) >= 0.85) candidate[c] = 1;
  }
  // Largest 4-connected component.
  const label = new Int32Array(size).fill(-1);
  let best: number[] = [];
  for (let c = 0; c < size; c++) {
    if (!candidate[c] || label[c] >= 0) continue;
    const component: number[] = [];
    const stack = [c];
    label[c] = c;
    while (stack.length > 0) {
      const k = stack.pop() as number;
      component.push(k);
      const x = k % gridWidth;
      const y = Math.floor(k / gridWidth);
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
        if (nx < 0 || ny < 0 || nx >= gridWidth || ny >= gridHeight) continue;
        const n = ny * gridWidth + nx;
        if (candidate[n] && label[n] < 0) {
          label[n] = c;
          stack.push(n);
        }
      }
    }
    if (component.length > best.length) best = component;
  }
  const fraction = best.length / size;
  if (fraction < MIN_SCREEN_FRACTION) {
    refuse('SCREEN_TOO_SMALL', `The flashing screen covers ${(100 * fraction).toFixed(1)} % of the picture (${best.length} of ${size} grid cells); at least ${(100 * MIN_SCREEN_FRACTION).toFixed(1)} % is needed, a tenth or more is best.`);
  }
  best.sort((a, b) => a - b);
  const darkLevel = median(best.map((c) => low[c]));
  const brightLevel = median(best.map((c) => high[c]));
  if (darkLevel >= 235 || (brightLevel >= 250 && brightLevel - darkLevel < 24)) {
    refuse('OVER_EXPOSED', `The screen is clipped white: dark ${darkLevel.toFixed(0)} and bright ${brightLevel.toFixed(0)} of 255 luma steps, so the flashes' ramps are cut off.`);
  }
  // Signals: the whole screen, and each grid row of it.
  const signal = new Float64Array(frameCount);
  const byRow = new Map<number, number[]>();
  for (const c of best) {
    const row = Math.floor(c / gridWidth);
    byRow.set(row, [...(byRow.get(row) ?? []), c]);
  }
  const rows: ScreenRegion['rows'] = [];
  for (const [row, rowCells] of [...byRow.entries()].sort((a, b) => a[0] - b[0])) {
    const rowSignal = new Float64Array(frameCount);
    for (let n = 0; n < frameCount; n++) {
      let sum = 0;
      for (const c of rowCells) sum += cells[n * size + c];
      rowSignal[n] = sum / rowCells.length;
      signal[n] += sum / best.length;
    }
    rows.push({ y: (row + 0.5) / gridHeight, cells: rowCells.length, signal: rowSignal });
  }
  const xs = best.map((c) => c % gridWidth);
  const ys = best.map((c) => Math.floor(c / gridWidth));
  return {
    cells: best,
    left: Math.min(...xs),
    right: Math.max(...xs),
    top: Math.min(...ys),
    bottom: Math.max(...ys),
    fraction,
    darkLevel,
    brightLevel,
    signal,
    rows,
  };
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

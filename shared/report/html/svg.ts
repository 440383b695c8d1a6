/**
 * SVG building blocks of the HTML report's charts, as text in viewBox units: the plot box, scales,
 * axes with grid lines, markers and legends. The axis maths (round scales, ticks) is
 * shared/report/chart-math.ts, the same as the app's charts.
 */
import { type NiceScale, stepDecimals } from '../chart-math';
import { esc, num } from './text';

export interface Ticks {
  values: number[];
  decimals: number;
}

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 280;

export interface PlotBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Coordinates rounded to 0.1 unit: plenty at print size, and compact. */
export const c = (v: number): string => num(v, 1);

export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v: number) => r0 + (v - d0) * k;
}

/** A filled dot as path data (two arcs), so thousands of them stay one element. */
export const dot = (x: number, y: number, r: number): string => `M${c(x - r)} ${c(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
export const cross = (x: number, y: number, r: number): string => `M${c(x - r)} ${c(y - r)}l${2 * r} ${2 * r}M${c(x - r)} ${c(y + r)}l${2 * r} ${-2 * r}`;
export const triangle = (x: number, y: number, r: number, up: boolean): string =>
  up ? `M${c(x)} ${c(y - r)}L${c(x + r)} ${c(y + r)}L${c(x - r)} ${c(y + r)}Z` : `M${c(x)} ${c(y + r)}L${c(x + r)} ${c(y - r)}L${c(x - r)} ${c(y - r)}Z`;

export function svgOpen(id: string, label: string, height = CHART_HEIGHT): string {
  return (
    `<svg id="${id}" class="chart" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${CHART_WIDTH} ${height}" ` +
    `font-size="11"><title id="${id}-title">${esc(label)}</title>` +
    `<rect class="bg" x="0" y="0" width="${CHART_WIDTH}" height="${height}"/>`
  );
}

/** Horizontal grid lines and left tick labels for a linear y axis. */
export function yAxis(box: PlotBox, ticks: Ticks, y: (v: number) => number, title: string): string {
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

export function xAxisLinear(box: PlotBox, ticks: Ticks, x: (v: number) => number, title: string, height = CHART_HEIGHT): string {
  const parts: string[] = [];
  for (const v of ticks.values) {
    const px = x(v);
    parts.push(`<line class="grid" x1="${c(px)}" x2="${c(px)}" y1="${box.top}" y2="${box.bottom}"/>`);
    parts.push(`<text class="tick" x="${c(px)}" y="${box.bottom + 15}" text-anchor="middle">${num(v, ticks.decimals)}</text>`);
  }
  parts.push(`<text class="axis-title" x="${c((box.left + box.right) / 2)}" y="${height - 8}" text-anchor="middle">${esc(title)}</text>`);
  return parts.join('');
}

export function frame(box: PlotBox): string {
  return `<rect class="frame" x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}"/>`;
}

/** A legend row at the top of a chart: [marker path or line, label]. */
export function legend(items: Array<{ mark: string; label: string }>, y = 14, startX = 70): string {
  let x = startX;
  const parts: string[] = [];
  for (const item of items) {
    parts.push(`<g transform="translate(${c(x)} ${y})">${item.mark}<text class="legend" x="16" y="4">${esc(item.label)}</text></g>`);
    x += 30 + item.label.length * 5.6;
  }
  return parts.join('');
}

/** A niceScale's ticks, with the decimals their step needs. */
export function scaleTicks(scale: NiceScale): Ticks {
  const step = scale.ticks.length > 1 ? scale.ticks[1] - scale.ticks[0] : 1;
  return { values: scale.ticks, decimals: stepDecimals(Number(step.toFixed(10))) };
}

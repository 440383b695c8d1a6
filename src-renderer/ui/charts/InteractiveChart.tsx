/**
 * The interactive line chart behind the impulse-response views (IR, ETC, step, magnitude, phase,
 * distortion): a linear or log x axis, one or more series whose low-quality points are drawn grey
 * (not hidden), a cursor read-out (the x under the pointer and each series' value there), zoom by
 * dragging over the plot or with the range buttons (and a reset), and, for dB charts, a fixed dB
 * scale option. Each view is its own small file that maps its data onto this chart.
 */
import { type ReactNode, useId, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import { decibelScale, frequencyTicks, niceScale, ticksWithin } from '../../../shared/report/chart-math';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from './ChartFrame';
import './interactive-chart.css';

export interface ChartPoint {
  x: number;
  y: number;
  /** Drawn grey: the quality figure is low there (or it is below the window's lowest valid frequency). */
  low?: boolean;
}

export interface ChartSeries {
  id: string;
  label: string;
  color: string;
  points: readonly ChartPoint[];
  dashed?: boolean;
  /** How the read-out prints this series' value at the cursor. */
  format(y: number): string;
}

export interface ZoomPreset {
  label: string;
  domain: [number, number];
}

export interface InteractiveChartProps {
  title: string;
  /** Part of the accessible description: what the chart shows (the window, the units). */
  subject: string;
  series: ChartSeries[];
  xScale: 'linear' | 'log';
  /** The full x range (zoom reset returns here). */
  xDomain: [number, number];
  xLabel: string;
  yLabel: string;
  formatX(x: number): string;
  /** 'db' axes reach at most 60 dB below the top (as the magnitude chart's). */
  yKind: 'linear' | 'db';
  /** Fixed y axis ([lo, hi]) always, e.g. phase ±180°. */
  yFixed?: [number, number];
  /** When given, a "Fixed dB scale" option sets the y axis to this range. */
  fixedDbRange?: [number, number];
  presets?: ZoomPreset[];
  /** Greyed x band, e.g. below the speaker window's lowest valid frequency. */
  shade?: { from: number; to: number } | null;
  /**
   * Series recomputed for the zoomed range (an IR thinned to the screen for its visible part):
   * called with the visible domain; default: the series as given, cut to the domain.
   */
  seriesFor?: (domain: [number, number]) => ChartSeries[];
  note?: ReactNode;
  controls?: ReactNode;
  height?: number;
}

const MARGIN = { top: 10, right: 20, bottom: 24, left: 12 };
const Y_AXIS_WIDTH = 64;
const GREY = 'var(--text-muted)';
/** A drag shorter than this (px) is a click, not a zoom. */
const MIN_DRAG_PX = 6;

type Row = Record<string, number | null>;

/** One data array per series: `v` for good points, `low` for low ones (joined to their neighbours so the line is continuous). */
function rows(points: readonly ChartPoint[]): Row[] {
  return points.map((p, i) => {
    const low = !!p.low;
    const nearLow = low || !!points[i - 1]?.low || !!points[i + 1]?.low;
    return { x: p.x, v: low ? null : p.y, low: nearLow ? p.y : null };
  });
}

/** The point of a series nearest to x (by x), or null. */
export function nearestPoint(points: readonly ChartPoint[], x: number, log: boolean): ChartPoint | null {
  if (points.length === 0) return null;
  const d = (p: ChartPoint): number => Math.abs(log ? Math.log(p.x / x) : p.x - x);
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) lo = mid;
    else hi = mid;
  }
  return d(points[lo]) <= d(points[hi]) ? points[lo] : points[hi];
}

export function InteractiveChart(props: InteractiveChartProps) {
  const { title, subject, series, xScale, xDomain, xLabel, yLabel, formatX, yKind, yFixed, fixedDbRange, presets, shade, seriesFor, note, controls, height = 280 } = props;
  const log = xScale === 'log';
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  const [fixedDb, setFixedDb] = useState(false);
  const [cursor, setCursor] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number; fromPx: number } | null>(null);
  const fixedId = useId();
  const domain = zoom ?? xDomain;

  const view = useMemo(() => {
    const inDomain = (p: ChartPoint) => p.x >= domain[0] && p.x <= domain[1] && Number.isFinite(p.y);
    const visible = (seriesFor ? seriesFor(domain) : series).map((s) => ({ ...s, points: s.points.filter(inDomain) }));
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of visible)
      for (const p of s.points) {
        if (p.y < lo) lo = p.y;
        if (p.y > hi) hi = p.y;
      }
    let y;
    if (yFixed) y = { lo: yFixed[0], hi: yFixed[1], ticks: ticksWithin(yFixed[0], yFixed[1], 6).values };
    else if (fixedDb && fixedDbRange) y = { lo: fixedDbRange[0], hi: fixedDbRange[1], ticks: ticksWithin(fixedDbRange[0], fixedDbRange[1], 6).values };
    else if (!Number.isFinite(lo)) y = niceScale(0, 1);
    else y = yKind === 'db' ? decibelScale(lo, hi) : niceScale(lo, hi, 6, 1e-6);
    const xTicks = log ? frequencyTicks(domain[0], domain[1]).filter((t) => t >= domain[0] && t <= domain[1]) : ticksWithin(domain[0], domain[1], 8).values;
    return { visible, y, xTicks };
  }, [series, seriesFor, domain, yFixed, fixedDb, fixedDbRange, yKind, log]);

  // Pixel ↔ x: the plot spans from the y axis to the right margin.
  const toX = (px: number, width: number): number => {
    const left = MARGIN.left + Y_AXIS_WIDTH;
    const right = width - MARGIN.right;
    const t = Math.min(1, Math.max(0, (px - left) / Math.max(1, right - left)));
    return log ? domain[0] * (domain[1] / domain[0]) ** t : domain[0] + t * (domain[1] - domain[0]);
  };
  const pointerX = (e: { clientX: number; currentTarget: HTMLElement }, width: number): { x: number; px: number } => {
    const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
    return { x: toX(px, width), px };
  };

  const readout =
    cursor === null
      ? null
      : view.visible
          .map((s) => {
            const p = nearestPoint(s.points, cursor, log);
            return p ? `${s.label} ${s.format(p.y)}${p.low ? ' (low quality)' : ''}` : null;
          })
          .filter((t): t is string => t !== null)
          .join(' · ');

  const zoomBy = (factor: number) => {
    const [a, b] = domain;
    let next: [number, number];
    if (log) {
      const mid = Math.sqrt(a * b);
      const half = Math.sqrt(b / a) ** factor;
      next = [Math.max(xDomain[0], mid / half), Math.min(xDomain[1], mid * half)];
    } else {
      const mid = (a + b) / 2;
      const half = ((b - a) / 2) * factor;
      next = [Math.max(xDomain[0], mid - half), Math.min(xDomain[1], mid + half)];
    }
    setZoom(next[0] <= xDomain[0] && next[1] >= xDomain[1] ? null : next);
  };

  const legend: LegendItem[] = view.visible.map((s) => ({ label: s.label, color: s.color, mark: s.dashed ? 'dashed' : 'line' }));
  if (view.visible.some((s) => s.points.some((p) => p.low))) legend.push({ label: 'Low quality (greyed)', color: GREY, mark: 'line' });
  const description = `${subject}: ${xLabel} from ${formatX(domain[0])} to ${formatX(domain[1])}${zoom ? ' (zoomed)' : ''}, ${yLabel} from ${view.y.lo} to ${view.y.hi}.`;

  const controlRow = (
    <div className="chart-controls interactive">
      {controls}
      {presets?.map((p) => (
        <button key={p.label} type="button" className="secondary" onClick={() => setZoom(p.domain)}>
          {p.label}
        </button>
      ))}
      <button type="button" className="secondary" onClick={() => zoomBy(0.5)}>
        Zoom in
      </button>
      <button type="button" className="secondary" onClick={() => zoomBy(2)} disabled={!zoom}>
        Zoom out
      </button>
      <button type="button" className="secondary" onClick={() => setZoom(null)} disabled={!zoom}>
        Reset zoom
      </button>
      {fixedDbRange && (
        <label htmlFor={fixedId}>
          <input id={fixedId} type="checkbox" checked={fixedDb} onChange={(e) => setFixedDb(e.target.checked)} /> Fixed dB scale ({fixedDbRange[0]} to {fixedDbRange[1]} dB)
        </label>
      )}
      <output className="chart-readout" aria-live="polite">
        {readout ? `At ${formatX(cursor as number)}: ${readout}` : 'Point at the plot to read values; drag across it to zoom.'}
      </output>
    </div>
  );

  return (
    <ChartFrame title={title} description={description} height={height} legend={legend} note={note} controls={controlRow}>
      {(width) => (
          <div
            data-testid="chart-pointer"
            className="interactive-plot"
            onMouseMove={(e) => {
              const { x } = pointerX(e, width);
              setCursor(x);
              if (drag) setDrag({ ...drag, to: x });
            }}
            onMouseLeave={() => {
              setCursor(null);
              setDrag(null);
            }}
            onMouseDown={(e) => {
              const { x, px } = pointerX(e, width);
              setDrag({ from: x, to: x, fromPx: px });
            }}
            onMouseUp={(e) => {
              const { x, px } = pointerX(e, width);
              if (drag && Math.abs(px - drag.fromPx) >= MIN_DRAG_PX) setZoom([Math.min(drag.from, x), Math.max(drag.from, x)]);
              setDrag(null);
            }}
          >
            <LineChart width={width} height={height} margin={MARGIN}>
              <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
              <XAxis
                type="number"
                dataKey="x"
                scale={log ? 'log' : 'linear'}
                domain={domain}
                ticks={view.xTicks}
                interval={0}
                allowDataOverflow
                tick={AXIS_TICK}
                tickFormatter={(v: number) => formatX(v)}
                label={{ value: xLabel, position: 'insideBottom', offset: -14, style: AXIS_LABEL_STYLE }}
              />
              <YAxis
                type="number"
                domain={[view.y.lo, view.y.hi]}
                ticks={view.y.ticks}
                interval={0}
                allowDataOverflow
                width={Y_AXIS_WIDTH}
                tick={AXIS_TICK}
                label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }}
              />
              {shade && shade.to > domain[0] && <ReferenceArea x1={Math.max(domain[0], shade.from)} x2={Math.min(domain[1], shade.to)} fill={CHART_COLORS.startup} fillOpacity={0.8} ifOverflow="hidden" />}
              {drag && drag.to !== drag.from && <ReferenceArea x1={Math.min(drag.from, drag.to)} x2={Math.max(drag.from, drag.to)} fill={CHART_COLORS.tertiary} fillOpacity={0.15} />}
              {cursor !== null && <ReferenceLine x={cursor} stroke={CHART_COLORS.text} strokeDasharray="2 2" ifOverflow="hidden" />}
              {view.visible.flatMap((s) => {
                const data = rows(s.points);
                const common = { data, type: 'linear' as const, dot: false as const, activeDot: false as const, isAnimationActive: false, connectNulls: false };
                return [
                  <Line key={`${s.id}-v`} {...common} dataKey="v" name={s.label} stroke={s.color} strokeWidth={1.6} strokeDasharray={s.dashed ? '5 3' : undefined} />,
                  <Line key={`${s.id}-low`} {...common} dataKey="low" name={`${s.label} (low quality)`} stroke={GREY} strokeWidth={1.4} strokeDasharray={s.dashed ? '5 3' : undefined} />,
                ];
              })}
            </LineChart>
          </div>
      )}
    </ChartFrame>
  );
}

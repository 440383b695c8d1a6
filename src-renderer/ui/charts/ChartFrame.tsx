/**
 * The frame every chart sits in: a figure with a caption, the plot (its width follows the layout,
 * its height is fixed), and an HTML legend that uses the same colour tokens. The plot is one
 * labelled image for assistive technology; the figures behind it are in the tables of the page.
 *
 * The width is measured when the frame is attached (and on resize), so the chart renders at its
 * size in the same task it mounts in. recharts' ResponsiveContainer measures one task later,
 * which would let several charts' first renders pile up into one long task.
 */
import { type ReactNode, useCallback, useState } from 'react';
import './charts.css';

export type LegendMark = 'dot' | 'hollow' | 'triangle' | 'line' | 'dashed' | 'bar';

export interface LegendItem {
  label: string;
  color: string;
  mark: LegendMark;
}

function Swatch({ color, mark }: { color: string; mark: LegendMark }) {
  return (
    <svg className="chart-legend-swatch" width="18" height="12" viewBox="0 0 18 12" aria-hidden="true" focusable="false">
      {mark === 'dot' && <circle cx="9" cy="6" r="3.5" fill={color} />}
      {mark === 'hollow' && <circle cx="9" cy="6" r="3.5" fill="none" stroke={color} strokeWidth="1.5" />}
      {mark === 'triangle' && <path d="M9 1.5 L14 10.5 L4 10.5 Z" fill={color} />}
      {mark === 'line' && <line x1="1" y1="6" x2="17" y2="6" stroke={color} strokeWidth="2" />}
      {mark === 'dashed' && <line x1="1" y1="6" x2="17" y2="6" stroke={color} strokeWidth="2" strokeDasharray="4 3" />}
      {mark === 'bar' && <rect x="3" y="2" width="12" height="8" fill={color} />}
    </svg>
  );
}

export function ChartLegend({ items }: { items: LegendItem[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="chart-legend" aria-label="Legend">
      {items.map((item) => (
        <li key={item.label}>
          <Swatch color={item.color} mark={item.mark} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

export interface ChartFrameProps {
  title: string;
  /** One sentence a screen reader hears instead of the plot. */
  description: string;
  height: number;
  legend?: LegendItem[];
  /** Under the plot: sampling notes, units. */
  note?: ReactNode;
  /** Controls above the plot (smoothing selectors, toggles). */
  controls?: ReactNode;
  /** The recharts chart, given the plot's width in pixels. */
  children: (width: number) => ReactNode;
  className?: string;
}

export function ChartFrame({ title, description, height, legend, note, controls, children, className }: ChartFrameProps) {
  const [width, setWidth] = useState(0);
  const measure = useCallback((element: HTMLDivElement | null) => {
    if (!element) return undefined;
    const update = () => {
      const w = Math.floor(element.getBoundingClientRect().width);
      setWidth((old) => (old === w ? old : w));
    };
    update();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <figure className={`chart ${className ?? ''}`.trim()}>
      <figcaption className="chart-title">{title}</figcaption>
      {controls}
      <div className="chart-plot" ref={measure} role="img" aria-label={description} style={{ height }}>
        {width > 0 && children(width)}
      </div>
      {legend && <ChartLegend items={legend} />}
      {note && <p className="chart-note muted">{note}</p>}
    </figure>
  );
}

/** Colours of the charts, from the design tokens (they follow the light/dark theme). */
export const CHART_COLORS = {
  primary: 'var(--chart-1)',
  secondary: 'var(--chart-2)',
  tertiary: 'var(--chart-3)',
  grid: 'var(--chart-grid)',
  text: 'var(--text-muted)',
  bad: 'var(--bad)',
  /** A shaded stretch of time (the start-up before the steady state). */
  startup: 'var(--surface-2)',
} as const;

/** Props shared by the axes: tick text in the muted text colour. */
export const AXIS_TICK = { fill: 'var(--text-muted)', fontSize: 12 } as const;
export const AXIS_LABEL_STYLE = { fill: 'var(--text-muted)', fontSize: 12 } as const;

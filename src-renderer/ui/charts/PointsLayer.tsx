/**
 * Scatter points drawn inside a recharts chart as one SVG path per series, using the chart's own
 * axis scales. A recharts <Scatter> renders a React component per point, which costs about a
 * tenth of a millisecond each; a path costs almost nothing per point, so long runs and the live
 * long-run view stay cheap. Hovering shows the nearest point's values.
 */
import { type MouseEvent, type ReactNode, useMemo, useState } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

export type PointMark = 'dot' | 'hollow' | 'triangle-bottom' | 'square';

export interface PointSeries {
  id: string;
  /** Data coordinates (the chart's x and y axis units). */
  points: ReadonlyArray<{ x: number; y: number }>;
  mark: PointMark;
  color: string;
  /** Lines shown when the pointer is nearest to point `index`. */
  describe(index: number): string[];
}

const R = 2.6;

function markPath(mark: PointMark, x: number, y: number): string {
  switch (mark) {
    case 'dot':
    case 'hollow':
      return `M${(x - R).toFixed(1)} ${y.toFixed(1)}a${R} ${R} 0 1 0 ${2 * R} 0a${R} ${R} 0 1 0 ${-2 * R} 0`;
    case 'square':
      return `M${(x - 2.5).toFixed(1)} ${(y - 2.5).toFixed(1)}h5v5h-5z`;
    case 'triangle-bottom':
      // Standing on y (the bottom of the plot), pointing up.
      return `M${x.toFixed(1)} ${(y - 9).toFixed(1)}l4.5 8h-9z`;
  }
}

interface Hover {
  x: number;
  y: number;
  lines: string[];
  color: string;
}

export function PointsLayer({ series }: { series: readonly PointSeries[] }): ReactNode {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  const plot = usePlotArea();
  const [hover, setHover] = useState<Hover | null>(null);

  const drawn = useMemo(() => {
    if (!xScale || !yScale) return [];
    return series.map((s) => {
      const parts: string[] = [];
      const xy: Array<[number, number, number]> = [];
      s.points.forEach((p, i) => {
        const x = xScale(p.x);
        const y = yScale(p.y);
        if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return;
        parts.push(markPath(s.mark, x, y));
        xy.push([x, y, i]);
      });
      return { series: s, d: parts.join(''), xy };
    });
  }, [series, xScale, yScale]);

  if (!plot || !xScale || !yScale) return null;

  const onMove = (event: MouseEvent<SVGRectElement>) => {
    const svg = event.currentTarget.ownerSVGElement;
    const ctm = svg?.getScreenCTM();
    if (!svg || !ctm) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
    let best: Hover | null = null;
    let bestDistance = 24 * 24; // only within 24 px
    for (const d of drawn) {
      for (const [x, y, i] of d.xy) {
        const distance = (x - point.x) ** 2 + (y - point.y) ** 2;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = { x, y, lines: d.series.describe(i), color: d.series.color };
        }
      }
    }
    setHover(best);
  };

  const boxWidth = hover ? Math.max(...hover.lines.map((l) => l.length)) * 6.6 + 16 : 0;
  const boxHeight = hover ? hover.lines.length * 16 + 8 : 0;
  const boxX = hover ? (hover.x + 12 + boxWidth > plot.x + plot.width ? hover.x - 12 - boxWidth : hover.x + 12) : 0;
  const boxY = hover ? Math.min(Math.max(plot.y, hover.y - boxHeight / 2), plot.y + plot.height - boxHeight) : 0;

  return (
    <g className="points-layer">
      {drawn.map((d) =>
        d.series.mark === 'hollow' ? (
          <path key={d.series.id} d={d.d} fill="none" stroke={d.series.color} strokeWidth={1.4} />
        ) : (
          <path key={d.series.id} d={d.d} fill={d.series.color} />
        ),
      )}
      <rect x={plot.x} y={plot.y} width={plot.width} height={plot.height} fill="transparent" onMouseMove={onMove} onMouseLeave={() => setHover(null)} />
      {hover && (
        <g pointerEvents="none">
          <circle cx={hover.x} cy={hover.y} r={5} fill="none" stroke={hover.color} strokeWidth={2} />
          <rect x={boxX} y={boxY} width={boxWidth} height={boxHeight} rx={4} fill="var(--surface)" stroke="var(--border)" />
          {hover.lines.map((line, i) => (
            <text key={line} x={boxX + 8} y={boxY + 17 + i * 16} fontSize={12} fill={i === 0 ? 'var(--text)' : 'var(--text-muted)'}>
              {line}
            </text>
          ))}
        </g>
      )}
    </g>
  );
}

/**
 * The HTML report's charts as inline SVG: latency per event over time, the latency histogram (the
 * same bins as the app's, from shared/report/chart-math.ts), the correlation peak and the
 * frequency response with coherence.
 */
import type { AnalysisOutput } from '../../claims/judge';
import type { FrequencyResponseOutput, LatencyEventOutput } from '../../analysis/analyze-capture';
import { type CorrelationZoom, type Polarity, resultPolarity, zoomPolarityNote } from '../../analysis/correlation-zoom';
import type { CorrelationWeighting } from '../../dsp/cross-correlation';
import { confidentLatencies, decibelScale, extent, formatHz, frequencyTicks, latencyHistogram, narrowSpread, narrowSpreadText, niceScale, niceStep, stepDecimals, ticksWithin } from '../chart-math';
import { missingResponseReason } from '../labels';
import type { Report } from '../report-schema';
import { CHART_HEIGHT, CHART_WIDTH, cross, dot, frame, legend, linearScale, type PlotBox, scaleTicks, svgOpen, triangle, xAxisLinear, yAxis, c } from './svg';
import { esc, ms, num } from './text';

/** Above this many events the time chart draws the range per time bin instead of every event. */
const MAX_PLOTTED_EVENTS = 1500;
const TIME_BINS = 500;

interface Chart {
  svg: string;
  caption: string;
}

function latencyTimeChart(latency: NonNullable<AnalysisOutput['latency']>, durationS: number): Chart {
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
  const yScale = niceScale(lo - pad, hi + pad, 6, 0.2);
  const [y0, y1] = [yScale.lo, yScale.hi];
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
  parts.push(yAxis({ ...box, bottom: latencyBottom }, scaleTicks(yScale), y, 'Latency (ms)'));
  parts.push(xAxisLinear(box, ticksWithin(0, tMax, 10), x, 'Time in the stimulus (s)'));
  const startup = latency.startup ?? null;
  if (startup) {
    // The start-up, before the path settled: shaded behind the events.
    const sx = x(Math.min(tMax, Math.max(0, startup.untilS)));
    parts.push(`<rect class="startup-area" x="${box.left}" y="${box.top}" width="${c(Math.max(0, sx - box.left))}" height="${c(latencyBottom - box.top)}"/>`);
  }
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
      ...(startup ? [{ mark: `<rect class="startup-area" x="0" y="-5" width="12" height="10"/>`, label: `start-up, until ${num(startup.untilS, 1)} s` }] : []),
      { mark: `<line class="median" x1="0" x2="13" y1="0" y2="0"/>`, label: `median${startup ? ' of the steady state' : ''} ${ms(latency.medianMs)}` },
      ...(offScale.length > 0 ? [{ mark: `<path class="pt-off" d="${triangle(6, 0, 3.4, true)}"/>`, label: 'off scale' }] : []),
    ]),
  );
  parts.push('</svg>');

  const notes: string[] = [];
  notes.push(`${latency.eventsTotal} events: ${latency.count} confident, ${latency.lowConfidence} unclear, ${latency.dropouts} dropouts, ${latency.notCaptured} not captured.`);
  if (binned) notes.push(`With ${events.length} events the chart shows, per ${num(tMax / TIME_BINS, 2)} s of stimulus, the range of the confident events (bar with end dots); the table and the CSV export list every event.`);
  if (offScale.length > 0) notes.push('Triangles at the top or bottom edge are events off the scale.');
  notes.push('Events without a latency are marked in the strip at the bottom.');
  if (startup) notes.push(`The shaded stretch is the start-up: the latency settled after ${num(startup.untilS, 1)} s (median ${ms(startup.medianMs)}, up to ${ms(startup.maxMs)} before it); the median line and the statistics are the steady state's.`);
  return { svg: parts.join(''), caption: notes.join(' ') };
}

function histogramChart(latency: NonNullable<AnalysisOutput['latency']>): Chart | null {
  // The same bins as the app's histogram (shared/report/chart-math.ts).
  const values = confidentLatencies(latency.events);
  const { widthMs: width, bins } = latencyHistogram(values);
  if (bins.length === 0) return null;
  const narrow = narrowSpread(values);
  if (narrow) {
    // No spread to draw (it would be one solid block): how closely the events agree, in words.
    const text = `${narrowSpreadText(narrow)}: ${narrow.count === 1 ? 'at' : 'from'} ${num(narrow.lowMs, 4)}${narrow.count === 1 ? '' : ` to ${num(narrow.highMs, 4)}`} ms.`;
    return {
      svg: `<p class="narrow-spread">${text}</p>`,
      caption: `No spread to draw: the histogram resolves 1 µs, and every confident event (unclear events and dropouts are left out, as in the statistics) falls within a few of its bins.`,
    };
  }
  const start = bins[0].fromMs;
  const end = bins[bins.length - 1].toMs;
  const maxCount = extent(bins.map((b) => b.count))[1];
  const widthText = num(width, stepDecimals(width));

  const box: PlotBox = { left: 64, right: CHART_WIDTH - 26, top: 30, bottom: CHART_HEIGHT - 46 };
  // A bin's width of room either side, and at least 8 bins wide.
  const xScale = niceScale(start - width, end + width, 8, 8 * width);
  const [x0, x1] = [xScale.lo, xScale.hi];
  const countStep = Math.max(1, niceStep(maxCount * 1.08, 5));
  const yTop = Math.ceil((maxCount * 1.08) / countStep) * countStep;
  const yTicksFixed = { values: ticksWithin(0, yTop, 5).values.filter((v) => Number.isInteger(v)), decimals: 0 };
  const x = linearScale(x0, x1, box.left, box.right);
  const y = linearScale(0, yTop, box.bottom, box.top);

  const bars: string[] = [];
  for (const bin of bins) {
    if (bin.count === 0) continue;
    bars.push(`M${c(x(bin.fromMs))} ${c(box.bottom)}V${c(y(bin.count))}H${c(x(bin.toMs))}V${c(box.bottom)}Z`);
  }
  const parts: string[] = [svgOpen('chart-histogram', `Histogram of ${values.length} confident event latencies, bin width ${widthText} ms`)];
  parts.push(yAxis(box, yTicksFixed, y, 'Events'));
  parts.push(xAxisLinear(box, scaleTicks(xScale), x, 'Latency (ms)'));
  parts.push(`<path class="bar" d="${bars.join('')}"/>`);
  const mx = x(latency.medianMs);
  parts.push(`<line class="median" x1="${c(mx)}" x2="${c(mx)}" y1="${box.top}" y2="${box.bottom}"/>`);
  parts.push(frame(box));
  parts.push(
    legend([
      { mark: `<rect class="bar" x="0" y="-5" width="12" height="10"/>`, label: `events per ${widthText} ms bin` },
      { mark: `<line class="median" x1="6" x2="6" y1="-6" y2="6"/>`, label: `median ${ms(latency.medianMs)}` },
    ]),
  );
  parts.push('</svg>');
  return {
    svg: parts.join(''),
    caption: `Distribution of the ${values.length} confident events (unclear events and dropouts are left out, as in the statistics). Bin width ${widthText} ms.`,
  };
}

function frequencyChart(fr: FrequencyResponseOutput, sampleRate: number, steadyFromS: number | null = null): Chart | null {
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
  // The app's magnitude axis (deeper notches than 60 dB run off the bottom, clipped).
  const dbScale = decibelScale(dbMin, dbMax);
  const y = linearScale(dbScale.lo, dbScale.hi, box.bottom, box.top);
  const yc = linearScale(0, 1, box.bottom, box.top);

  const parts: string[] = [svgOpen('chart-frequency', `Frequency response 20 Hz to ${formatHz(nyquist)}Hz: magnitude in dB and coherence`)];
  parts.push(`<defs><clipPath id="chart-frequency-clip"><rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}"/></clipPath></defs>`);
  // Log-frequency grid: every 1..9 × 10^n lightly, decades darker, labels at 2, 5 and 10 ×.
  for (let decade = 10; decade <= nyquist; decade *= 10) {
    for (let m = 1; m <= 9; m++) {
      const hz = m * decade;
      if (hz < 20 || hz > nyquist) continue;
      parts.push(`<line class="${m === 1 ? 'grid-major' : 'grid-minor'}" x1="${c(x(hz))}" x2="${c(x(hz))}" y1="${box.top}" y2="${box.bottom}"/>`);
    }
  }
  for (const hz of frequencyTicks(20, nyquist)) {
    parts.push(`<text class="tick" x="${c(x(hz))}" y="${box.bottom + 15}" text-anchor="middle">${formatHz(hz)}</text>`);
  }
  parts.push(`<text class="axis-title" x="${c((box.left + box.right) / 2)}" y="${CHART_HEIGHT - 8}" text-anchor="middle">Frequency (Hz)</text>`);
  parts.push(yAxis(box, scaleTicks(dbScale), y, reference === null ? 'Magnitude (dB, path gain)' : 'Relative magnitude (dB)'));
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
    caption: `${fr.impulse ? `Room window of the impulse response (the whole response until it sinks into its noise; ${roomWindowMethod(fr.impulse)}), ${smoothing}` : `H1 transfer function, ${smoothing}, ${fr.averages} averages of ${fr.fftSize}-point FFTs`}; ${ref} Median coherence (100 Hz–10 kHz): ${fr.medianCoherence === null ? 'n/a' : num(fr.medianCoherence, 3)}.${fr.micCalibration ? ' Microphone calibration applied.' : ''}${steadyFromS !== null ? ` Measured over the steady state, from ${num(steadyFromS, 1)} s: the start-up, while the latency still changed, is left out.` : ''}`,
  };
}

/** How the room window's response was made, for the frequency chart's caption. */
function roomWindowMethod(impulse: NonNullable<FrequencyResponseOutput['impulse']>): string {
  switch (impulse.method) {
    case 'sweep-deconvolution':
      return 'the sweep deconvolved';
    case 'periodic-noise':
      return `${impulse.periodsAveraged ?? 1} period(s) of the noise averaged and deconvolved`;
    case 'noise-deconvolution':
      return "Welch's H1 with segments longer than the room's decay";
    case 'click-averaging':
      return `each click deconvolved, averaged over ${typeof impulse.eventsAveraged === 'number' ? `${impulse.eventsAveraged} clicks` : 'the clicks'}`;
  }
}

function correlationChart(zoom: CorrelationZoom, latencyMs: number | null, polarity: Polarity | undefined, weighting: CorrelationWeighting): Chart | null {
  const n = Math.min(zoom.lagMs.length, zoom.value.length);
  if (n < 2) return null;
  const box: PlotBox = { left: 64, right: CHART_WIDTH - 26, top: 30, bottom: CHART_HEIGHT - 46 };
  const [l0, l1] = [zoom.lagMs[0], zoom.lagMs[n - 1]];
  const x = linearScale(l0, l1, box.left, box.right);
  const y = linearScale(-1, 1, box.bottom, box.top);
  const first = `Correlation of event ${zoom.eventIndex + 1} over lags ${num(l0, 2)} to ${num(l1, 2)} ms, normalised so the peak is ±1`;
  const parts: string[] = [svgOpen('chart-correlation', latencyMs === null ? first : `${first}; measured latency ${ms(latencyMs)}`)];
  parts.push(yAxis(box, { values: [-1, -0.5, 0, 0.5, 1], decimals: 1 }, y, 'Correlation'));
  parts.push(xAxisLinear(box, ticksWithin(l0, l1, 8), x, 'Lag (ms)'));
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
  const polarityNote = zoomPolarityNote(zoom, polarity, weighting);
  return {
    svg: parts.join(''),
    caption: `The cross-correlation behind the figure, around the arrival of event ${zoom.eventIndex + 1} (the confident event closest to the median), one point per sample. A single sharp peak is a clean arrival; secondary peaks are reflections or a second path.${polarityNote ? ` ${polarityNote}` : ''}`,
  };
}

function figure(chart: Chart | null, title: string): string {
  if (!chart) return '';
  return `<figure class="chart-figure"><figcaption><strong>${esc(title)}.</strong> ${esc(chart.caption)}</figcaption>${chart.svg}</figure>`;
}

export function chartsSection(report: Report): string {
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
    figures.push(figure(correlationChart(report.correlationZoom, event?.latencyMs ?? a.latency.medianMs, resultPolarity(a), report.settings.weighting), 'Correlation peak'));
  }
  if (a.frequencyResponse) {
    figures.push(figure(frequencyChart(a.frequencyResponse, a.stimulus?.sampleRate ?? report.signal.sampleRate, a.latency?.startup && a.latency.steadyState ? a.latency.steadyState.fromS : null), 'Frequency response'));
  } else {
    figures.push(`<p class="note">No frequency response: ${esc(missingResponseReason(a))}.</p>`);
  }
  const content = figures.filter((f) => f !== '').join('');
  return content === '' ? '' : `<section aria-labelledby="h-charts"><h2 id="h-charts">Charts</h2>${content}</section>`;
}

/**
 * The HTML report's impulse-response section (the same views as the app's, from
 * response-views.ts): magnitude and phase of one response window (room by default; speaker or
 * frequency-dependent when asked) with low-quality points and the band below the speaker window's
 * lowest valid frequency greyed, the impulse response (linear and ETC), the step response, harmonic
 * distortion of a sweep and the decay times per octave. Every chart names the window it shows.
 */
import type { FrequencyResponseOutput, ImpulseResponseOutput } from '../../analysis/response-output';
import { decibelScale, formatHz, frequencyTicks, niceScale, ticksWithin } from '../chart-math';
import { decayAbsentNote, impulseMethodText } from '../labels';
import type { Report } from '../report-schema';
import { etcSeries, impulseSeries, impulseSpanMs, type ResponseWindowId, stepSeries, stepSpanMs, thdDb, type TimePoint, windowCurve, windowDescription, wrapPhase } from './response-views';
import { CHART_HEIGHT, CHART_WIDTH, c, frame, legend, linearScale, type PlotBox, scaleTicks, svgOpen, xAxisLinear, yAxis } from './svg';
import { esc, num } from './text';

interface Trace {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<{ x: number; y: number; low?: boolean }>;
}

const GREY = 'var(--muted)';
const COLORS = ['var(--accent)', 'var(--coh)', 'var(--bad)'];

interface PlotSpec {
  id: string;
  label: string;
  traces: Trace[];
  log: boolean;
  xDomain: [number, number];
  xTitle: string;
  yTitle: string;
  y: { lo: number; hi: number; ticks: number[] };
  shadeBelow?: number | null;
}

const path = (pts: Array<[number, number]>): string => pts.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${c(px)} ${c(py)}`).join('');

/** One SVG line chart; low-quality stretches of a trace are drawn grey (class "low"). */
function plot(spec: PlotSpec): string {
  const box: PlotBox = { left: 64, right: CHART_WIDTH - 20, top: 30, bottom: CHART_HEIGHT - 46 };
  const [x0, x1] = spec.xDomain;
  const lx = spec.log ? linearScale(Math.log10(x0), Math.log10(x1), box.left, box.right) : linearScale(x0, x1, box.left, box.right);
  const x = (v: number): number => (spec.log ? lx(Math.log10(v)) : lx(v));
  const y = linearScale(spec.y.lo, spec.y.hi, box.bottom, box.top);
  const parts: string[] = [svgOpen(spec.id, spec.label)];
  parts.push(`<defs><clipPath id="${spec.id}-clip"><rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}"/></clipPath></defs>`);
  if (spec.shadeBelow && spec.shadeBelow > x0) {
    const to = Math.min(x1, spec.shadeBelow);
    parts.push(`<rect class="startup-area shade-invalid" x="${box.left}" y="${box.top}" width="${c(x(to) - box.left)}" height="${box.bottom - box.top}"/>`);
  }
  if (spec.log) {
    for (const hz of frequencyTicks(x0, x1)) {
      parts.push(`<line class="grid" x1="${c(x(hz))}" x2="${c(x(hz))}" y1="${box.top}" y2="${box.bottom}"/>`);
      parts.push(`<text class="tick" x="${c(x(hz))}" y="${box.bottom + 15}" text-anchor="middle">${formatHz(hz)}</text>`);
    }
    parts.push(`<text class="axis-title" x="${c((box.left + box.right) / 2)}" y="${CHART_HEIGHT - 8}" text-anchor="middle">${esc(spec.xTitle)}</text>`);
  } else {
    parts.push(xAxisLinear(box, ticksWithin(x0, x1, 8), x, spec.xTitle));
  }
  parts.push(yAxis(box, scaleTicks(spec.y), y, spec.yTitle));
  for (const t of spec.traces) {
    const good: Array<Array<[number, number]>> = [];
    const low: Array<Array<[number, number]>> = [];
    let run: Array<[number, number]> = [];
    let runLow: boolean | null = null;
    for (const p of t.points) {
      if (!Number.isFinite(p.y) || p.x < x0 || p.x > x1) continue;
      const pt: [number, number] = [x(p.x), y(Math.min(spec.y.hi + 1e3, Math.max(spec.y.lo - 1e3, p.y)))];
      const isLow = !!p.low;
      if (runLow !== null && isLow !== runLow) {
        run.push(pt); // joined to the next run
        (runLow ? low : good).push(run);
        run = [];
      }
      runLow = isLow;
      run.push(pt);
    }
    if (run.length > 0 && runLow !== null) (runLow ? low : good).push(run);
    const dash = t.dashed ? ';stroke-dasharray:5 3' : '';
    const goodD = good.filter((r) => r.length > 1).map(path).join('');
    const lowD = low.filter((r) => r.length > 1).map(path).join('');
    if (goodD) parts.push(`<path class="trace" clip-path="url(#${spec.id}-clip)" style="stroke:${t.color}${dash}" d="${goodD}"/>`);
    if (lowD) parts.push(`<path class="trace low" clip-path="url(#${spec.id}-clip)" style="stroke:${GREY}${dash}" d="${lowD}"/>`);
  }
  parts.push(frame(box));
  const items = spec.traces.map((t) => ({ mark: `<line class="trace" style="stroke:${t.color}${t.dashed ? ';stroke-dasharray:5 3' : ''}" x1="0" x2="13" y1="0" y2="0"/>`, label: t.label }));
  if (spec.traces.some((t) => t.points.some((p) => p.low))) items.push({ mark: `<line class="trace" style="stroke:${GREY}" x1="0" x2="13" y1="0" y2="0"/>`, label: 'low quality (greyed)' });
  parts.push(legend(items));
  parts.push('</svg>');
  return parts.join('');
}

function figure(title: string, caption: string, svg: string): string {
  return `<figure class="chart-figure"><figcaption><strong>${esc(title)}.</strong> ${esc(caption)}</figcaption>${svg}</figure>`;
}

const timeTraces = (series: TimePoint[], label: string): Trace[] => [{ label, color: COLORS[0], points: series.map((p) => ({ x: p.ms, y: p.value })) }];

function timeCharts(impulse: ImpulseResponseOutput, roomLabel: string): string[] {
  const span = impulseSpanMs(impulse);
  // The first 100 ms (where the speaker and early reflections are) at full detail; the whole IR in the ETC.
  const early: [number, number] = [span[0], Math.min(span[1], 100)];
  const ir = impulseSeries(impulse, early[0], early[1], 2400);
  const etc = etcSeries(impulse, span[0], span[1], 2400);
  const stepSpan = stepSpanMs(impulse);
  const step = stepSeries(impulse, stepSpan[0], stepSpan[1], 2400);
  const irY = niceScale(Math.min(...ir.map((p) => p.value)), Math.max(...ir.map((p) => p.value)), 6, 0.1);
  const stepY = niceScale(Math.min(...step.map((p) => p.value)), Math.max(...step.map((p) => p.value)), 6, 0.1);
  const irCaption = `${roomLabel}. ${impulseMethodText(impulse)}; time 0 is the measured arrival (the latency), 1 is the peak. The first ${num(early[1], 0)} ms of ${num(span[1], 0)} ms stored.`;
  return [
    figure('Impulse response', irCaption, plot({ id: 'chart-ir', label: `Impulse response, linear, ${roomLabel}`, traces: timeTraces(ir, 'impulse response'), log: false, xDomain: early, xTitle: 'Time re the arrival (ms)', yTitle: 'Amplitude (re peak)', y: irY })),
    figure(
      'Energy-time curve (ETC)',
      `${roomLabel}. The envelope in dB re its peak (maximum over each ${num(impulse.etc.stepMs, 2)} ms); noise floor ${num(impulse.noiseFloorDb, 0)} dB re the peak.`,
      plot({ id: 'chart-etc', label: `Energy-time curve in dB, ${roomLabel}`, traces: timeTraces(etc, 'ETC'), log: false, xDomain: span, xTitle: 'Time re the arrival (ms)', yTitle: 'Level (dB re peak)', y: decibelScale(-80, 0) }),
    ),
    figure(
      'Step response',
      `${roomLabel}. The running sum of the impulse response over its first ${num(stepSpan[1], 0)} ms, 1 = its largest value.`,
      plot({ id: 'chart-step', label: `Step response, ${roomLabel}`, traces: timeTraces(step, 'step response'), log: false, xDomain: stepSpan, xTitle: 'Time re the arrival (ms)', yTitle: 'Step (re largest)', y: stepY }),
    ),
  ];
}

function frequencyCharts(fr: FrequencyResponseOutput, windowId: ResponseWindowId, nyquist: number): string[] {
  const curve = windowCurve(fr, windowId) ?? windowCurve(fr, 'room');
  if (!curve) return [];
  const top = Math.max(40, nyquist);
  const points = curve.points.filter((p) => p.hz >= 20 && p.hz <= top);
  if (points.length < 2) return [];
  const ref = fr.referenceLevelDb ?? 0;
  const isLow = (p: { hz: number; lowQuality?: boolean }): boolean => !!p.lowQuality || (curve.lowestValidHz !== null && p.hz < curve.lowestValidHz);
  const mag = points.map((p) => ({ x: p.hz, y: p.db - ref, low: isLow(p) }));
  const goodDb = mag.filter((p) => !p.low).map((p) => p.y);
  const dbs = goodDb.length > 0 ? goodDb : mag.map((p) => p.y);
  const yMag = decibelScale(Math.min(...dbs), Math.max(...dbs));
  const below = curve.lowestValidHz !== null ? ` Below ${formatHz(curve.lowestValidHz)} Hz the gate is too short for the response to be valid: greyed.` : '';
  const smoothing = windowId === 'fdw' ? 'no further smoothing' : fr.smoothing === 0 ? 'unsmoothed (1/48-octave bands)' : `1/${fr.smoothing}-octave smoothing`;
  const out = [
    figure(
      `Magnitude, ${curve.description}`,
      `${smoothing}; ${fr.referenceLevelDb === null ? 'magnitude is the path gain' : `0 dB is the mean path gain over 500 Hz–2 kHz (${num(fr.referenceLevelDb, 1)} dB)`}. Points whose quality figure is low are greyed.${below}`,
      plot({ id: 'chart-window-magnitude', label: `Magnitude, ${curve.description}`, traces: [{ label: 'magnitude', color: COLORS[0], points: mag }], log: true, xDomain: [20, top], xTitle: 'Frequency (Hz)', yTitle: 'Level (dB)', y: yMag, shadeBelow: curve.lowestValidHz }),
    ),
    figure(
      `Phase (latency removed), ${curve.description}`,
      `The excess phase beyond the measured arrival, wrapped to ±180°.${below}`,
      plot({
        id: 'chart-window-phase',
        label: `Phase with the latency removed, ${curve.description}`,
        traces: [{ label: 'phase', color: COLORS[1], points: points.map((p) => ({ x: p.hz, y: wrapPhase(p.phaseDeg), low: isLow(p) })) }],
        log: true,
        xDomain: [20, top],
        xTitle: 'Frequency (Hz)',
        yTitle: 'Phase (°)',
        y: { lo: -180, hi: 180, ticks: [-180, -90, 0, 90, 180] },
        shadeBelow: curve.lowestValidHz,
      }),
    ),
  ];
  const dist = fr.distortion ?? [];
  if (dist.length > 1) {
    const thd = dist.map((p) => ({ x: p.hz, y: thdDb(p.thdPercent) ?? Number.NaN }));
    const h2 = dist.filter((p) => p.h2Db !== null).map((p) => ({ x: p.hz, y: p.h2Db as number }));
    const h3 = dist.filter((p) => p.h3Db !== null).map((p) => ({ x: p.hz, y: p.h3Db as number }));
    const all = [...thd, ...h2, ...h3].map((p) => p.y).filter(Number.isFinite);
    out.push(
      figure(
        'Harmonic distortion',
        'H2, H3 and THD in dB re the fundamental, against the fundamental frequency, from the sweep\'s harmonic impulse responses (each under a window of the linear IR\'s length, 1/6-octave power average). −40 dB is 1 %.',
        plot({
          id: 'chart-distortion',
          label: 'Harmonic distortion: H2, H3 and THD re the fundamental',
          traces: [
            { label: 'THD', color: COLORS[0], points: thd },
            { label: 'H2', color: COLORS[1], points: h2 },
            { label: 'H3', color: COLORS[2], dashed: true, points: h3 },
          ],
          log: true,
          xDomain: [20, top],
          xTitle: 'Fundamental frequency (Hz)',
          yTitle: 'Level (dB re fundamental)',
          y: decibelScale(Math.min(...all), Math.max(...all)),
        }),
      ),
    );
  }
  return out;
}

function decayTable(fr: FrequencyResponseOutput): string {
  const bands = fr.decay ?? [];
  const absent = decayAbsentNote(fr);
  if (absent !== null) return `<h3>Decay times per octave (the room)</h3><p class="note">${esc(absent)}</p>`;
  if (bands.length === 0) return '';
  const s = (v: number | null): string => (v === null ? '—' : `${num(v, 2)} s`);
  const rows = bands.map((b) => `<tr><th scope="row">${formatHz(b.hz)} Hz</th><td class="num">${s(b.edtS)}</td><td class="num">${s(b.t20S)}</td><td class="num">${s(b.t30S)}</td><td class="num">${num(b.dynamicRangeDb, 0)} dB</td></tr>`).join('');
  return (
    '<h3>Decay times per octave (the room)</h3>' +
    '<table class="decay-times"><caption>EDT, T20 and T30 from the Schroeder integral of each octave band of the impulse response (ISO 3382-1), extrapolated to 60 dB of decay; a dash where the band\'s dynamic range is too small for the figure.</caption>' +
    `<thead><tr><th scope="col">Octave</th><th scope="col" class="num">EDT</th><th scope="col" class="num">T20</th><th scope="col" class="num">T30</th><th scope="col" class="num">Dynamic range</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

/** The section; empty for reports without the engine's impulse response. */
export function impulseResponseSection(report: Report, windowId: ResponseWindowId = 'room'): string {
  const fr = report.analysis.status === 'ok' ? report.analysis.frequencyResponse : null;
  if (!fr?.impulse) return '';
  const nyquist = (report.analysis.stimulus?.sampleRate ?? report.signal.sampleRate) / 2;
  const roomLabel = windowDescription(fr, 'room');
  const shown = windowCurve(fr, windowId) ? windowId : 'room';
  return [
    '<section class="impulse-response"><h2>Impulse response, phase and room</h2>',
    `<p class="note">Response window shown: ${esc(windowDescription(fr, shown))}.</p>`,
    ...frequencyCharts(fr, shown, nyquist),
    ...timeCharts(fr.impulse, roomLabel),
    decayTable(fr),
    '</section>',
  ].join('\n');
}

import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../analysis/analyze-capture';
import { createCustomClaim, findClaim, formatExpectation, loadClaimsCatalogue, type Claim } from '../../claims/claims-catalogue';
import { generateClickTrain } from '../../stimulus/click-train';
import { zoomForAnalysis } from '../../analysis/correlation-zoom';
import { generatePinkNoise } from '../../stimulus/pink-noise';
import { confidentLatencies, latencyHistogram, stepDecimals } from '../chart-math';
import { renderReportHtml } from './report-html';
import { MAX_EVENT_ROWS } from './sections';
import { escapeHtml } from './text';
import { createReport, parseReport, type Report, type ReportInput } from '../report-schema';
import { describeStimulus } from '../../analysis/stimulus-layout';
import { addNoiseAtSnr, delaySignal, renderClickCapture, whiteBackground } from '../../simulation/synthetic-path';
import { judgeAnalysis, resultOf } from '../../claims/judge';

const RATE = 48000;
const DELAY_MS = 41.25;
const BASELINE_MS = 6.5;

function claim(id: string): Claim {
  const c = findClaim(id);
  if (!c) throw new Error(`no claim ${id}`);
  return c;
}

function settings(overrides: Partial<Report['settings']> = {}): Report['settings'] {
  return {
    mode: 'single', inputDevice: { label: 'UMIK-1' }, outputDevice: { label: 'JBL Flip 6 (Bluetooth)' }, setupDescription: 'JBL Flip 6 over Bluetooth from an Echo Studio',
    claimId: null, claim: null, baselineMs: null, videoLatencyMs: 0, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null,
    ...overrides,
  };
}

function input(analysis: ReportInput['analysis'], overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    id: 'report-html-0001', title: 'Flip 6 in the living room', createdAt: '2026-03-01T12:34:56.789Z', source: 'cli', settings: settings(),
    signal: { kind: 'pink', sampleRate: RATE, durationS: 3, levelDbfs: -20, seed: 2, referenceFile: 'stimulus.wav', captureFile: 'capture.wav' },
    analysis, ...overrides,
  };
}

/** Every occurrence count of `needle` in `text`. */
const count = (text: string, needle: string | RegExp): number => (typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(new RegExp(needle.source, `${needle.flags.replace('g', '')}g`)) ?? []).length);

/** Nothing in the document can load anything: no script, no src/href, no url() but fragment references. */
function expectSelfContained(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).not.toMatch(/<script/i);
  // Attribute names in every tag (quoted values, which are escaped, removed first).
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\s(?:src|href|xlink:href|srcset|action|formaction|poster|data|on\w+)\s*=/i);
  expect(html).not.toMatch(/https?:\/\//i);
  expect(html).not.toMatch(/@import/i);
  expect(html).not.toMatch(/<(?:link|img|iframe|object|embed|image|use|foreignObject)\b/i);
  for (const m of html.matchAll(/url\(([^)]*)\)/g)) expect(m[1].startsWith('#'), m[0]).toBe(true);
  expect(count(html, '<style>')).toBe(1);
  expect(count(html, '</style>')).toBe(1);
  expect(html).toContain("default-src 'none'");
}

let pinkReport: Report;
let clickReport: Report;
let refusedReport: Report;

beforeAll(() => {
  const delayFrames = (DELAY_MS / 1000) * RATE;
  // Pink noise through a pure delay: latency, a flat frequency response, a verdict and lip sync.
  const pink = generatePinkNoise({ sampleRate: RATE, durationS: 3, seed: 2 }).samples;
  const pinkLength = pink.length + Math.round(0.2 * RATE);
  const pinkCapture = addNoiseAtSnr(delaySignal(pink, delayFrames, pinkLength), whiteBackground(pinkLength, 5), 35);
  const flip = claim('speaker-jbl-flip-6');
  const pinkAnalysis = judgeAnalysis(analyzeCapture(pink, pinkCapture, RATE, { baselineMs: BASELINE_MS }), { claim: flip, videoLatencyMs: 10 });
  expect(pinkAnalysis.status).toBe('ok');
  pinkReport = createReport(input(pinkAnalysis, { settings: settings({ claimId: flip.id, claim: flip, baselineMs: BASELINE_MS, videoLatencyMs: 10 }) }));

  // A click train with two dropouts: too few clicks for a frequency response.
  const train = generateClickTrain({ sampleRate: RATE, durationS: 4, seed: 1 });
  const length = train.samples.length + Math.round(0.3 * RATE);
  const clean = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: length, delayFrames, dropouts: new Set([2, 5]) }).capture;
  const clickCapture = addNoiseAtSnr(clean, whiteBackground(length, 6), 30);
  const clickAnalysis = judgeAnalysis(analyzeCapture(train.samples, clickCapture, RATE), { claim: claim('method-aux-bluetooth-transmitter') });
  expect(clickAnalysis.status).toBe('ok');
  const layout = describeStimulus(train.samples, RATE);
  if (!('events' in layout)) throw new Error('no click layout');
  const zoom = zoomForAnalysis(train.samples, clickCapture, RATE, clickAnalysis, layout.events);
  expect(zoom).not.toBeNull();
  clickReport = createReport(
    input(clickAnalysis, {
      correlationZoom: zoom,
      title: 'Aux transmitter',
      settings: settings({ claimId: 'method-aux-bluetooth-transmitter', claim: claim('method-aux-bluetooth-transmitter') }),
      signal: { kind: 'click', sampleRate: RATE, durationS: 4, levelDbfs: -6, seed: 1, referenceFile: 'click.wav', captureFile: 'cap.wav' },
    }),
  );

  // A silent capture is refused.
  const refused = judgeAnalysis(analyzeCapture(train.samples, new Float32Array(length), RATE), { claim: flip });
  expect(refused.status).toBe('refused');
  refusedReport = createReport(input(refused, { title: 'Nothing recorded', settings: settings({ claimId: flip.id, claim: flip }) }));
});

describe('renderReportHtml: a measurement with a verdict and a frequency response', () => {
  let html: string;
  beforeAll(() => {
    html = renderReportHtml(pinkReport, { generatedBy: 'latency-lab test' });
  });

  it('is one self-contained document', () => {
    expectSelfContained(html);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<title>Flip 6 in the living room · Latency Lab report</title>');
  });

  it('shows the title, date, version, setup, devices, signal and settings', () => {
    expect(html).toContain('<h1>Flip 6 in the living room</h1>');
    expect(html).toContain('2026-03-01 12:34:56 UTC');
    expect(html).toContain(`latency-lab ${pinkReport.software.version}`);
    expect(html).toContain('JBL Flip 6 over Bluetooth from an Echo Studio');
    expect(html).toContain('UMIK-1');
    expect(html).toContain('JBL Flip 6 (Bluetooth)');
    expect(html).toContain('Pink noise');
    expect(html).toContain('48000 Hz');
    expect(html).toContain('-20.0 dBFS');
    expect(html).toContain('stimulus.wav');
    expect(html).toContain('capture.wav');
    expect(html).toContain('6.500 ms (the computer');
    expect(html).toContain('GCC-PHAT');
    expect(html).toContain('1/12 octave');
    expect(html).toContain('latency-lab test');
  });

  it('shows the headline figures as formatted numbers', () => {
    const a = pinkReport.analysis;
    const l = a.latency;
    if (!l || !a.added || a.confidence === undefined || !a.drift || a.snrDb == null || a.noiseFloorDbfs == null) throw new Error('incomplete analysis');
    expect(Math.abs(l.medianMs - DELAY_MS)).toBeLessThan(0.01);
    // With a baseline the added latency is the headline, the total beside it.
    expect(html).toContain(`Median added latency</div><div class="card-value big"><span class="headline-value">${a.added.medianMs.toFixed(3)}</span> ms`);
    expect(html).toContain(`Total latency (median)</div><div class="card-value big">${l.medianMs.toFixed(3)} ms`);
    expect(html).toContain(`± ${l.stdMs.toFixed(3)} ms`);
    if (!l.medianCi95Ms) throw new Error('no CI');
    expect(html).toContain(`${l.medianCi95Ms[0].toFixed(3)} – ${l.medianCi95Ms[1].toFixed(3)} ms`);
    expect(html).toContain(`>${a.confidence.toFixed(2)}<`);
    expect(html).toContain(`${l.count} / ${l.eventsTotal}`);
    expect(html).toContain(`${Math.abs(a.drift.ppm).toFixed(2)}`);
    expect(html).toContain(`${a.snrDb.toFixed(1)} dB`);
    expect(html).toContain(`${a.noiseFloorDbfs.toFixed(1)} dBFS`);
    expect(html).not.toContain('-0.000');
    expect(html).not.toMatch(/NaN|Infinity|undefined|\[object /);
  });

  it('shows the verdict with the claim, its expectation and its source', () => {
    const v = pinkReport.analysis.verdict?.claim;
    if (!v) throw new Error('no verdict');
    const flip = claim('speaker-jbl-flip-6');
    const article = loadClaimsCatalogue().sources.find((s) => s.file === flip.source.file);
    if (!article) throw new Error('no article');
    expect(html).toContain('Verdict against the claim');
    expect(html).toContain(escapeHtml(formatExpectation(flip.expectation)));
    expect(html).toContain(escapeHtml(article.title));
    expect(html).toContain(flip.source.file);
    expect(html).toContain(escapeHtml(flip.source.location));
    // The quoted table row as a table, the claim's cell marked.
    expect(html).toContain('<table class="claim-row"><thead><tr><th scope="col">Speaker</th><th scope="col">Max Latency (ms)</th>');
    expect(html).toContain('<td>JBL Flip 6</td><td><mark>156</mark></td><td>SBC, AAC</td>');
    expect(html).toContain('Compared: the measured <strong>maximum</strong> of the added latency, because the claim states a maximum.');
    expect(html).toContain(escapeHtml(v.summary));
    expect(html).toContain({ better: 'Better than the claim', within: 'Within the claim', worse: 'Worse than the claim', inconclusive: 'Inconclusive: the path alternates' }[v.outcome]);
    for (const note of flip.notes ?? []) expect(html).toContain(escapeHtml(note));
    expect(html).toContain('from the added latency');
  });

  it('has the lip-sync table with every standard, its window, pass/fail and margin', () => {
    const lip = pinkReport.analysis.lipSync;
    if (!lip) throw new Error('no lip sync');
    expect(html).toContain('Lip sync');
    for (const v of lip.verdicts) {
      expect(html).toContain(escapeHtml(v.standardName));
      const margin = `${v.marginMs > 0 ? '+' : ''}${v.marginMs.toFixed(1)}`;
      expect(html).toContain(`<td class="num">${margin}</td>`);
    }
    expect(html).toContain('45 / 125');
    expect(html).toContain('40 / 60');
    expect(html).toContain('15 / 45');
  });

  it('draws the charts as accessible inline SVG; a pure delay has no spread to draw, so the histogram says how closely the events agree', () => {
    // No correlation peak: this report was created without one.
    expect(pinkReport.correlationZoom).toBeNull();
    // The latency and frequency charts; the impulse-response section (impulse-sections.test.ts) follows them.
    const charts = html.split('<section class="impulse-response">')[0];
    expect(count(charts, '<svg')).toBe(2);
    expect(count(charts, 'role="img"')).toBe(2);
    expect(html).toMatch(/<p class="narrow-spread">All \d+ events within 1 µs: from \d+\.\d{4} to \d+\.\d{4} ms\.<\/p>/);
    for (const id of ['chart-latency', 'chart-frequency']) {
      expect(html).toContain(`<svg id="${id}"`);
      expect(html).toContain(`<title id="${id}-title">`);
    }
    expect(html).toContain('Frequency (Hz)');
    for (const tick of ['>20<', '>100<', '>1k<', '>10k<', '>20k<']) expect(html).toContain(tick);
    expect(html).toContain('Coherence γ²');
    expect(html).toContain('Latency (ms)');
    expect(html).toContain('Time in the stimulus (s)');
  });

  it('draws the histogram the app draws: the bins of chart-math, one bar per non-empty bin', () => {
    const base = pinkReport.analysis.latency;
    if (!base) throw new Error('no latency');
    // Spread the events over a few ms, as a real path does.
    const events = base.events.map((e, i) => (e.latencyMs === null ? e : { ...e, latencyMs: e.latencyMs + ((i * 7) % 11) * 0.3 }));
    const spread: Report = { ...pinkReport, analysis: { ...pinkReport.analysis, latency: { ...base, events } } };
    const html = renderReportHtml(spread);
    const l = spread.analysis.latency;
    if (!l) throw new Error('no latency');
    const { widthMs, bins } = latencyHistogram(confidentLatencies(l.events));
    const svg = html.slice(html.indexOf('<svg id="chart-histogram"'), html.indexOf('</svg>', html.indexOf('<svg id="chart-histogram"')));
    expect(svg).toContain(`events per ${widthMs.toFixed(stepDecimals(widthMs))} ms bin`);
    const bars = svg.match(/class="bar" d="([^"]*)"/)?.[1] ?? '';
    expect(count(bars, 'Z')).toBe(bins.filter((b) => b.count > 0).length);
  });

  it('has the per-event table, warnings, statistics and the method footer', () => {
    const l = pinkReport.analysis.latency;
    if (!l) throw new Error('no latency');
    const table = html.slice(html.indexOf('<table class="data events">'), html.indexOf('</table>', html.indexOf('<table class="data events">')));
    expect(count(table, '<tr')).toBe(l.events.length + 1);
    expect(table).toContain(`<td>${(l.events[0].latencyMs as number).toFixed(4)}</td>`);
    expect(html).toContain('Warnings');
    expect(html).toContain('How these figures are computed');
    expect(html).toContain('How each figure is computed');
    expect(html).toContain('95 % CI of the median');
  });

  it('prints in light colours and respects dark mode on screen only', () => {
    expect(html).toContain('@media print');
    expect(html).toContain('@media screen and (prefers-color-scheme:dark)');
    expect(html).toMatch(/break-inside:avoid/);
  });

  it('is deterministic', () => {
    expect(renderReportHtml(pinkReport, { generatedBy: 'latency-lab test' })).toBe(html);
  });
});

describe('renderReportHtml: other reports', () => {
  it('a click train too short for a response: latency charts and the correlation peak, the reason there is no frequency response, dropouts listed', () => {
    const html = renderReportHtml(clickReport);
    expectSelfContained(html);
    const l = clickReport.analysis.latency;
    const zoom = clickReport.correlationZoom;
    if (!l || !zoom) throw new Error('no latency or zoom');
    expect(l.dropouts).toBe(2);
    // Latency over time, the correlation peak; the histogram of a pure delay is a sentence.
    expect(count(html, '<svg')).toBe(2);
    expect(html).toContain('class="narrow-spread"');
    expect(html).not.toContain('chart-frequency');
    // The correlation peak: the stored lags, the peak at ±1 and a marker at the event's latency.
    const svg = html.slice(html.indexOf('<svg id="chart-correlation"'), html.indexOf('</svg>', html.indexOf('<svg id="chart-correlation"')));
    expect(svg).toContain(`Correlation of event ${zoom.eventIndex + 1} over lags ${zoom.lagMs[0].toFixed(2)} to ${zoom.lagMs[zoom.lagMs.length - 1].toFixed(2)} ms`);
    expect(svg).toContain(`measured latency ${(l.events[zoom.eventIndex].latencyMs as number).toFixed(3)} ms`);
    expect(svg).toContain('Lag (ms)');
    expect((svg.match(/class="trace" d="([^"]*)"/)?.[1].match(/[ML]/g) ?? []).length).toBe(zoom.lagMs.length);
    expect(html).toContain('the confident event closest to the median');
    // 7 clicks, 2 dropped out: fewer than the response averages.
    expect(html).toMatch(/<p class="note">No frequency response: a click train needs at least 10 clicks with a measured latency in the steady state for a response \(with fewer, the neighbouring clicks stand in the impulse response within 20 dB of the arrival\); this one has 5\. Use a longer run[^<]*<\/p>/);
    // The warning that says so has its own code (no response measured), not LOW_COHERENCE.
    expect(html).toMatch(/<li><code>NO_FREQUENCY_RESPONSE<\/code> No frequency response: a click train needs/);
    expect(html).not.toContain('LOW_COHERENCE');
    expect(html).toContain(`${l.medianMs.toFixed(3)}</span> ms`);
    expect(html).toContain('class="mark-dropout"');
    expect(count(html, 'class="st-dropout"')).toBe(2);
    expect(html).toContain('Click train');
    // The row whose cells the article runs together, split into its columns; the claim's own cell marked.
    const aux = claim('method-aux-bluetooth-transmitter');
    expect(html).not.toContain(escapeHtml(aux.source.quote));
    expect(html).toContain(`<td>${escapeHtml(aux.name)}</td>`);
    expect(html).toContain(`<td><mark>${escapeHtml(aux.claimText)}</mark></td>`);
    expect(html).toContain('<th scope="col">Connection method</th>');
    // Contradictions citing this claim's own row are shown with it.
    expect(html).toContain(`latency-lab ${clickReport.software.version}`);
  });

  it('a refused analysis: a clear "No result" with code, message and advice, and no latency anywhere', () => {
    const html = renderReportHtml(refusedReport);
    expectSelfContained(html);
    const e = refusedReport.analysis.error;
    if (!e) throw new Error('no refusal');
    expect(html).toContain('No result');
    expect(html).toContain(e.code);
    expect(html).toContain(escapeHtml(e.message));
    expect(html).toContain(escapeHtml(e.advice));
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('headline-value');
    expect(html).not.toContain('Median latency');
    expect(html).not.toContain('h-stats');
    expect(html).not.toContain('h-lipsync');
    expect(html).not.toContain('class="data events"');
    expect(html).toContain('No verdict');
    // The only millisecond figures are settings (video latency, search range), none in the result block.
    const result = html.slice(html.indexOf('id="h-result"'), html.indexOf('</section>', html.indexOf('id="h-result"')));
    expect(result).not.toMatch(/\d ms/);
  });

  it('escapes every string that comes from the report', () => {
    const evil = `<script>alert("x")</script> & 'q' </style><img src=x onerror=alert(1)>`;
    const escaped = escapeHtml(evil);
    expect(escaped).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;/style&gt;&lt;img src=x onerror=alert(1)&gt;');
    const custom = createCustomClaim({ type: 'up-to', name: '<script>claim</script> "A&B"', description: `</style><script>desc()</script> 'x'`, maxMs: 500 });
    if (!custom.ok) throw new Error(custom.errors.join('; '));
    const base = JSON.parse(JSON.stringify(pinkReport)) as Report;
    base.analysis.verdict = { basis: 'added', claim: { ...(base.analysis.verdict as NonNullable<Report['analysis']['verdict']>).claim, claimId: custom.claim.id, claimName: custom.claim.name, summary: evil } };
    base.analysis.warnings = [{ code: 'CLIPPING', message: evil }];
    const report = parseReport({
      ...base,
      title: evil.slice(0, 200),
      notes: `${evil}\nsecond line ${evil}`,
      settings: {
        ...base.settings, setupDescription: evil, claim: custom.claim, claimId: custom.claim.id, micCalibrationFile: evil,
        inputDevice: { label: evil }, outputDevice: { id: evil, label: evil },
      },
      signal: { ...base.signal, referenceFile: evil, captureFile: evil },
    });
    const html = renderReportHtml(report, { generatedBy: evil });
    expectSelfContained(html);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert("x")');
    expect(count(html, escaped)).toBeGreaterThanOrEqual(10);
    expect(html).toContain('&lt;script&gt;claim&lt;/script&gt; &quot;A&amp;B&quot;');
    expect(html).toContain('&lt;/style&gt;&lt;script&gt;desc()&lt;/script&gt; &#39;x&#39;');
    // Attribute values are escaped too.
    expect(html).toContain(`<meta name="generator" content="${escaped}">`);
  });

  it('escapeHtml replaces control characters HTML does not allow', () => {
    expect(escapeHtml('a\u0000b\u0007c\td\ne\rf\u007f')).toBe('a\uFFFDb\uFFFDc\td\ne\rf\uFFFD');
  });

  /** The click report with `n` synthetic events: drifting, a step, dropouts and unclear outliers. */
  function withEvents(n: number): Report {
    const base = JSON.parse(JSON.stringify(clickReport)) as Report;
    const latency = base.analysis.latency as NonNullable<Report['analysis']['latency']>;
    latency.events = Array.from({ length: n }, (_, i) => {
      const status = i % 101 === 7 ? 'dropout' : i % 53 === 3 ? 'low-confidence' : 'ok';
      return {
        timeS: 0.25 + i * 0.5,
        latencyMs: status === 'dropout' ? null : 180 + 4 * Math.sin(i / 200) + (i % 7) * 0.1 + (status === 'low-confidence' ? 90 : 0),
        confidence: status === 'ok' ? 0.97 : status === 'low-confidence' ? 0.3 : 0,
        status,
        peakToNoiseDb: status === 'dropout' ? null : 24.5,
      };
    });
    latency.eventsTotal = n;
    latency.dropouts = latency.events.filter((e) => e.status === 'dropout').length;
    latency.lowConfidence = latency.events.filter((e) => e.status === 'low-confidence').length;
    latency.count = n - latency.dropouts - latency.lowConfidence;
    base.analysis.stimulus = { ...(base.analysis.stimulus as NonNullable<Report['analysis']['stimulus']>), events: n, durationS: 0.5 * n + 1 };
    return parseReport(base);
  }

  it('thousands of events: the table is capped, the chart is binned, the document stays small', () => {
    const n = 3600;
    const html = renderReportHtml(withEvents(n));
    expectSelfContained(html);
    expect(html.length).toBeLessThan(2 * 1024 * 1024);
    const table = html.slice(html.indexOf('<table class="data events">'));
    expect(count(table.slice(0, table.indexOf('</table>')), '<tr')).toBe(MAX_EVENT_ROWS + 1);
    expect(html).toContain(`The first ${MAX_EVENT_ROWS} of ${n} events are listed`);
    expect(html).toContain('the range of the confident events');
    // The unclear events 90 ms off are far outside the confident range: drawn at the edge.
    expect(html).toContain('off scale');
    const chart = html.slice(html.indexOf('<svg id="chart-latency"'), html.indexOf('</svg>', html.indexOf('<svg id="chart-latency"')));
    expect(chart.length).toBeLessThan(200_000);
  });

  it('the most events a report may hold (200 000) render into the same size (how fast: npm run bench)', () => {
    const report = withEvents(200_000);
    const html = renderReportHtml(report);
    expect(html.length).toBeLessThan(2 * 1024 * 1024);
    expect(html).toContain(`The first ${MAX_EVENT_ROWS} of 200000 events are listed`);
  });

  it('an untitled report with an empty setup still reads well', () => {
    const report = parseReport({ ...JSON.parse(JSON.stringify(clickReport)), title: '', settings: { ...clickReport.settings, setupDescription: '', inputDevice: null, outputDevice: null } });
    const html = renderReportHtml(report);
    expect(html).toContain('<h1>Untitled measurement</h1>');
    expect(html).not.toContain('class="setup-line"');
  });
});

describe('renderReportHtml: time-varying paths, timing reference, baseline caveats (issue 9)', () => {
  const withLatency = (report: Report, extra: Partial<NonNullable<Report['analysis']['latency']>>): Report => ({
    ...report,
    analysis: { ...resultOf(report.analysis), latency: { ...resultOf(report.analysis).latency, ...extra } },
  });

  it('a start-up: shown apart in the headline, shaded on the latency chart, and the statistics are the steady state', () => {
    const l = clickReport.analysis.latency;
    if (!l) throw new Error('no latency');
    const html = renderReportHtml(withLatency(clickReport, { startup: { untilS: 1.5, medianMs: 60, maxMs: 72.5 }, steadyState: { medianMs: l.medianMs, fromS: 1.75, count: l.count } }));
    expect(html).toContain('<strong>Start-up:</strong> the latency settled after 1.5 s; until then its median was 60.000 ms, up to 72.500 ms.');
    expect(html).toContain('Median latency of the steady state (from 1.8 s');
    expect(html).toMatch(/<rect class="startup-area" x="64" y="30" width="[\d.]+"/);
    expect(html).toContain('start-up, until 1.5 s');
    expect(html).toContain('Of the steady state: the confident events from 1.8 s');
  });

  it('the frequency response of a run with a start-up is the steady state\'s, and says so', () => {
    const l = pinkReport.analysis.latency;
    if (!l) throw new Error('no latency');
    const html = renderReportHtml(withLatency(pinkReport, { startup: { untilS: 1, medianMs: 30, maxMs: 35 }, steadyState: { medianMs: l.medianMs, fromS: 1.25, count: l.count } }));
    expect(html).toContain('Measured over the steady state, from 1.3 s: the start-up, while the latency still changed, is left out.');
  });

  it('an alternating path: the modes and their shares', () => {
    const html = renderReportHtml(withLatency(clickReport, { modes: [{ medianMs: 120, share: 0.6, count: 12 }, { medianMs: 200, share: 0.4, count: 8 }] }));
    expect(html).toContain('<strong>The latency alternates between 2 values</strong>');
    expect(html).toContain('<li>120.000 ms: 60 % of the events (12)</li><li>200.000 ms: 40 % of the events (8)</li>');
  });

  it('a timing reference: named as such, no baseline needed', () => {
    const html = renderReportHtml({ ...clickReport, settings: { ...clickReport.settings, mode: 'dual-channel' } });
    expect(html).toContain('Median latency after the timing reference');
    expect(html).toContain('Timing reference (dual channel');
    expect(html).toContain('none needed (the timing reference cancels');
    expect(html).toContain('of the latency after the timing reference, because the claim states');
  });

  it('baseline caveats from the notes are shown with the added latency', () => {
    const html = renderReportHtml({ ...pinkReport, notes: 'Baseline caveat: It was measured in another audio session.' });
    expect(html).toContain('The baseline may not apply to this measurement:</strong></p><ul><li>It was measured in another audio session.</li></ul>');
  });

  it('no measurable noise: no SNR figure', () => {
    const html = renderReportHtml({ ...clickReport, analysis: { ...resultOf(clickReport.analysis), snrDb: null, noiseFloorDbfs: null, warnings: [{ code: 'NO_NOISE_FLOOR', message: 'none' }] } });
    expect(html).toContain('no measurable noise');
    expect(html).toContain('none measurable');
  });

  it('a refusal of an app measurement gives the advice in the app’s terms', () => {
    const app: Report = { ...refusedReport, software: { ...refusedReport.software, source: 'app' }, analysis: { status: 'refused', warnings: refusedReport.analysis.warnings, error: { code: 'NO_STIMULUS', message: 'm', advice: 'the reference file is the stimulus' } } };
    const html = renderReportHtml(app);
    expect(html).not.toContain('reference file is the stimulus');
    expect(html).toContain('the output chosen in Setup');
  });
});

describe('renderReportHtml: polarity', () => {
  const card = (value: string, sub: string): string => `<div class="card-label">Polarity</div><div class="card-value">${value}</div><div class="card-sub">${sub}</div>`;
  const unstable = { code: 'POLARITY_UNSTABLE' as const, message: 'The events disagree on the sign of the impulse response at the arrival, so no polarity is reported.' };
  const caption = (html: string): string => html.slice(html.indexOf('<strong>Correlation peak.</strong>'), html.indexOf('<svg id="chart-correlation"'));

  it('a stable polarity is named, with what it rests on', () => {
    expect(pinkReport.analysis.polarity).toBe('normal');
    expect(renderReportHtml(pinkReport)).toContain(card('normal', 'the impulse response is positive at the arrival'));
    const inverted = renderReportHtml({ ...clickReport, analysis: { ...resultOf(clickReport.analysis), polarity: 'inverted', polarityInverted: true } });
    expect(inverted).toContain(card('inverted', 'the impulse response is negative at the arrival'));
  });

  it('an unstable polarity reads "not determined", never "normal", and the correlation peak says its sign does not tell it', () => {
    const a = resultOf(clickReport.analysis);
    expect(a.polarity).toBe('normal');
    const html = renderReportHtml({ ...clickReport, analysis: { ...a, polarity: 'not-determined', polarityInverted: false, warnings: [...a.warnings, unstable] } });
    expect(html).toContain(card('not determined', 'its sign does not hold; POLARITY_UNSTABLE says why'));
    expect(html).not.toContain('<div class="card-value">normal</div>');
    expect(caption(html)).toMatch(/The polarity was not determined \(the sign of the impulse response at the arrival does not hold: POLARITY_UNSTABLE\), so the peak pointing (up|down) does not tell it either\./);
    expect(caption(renderReportHtml(clickReport))).not.toContain('not determined');
  });

  it('a report saved before the polarity field: not determined when its warnings say POLARITY_UNSTABLE, else from polarityInverted', () => {
    const { polarity: _dropped, ...old } = resultOf(clickReport.analysis);
    void _dropped;
    expect(renderReportHtml(parseReport({ ...clickReport, analysis: { ...old, warnings: [unstable] } }))).toContain(card('not determined', 'its sign does not hold; POLARITY_UNSTABLE says why'));
    expect(renderReportHtml(parseReport({ ...clickReport, analysis: old }))).toContain(card('normal', 'the impulse response is positive at the arrival'));
  });

  it('a refusal has no polarity', () => {
    expect(renderReportHtml(refusedReport)).not.toContain('Polarity');
  });
});

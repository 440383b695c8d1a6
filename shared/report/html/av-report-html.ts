/**
 * An A/V report as one self-contained HTML document: the offset with its uncertainty (never one
 * without the other), the lip-sync verdicts (decisive or not at both ends of the interval), the
 * articles' 50 ms claim, the offset of each event over time as inline SVG, the uncertainty budget,
 * the corrections, the recording, warnings, the per-event table and how the figures are computed
 * — or the refusal with what to do. No script, nothing fetched; every string from the report is
 * escaped (text.ts).
 */
import { LIP_SYNC_STANDARDS } from '../../claims/lip-sync-standards';
import { niceScale, ticksWithin } from '../chart-math';
import { type AvReport, formatOffset } from '../av-report';
import { c, CHART_HEIGHT, CHART_WIDTH, cross, dot, frame, legend, linearScale, type PlotBox, scaleTicks, svgOpen, xAxisLinear, yAxis } from './svg';
import { STYLE } from './style';
import { esc, formatDate, keyValueTable, ms, num, signed } from './text';

export interface AvReportHtmlOptions {
  /** Shown in the footer. Default: the report's software. */
  generatedBy?: string;
}

const MAX_EVENT_ROWS = 2000;

function header(report: AvReport): string {
  const rows: Array<[string, string]> = [
    ['Date', esc(formatDate(report.createdAt))],
    ['Software', `${esc(report.software.name)} ${esc(report.software.version)} (${report.software.source === 'cli' ? 'command line' : 'app'})`],
    ['Report ID', `<code>${esc(report.id)}</code>`],
  ];
  return (
    `<header class="report-header"><p class="kicker">Latency Lab · A/V (lip-sync) report</p>` +
    `<h1>${report.title.trim() === '' ? 'Untitled A/V measurement' : esc(report.title)}</h1>` +
    (report.settings.setupDescription.trim() !== '' ? `<p class="setup-line">${esc(report.settings.setupDescription)}</p>` : '') +
    keyValueTable(rows, 'kv meta') +
    `</header>`
  );
}

const card = (label: string, value: string, sub = '', big = false): string =>
  `<div class="card"><div class="card-label">${label}</div><div class="card-value${big ? ' big' : ''}">${value}</div>${sub ? `<div class="card-sub">${sub}</div>` : ''}</div>`;

function headline(report: AvReport): string {
  const a = report.analysis;
  if (a.status !== 'ok' || !a.av) {
    const e = a.error;
    return (
      `<section class="headline refused" aria-labelledby="h-result"><h2 id="h-result">Result</h2><div class="no-result"><p class="no-result-title">No result</p>` +
      `<p>The analysis refused this recording, so no A/V offset is reported: a number it cannot support would be wrong.</p>` +
      (e ? keyValueTable([['Reason', `<code>${esc(e.code)}</code>`], ['What was found', esc(e.message)], ['What to do', esc(e.advice)]]) : '<p>The report does not say why.</p>') +
      `</div></section>`
    );
  }
  const av = a.av;
  const direction = av.offsetMs > 0 ? 'sound late (lags the picture)' : av.offsetMs < 0 ? 'sound early (leads the picture)' : 'in sync';
  return (
    `<section class="headline" aria-labelledby="h-result"><h2 id="h-result">Result</h2><div class="cards cards-main">` +
    card('A/V offset (median)', `${esc(formatOffset(av.offsetMs))} ± ${num(av.uncertaintyMs, 1)} ms`, `${direction}; the true offset lies within ± ${num(av.uncertaintyMs, 1)} ms (about 95 %)`, true) +
    card('Events', `${av.count} of ${av.eventsPaired}`, `paired flashes and clicks used; spread ${ms(av.stdMs, 1)}`) +
    `</div><div class="cards">` +
    card('Mean', esc(formatOffset(av.meanMs))) +
    card('Range', `${signed(av.minMs, 1)} … ${signed(av.maxMs, 1)} ms`) +
    card('Camera', av.cameraCalibrated ? `calibrated, ${signed(av.cameraOffsetMs, 1)} ms` : 'not calibrated', av.cameraCalibrated ? 'its own A/V offset is subtracted' : '± half a frame is in the uncertainty; its own audio delay is not included') +
    card('Confidence', num(av.confidence, 2)) +
    `</div></section>`
  );
}

function lipSync(report: AvReport): string {
  const lip = report.analysis.lipSync;
  const av = report.analysis.av;
  if (report.analysis.status !== 'ok' || !lip || !av) return '';
  const rows = lip.verdicts.map((v) => {
    const standard = LIP_SYNC_STANDARDS.find((s) => s.id === v.standardId);
    const window = standard ? `${num(standard.maxLeadMs, 0)} / ${num(standard.maxLagMs, 0)}` : '—';
    const result = `${v.pass ? 'Pass' : 'Fail'}${v.decisive ? '' : ' (not decisive)'}`;
    return `<tr class="${v.pass ? 'pass' : 'fail'}"><th scope="row">${esc(v.standardName)}</th><td class="num">${window}</td><td class="num">${signed(v.offsetMs, 1)}</td><td class="result">${result}</td><td>${esc(v.limit)}</td><td class="num">${signed(v.marginMs, 1)}</td></tr>`;
  });
  const claim = lip.claim
    ? `<p><strong>The articles’ claim</strong> (${esc(lip.claim.claimName)}): ${esc(lip.claim.summary)}</p>`
    : '';
  return (
    `<section aria-labelledby="h-lipsync"><h2 id="h-lipsync">Lip sync</h2>` +
    `<p>The offset measured end to end (${esc(formatOffset(av.offsetMs))} ± ${num(av.uncertaintyMs, 1)} ms) against each standard. A verdict is <em>decisive</em> when it is the same at both ends of the interval; ` +
    `${lip.decisive ? 'every verdict here is.' : 'some here are not: the interval crosses a limit, so a tighter measurement (a calibrated camera, slow motion) is needed to decide them.'}</p>` +
    `<table class="data lipsync"><thead><tr><th scope="col">Standard</th><th scope="col" class="num">Window lead / lag (ms)</th><th scope="col" class="num">Offset (ms)</th>` +
    `<th scope="col">Result</th><th scope="col">Nearer limit</th><th scope="col" class="num">Margin (ms)</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    claim +
    `</section>`
  );
}

function eventsChart(report: AvReport): string {
  const av = report.analysis.av;
  if (report.analysis.status !== 'ok' || !av || av.events.length === 0) return '';
  const box: PlotBox = { left: 62, right: CHART_WIDTH - 16, top: 26, bottom: CHART_HEIGHT - 40 };
  const times = av.events.map((e) => e.timeS);
  const offsets = av.events.map((e) => e.offsetMs);
  const tMax = Math.max(...times, 1);
  const yScale = niceScale(Math.min(...offsets, av.offsetMs - av.uncertaintyMs), Math.max(...offsets, av.offsetMs + av.uncertaintyMs), 5, 2);
  const x = linearScale(0, tMax, box.left, box.right);
  const y = linearScale(yScale.lo, yScale.hi, box.bottom, box.top);
  const okPath = av.events.filter((e) => e.status === 'ok').map((e) => dot(x(e.timeS), y(e.offsetMs), 2.6)).join('');
  const outPath = av.events.filter((e) => e.status === 'outlier').map((e) => cross(x(e.timeS), y(e.offsetMs), 3.5)).join('');
  const band = `<rect class="startup-area" x="${box.left}" y="${c(y(av.offsetMs + av.uncertaintyMs))}" width="${box.right - box.left}" height="${c(y(av.offsetMs - av.uncertaintyMs) - y(av.offsetMs + av.uncertaintyMs))}"/>`;
  const median = `<line class="median" x1="${box.left}" x2="${box.right}" y1="${c(y(av.offsetMs))}" y2="${c(y(av.offsetMs))}"/>`;
  const label = `A/V offset of each event over the recording: ${av.count} events, median ${formatOffset(av.offsetMs)} ± ${num(av.uncertaintyMs, 1)} ms`;
  return (
    `<section aria-labelledby="h-events-chart"><h2 id="h-events-chart">Offset per event</h2><figure><figcaption>${esc(label)}. The band is the median ± its uncertainty.</figcaption>` +
    svgOpen('av-events', label) +
    band +
    yAxis(box, scaleTicks(yScale), y, 'A/V offset (ms)') +
    xAxisLinear(box, ticksWithin(0, tMax, 8), x, 'time in the recording (s)') +
    frame(box) +
    median +
    (okPath ? `<path class="pt" d="${okPath}"/>` : '') +
    (outPath ? `<path class="pt-off" d="${outPath}"/>` : '') +
    legend([
      { mark: `<path class="pt" d="${dot(6, 0, 2.6)}"/>`, label: 'event' },
      { mark: `<path class="pt-off" d="${cross(6, 0, 3.5)}"/>`, label: 'outlier (left out)' },
      { mark: `<line class="median" x1="0" x2="12" y1="0" y2="0"/>`, label: 'median' },
    ]) +
    `</svg></figure></section>`
  );
}

function budget(report: AvReport): string {
  const av = report.analysis.av;
  if (report.analysis.status !== 'ok' || !av) return '';
  const b = av.uncertaintyBudget;
  const rows: Array<[string, string]> = [
    ['Spread between events (statistical, 95 %)', ms(b.statisticalMs, 2)],
    ['Rolling-shutter correction', ms(b.rollingShutterMs, 2)],
    ['Timestamp resolution', ms(b.timestampMs, 2)],
    ['Calibration’s own uncertainty', ms(b.calibrationMs, 2)],
    ['Uncalibrated camera (± half a frame)', ms(b.cameraMs, 2)],
    ['Display frame hold (phases never sampled)', ms(b.displayRefreshMs, 2)],
    ['<strong>Total</strong>', `<strong>± ${ms(av.uncertaintyMs, 2)}</strong>`],
  ];
  return (
    `<section aria-labelledby="h-budget"><h2 id="h-budget">Uncertainty budget</h2>` +
    keyValueTable(rows, 'kv stats') +
    `<p class="note">The first four add in quadrature; the camera and display-hold bounds add linearly.</p></section>`
  );
}

function setup(report: AvReport): string {
  const s = report.settings;
  const av = report.analysis.av;
  const rows: Array<[string, string]> = [
    ['Recording', s.source === 'webcam' ? 'recorded with the webcam in the app' : s.videoFile ? esc(s.videoFile) : '—'],
    ['Codec', s.codec ? `<code>${esc(s.codec)}</code>` : '—'],
    ['Speaker to camera', `${num(s.distanceM, 2)} m${av ? ` (travel time ${ms(av.travelMs, 2)} subtracted, 343 m/s)` : ''}`],
    ['Camera offset', s.cameraOffsetMs === null ? 'not calibrated' : `${signed(s.cameraOffsetMs, 2)} ms ± ${num(s.cameraOffsetUncertaintyMs, 2)} ms${s.cameraName ? ` (${esc(s.cameraName)})` : ''}`],
    ['Pattern frame rate', `${num(s.patternFps, 0)} fps`],
  ];
  if (av) {
    rows.push(
      ['Video', `${av.videoWidth} × ${av.videoHeight} at ${num(av.videoFps, 2)} fps, ${num(av.durationS, 1)} s`],
      ['Screen in the picture', `${num(100 * av.screen.width, 0)} × ${num(100 * av.screen.height, 0)} % of the frame, contrast ${num(av.screen.contrast, 0)} of 255`],
      ['Flashes / clicks found', `${av.flashesFound} / ${av.clicksFound}; ${av.eventsPaired} paired`],
      ['Rolling shutter', `${num(av.rollingShutterMs, 2)} ms readout`],
      ['Display clock against the camera', `${signed(av.clockPpm, 0)} ppm`],
      ['Offset before corrections', esc(formatOffset(av.rawOffsetMs))],
    );
  }
  return `<section aria-labelledby="h-setup"><h2 id="h-setup">Recording and corrections</h2>${keyValueTable(rows)}</section>`;
}

function warnings(report: AvReport): string {
  const items = report.analysis.warnings.map((w) => `<li><code>${esc(w.code)}</code> ${esc(w.message)}</li>`).join('');
  return `<section aria-labelledby="h-warnings"><h2 id="h-warnings">Warnings</h2>${items === '' ? '<p>None.</p>' : `<ul class="warnings">${items}</ul>`}</section>`;
}

function events(report: AvReport): string {
  const av = report.analysis.av;
  if (report.analysis.status !== 'ok' || !av || av.events.length === 0) return '';
  const rows = av.events
    .slice(0, MAX_EVENT_ROWS)
    .map((e) => `<tr${e.status === 'ok' ? '' : ' class="st-dropout"'}><td>${e.index}</td><td>${num(e.timeS, 3)}</td><td>${signed(e.offsetMs, 2)}</td><td>${num(e.confidence, 2)}</td><td>${num(e.flashStdErrMs, 2)}</td><td>${num(e.clickPeakToNoiseDb, 1)}</td><td>${e.status === 'ok' ? 'ok' : 'outlier'}</td></tr>`)
    .join('');
  return (
    `<section aria-labelledby="h-events"><h2 id="h-events">Events</h2><div class="events-wrap"><table class="data events"><thead><tr><th>Event</th><th>Time (s)</th><th>Offset (ms)</th><th>Confidence</th><th>Flash timing error (ms)</th><th>Click peak-to-noise (dB)</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></div>` +
    (av.events.length > MAX_EVENT_ROWS ? `<p class="note">The first ${MAX_EVENT_ROWS} of ${av.events.length} events; the CSV export has them all.</p>` : '') +
    `</section>`
  );
}

function methods(report: AvReport, generatedBy: string): string {
  const items: Array<[string, string]> = [
    ['Pattern', 'Each event is a full-screen flash (150 ms ramps around a 100 ms hold) with a click at its centre, at coded irregular intervals, so that every flash and click is identified by its spacing and offsets beyond ±1 s are unambiguous.'],
    ['Flash timing', 'A camera frame averages light over its exposure; on a linear ramp that average is the value at the exposure’s middle, so the frames on each ramp lie on a line whose half-level crossing times the edge to a fraction of a frame. The flash’s centre is the mean of rise and fall, so display gamma and the camera’s tone curve cancel.'],
    ['Click timing', 'A matched filter with the pattern’s click finds each click in the recording’s sound.'],
    ['Offset', 'Click − flash − sound travel time (distance / 343 m/s) − the camera’s own A/V offset; positive means the sound arrives after the picture. The headline is the median over the events that agree.'],
    ['Uncertainty', 'About 95 %: the spread between events, the rolling-shutter correction, the timestamp resolution and the calibration in quadrature, plus half a frame for an uncalibrated camera and the part of each held display frame the camera never sampled.'],
  ];
  return (
    `<footer class="methods" aria-labelledby="h-methods"><h2 id="h-methods">How these figures are computed</h2>` +
    `<dl>${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>` +
    `<p class="note">The full description is in Latency Lab’s README, section “Lip sync, measured end to end”. This document is self-contained: it loads nothing from the network.</p>` +
    `<p class="colophon">Generated by ${esc(generatedBy)} from A/V report <code>${esc(report.id)}</code> (schema version ${report.schemaVersion}), measured with ${esc(report.software.name)} ${esc(report.software.version)}.</p>` +
    `</footer>`
  );
}

function notes(report: AvReport): string {
  return report.notes.trim() === '' ? '' : `<section aria-labelledby="h-notes"><h2 id="h-notes">Notes</h2><div class="user-notes">${esc(report.notes)}</div></section>`;
}

/** Renders an A/V report as one self-contained HTML document (no network, no script). */
export function renderAvReportHtml(report: AvReport, options: AvReportHtmlOptions = {}): string {
  const generatedBy = options.generatedBy ?? `${report.software.name} ${report.software.version}`;
  const title = report.title.trim() === '' ? 'Untitled A/V measurement' : report.title;
  const body = [header(report), headline(report), lipSync(report), eventsChart(report), budget(report), setup(report), warnings(report), notes(report), events(report), methods(report, generatedBy)].join('\n');
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta name="generator" content="${esc(generatedBy)}">\n` +
    `<title>${esc(title)} · Latency Lab A/V report</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  );
}

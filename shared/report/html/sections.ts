/**
 * The HTML report's text sections: the header, the headline figures (or the refusal), the
 * statistics, lip sync, setup and settings, warnings, notes, the per-event table and the methods.
 */
import type { LatencyStatsOutput } from '../../analysis/analyze-capture';
import type { AnalysisOutput } from '../../claims/judge';
import { resultPolarity } from '../../analysis/correlation-zoom';
import { LIP_SYNC_STANDARDS } from '../../claims/lip-sync-standards';
import { appAdvice, baselineCaveatsOf, EVENT_STATUS_LABELS, POLARITY_DETAILS, POLARITY_LABELS, SIGNAL_LABELS, STIMULUS_LABELS } from '../labels';

import type { Report } from '../report-schema';
import { esc, formatDate, keyValueTable, ms, num, signed } from './text';

/** Rows of the per-event table; the CSV export has every event. */
export const MAX_EVENT_ROWS = 2000;

export function headerSection(report: Report): string {
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

/**
 * The headline: the added latency when a baseline or a timing reference applies (the total beside
 * it), of the steady state when the path settled after a start-up (shown apart), the modes of an
 * alternating path, baseline caveats from the notes, and the quality figures.
 */
export function headlineSection(analysis: AnalysisOutput, report?: Report): string {
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
            ['What to do', esc(report?.software.source === 'app' ? appAdvice(e.code, e.advice, { timingReference: report.settings.mode === 'dual-channel' }) : e.advice)],
          ])
        : '<p>The report does not say why.</p>') +
      `</div></section>`
    );
  }
  const l = analysis.latency;
  const dual = report?.settings.mode === 'dual-channel';
  const a = analysis.added;
  const startup = l.startup ?? null;
  const steady = startup && l.steadyState ? ` of the steady state (from ${num(l.steadyState.fromS, 1)} s, ${l.steadyState.count} events)` : '';
  const ciOf = (s: LatencyStatsOutput) => (s.medianCi95Ms ? `95 % CI of the median ${num(s.medianCi95Ms[0], 3)} – ${num(s.medianCi95Ms[1], 3)} ms` : 'CI of the median needs 6 events');
  const mainCards: string[] = [];
  const cards: string[] = [];
  // With a baseline the added latency is the headline (what the verdict and lip sync judge), the total beside it.
  if (a) {
    mainCards.push(
      `<div class="card main"><div class="card-label">Median added latency${steady}</div><div class="card-value big"><span class="headline-value">${num(a.medianMs, 3)}</span> ms</div>` +
        `<div class="card-sub">measured − baseline (${ms(a.baselineMs)}); ± ${num(a.stdMs, 3)} ms (standard deviation)<br>${ciOf(a)}</div></div>`,
    );
  }
  mainCards.push(
    `<div class="card main"><div class="card-label">${dual ? 'Median latency after the timing reference' : a ? 'Total latency (median)' : 'Median latency'}${a ? '' : steady}</div>` +
      `<div class="card-value big">${a ? '' : '<span class="headline-value">'}${num(l.medianMs, 3)}${a ? '' : '</span>'} ms</div>` +
      `<div class="card-sub">${dual ? 'the microphone against the loopback of the output: the computer’s own delay cancels<br>' : ''}± ${num(l.stdMs, 3)} ms (standard deviation)<br>${ciOf(l)}</div></div>`,
  );
  const offsetMs = a ? a.baselineMs : 0;
  const basisWord = a ? 'added ' : '';
  const extra: string[] = [];
  if (startup) {
    extra.push(
      `<p class="startup"><strong>Start-up:</strong> the latency settled after ${num(startup.untilS, 1)} s; until then its ${basisWord}median was ${ms(startup.medianMs - offsetMs)}, up to ${ms(startup.maxMs - offsetMs)}. ` +
        `Those events are left out of the statistics (they are in the chart and the event table).</p>`,
    );
  }
  const modes = l.modes ?? [];
  if (modes.length >= 2) {
    extra.push(
      `<div class="startup"><p><strong>The latency alternates between ${modes.length} values</strong> (each event one clean arrival at one of them):</p><ul>` +
        modes.map((m) => `<li>${ms(m.medianMs - offsetMs)}: ${num(m.share * 100, 0)} % of the events (${m.count})</li>`).join('') +
        `</ul><p class="note">A median of such a path is not a latency it ever has.</p></div>`,
    );
  }
  const caveats = a && report ? baselineCaveatsOf(report.notes) : [];
  if (caveats.length > 0) {
    extra.push(`<div class="startup"><p><strong>The baseline may not apply to this measurement:</strong></p><ul>${caveats.map((t) => `<li>${esc(t)}</li>`).join('')}</ul></div>`);
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
  // An SNR is a figure only over a measured noise floor.
  const noiseFloor = analysis.noiseFloorDbfs ?? null;
  const noNoise = analysis.warnings.some((w) => w.code === 'NO_NOISE_FLOOR');
  cards.push(figureCard('SNR', noiseFloor === null || analysis.snrDb === null || analysis.snrDb === undefined ? (noNoise ? 'no measurable noise' : '—') : `${num(analysis.snrDb, 1)} dB`, 'stimulus over background'));
  cards.push(
    figureCard(
      'Noise floor',
      noiseFloor === null ? (noNoise ? 'none measurable' : '—') : `${num(noiseFloor, 1)} dBFS`,
      analysis.capturePeakDbfs === undefined ? '' : `capture peak ${num(analysis.capturePeakDbfs, 1)} dBFS`,
    ),
  );
  // Not determined (the events disagree on a sign) is said as such, never as "normal".
  const polarity = resultPolarity(analysis);
  if (polarity) cards.push(figureCard('Polarity', POLARITY_LABELS[polarity], POLARITY_DETAILS[polarity]));
  const stim = analysis.stimulus;
  return (
    `<section class="headline" aria-labelledby="h-result"><h2 id="h-result">Result</h2>` +
    `<div class="cards cards-main">${mainCards.join('')}</div>${extra.join('')}<div class="cards">${cards.join('')}</div>` +
    (stim ? `<p class="note">Stimulus found in the reference: ${STIMULUS_LABELS[stim.kind]}, ${stim.sampleRate} Hz, ${num(stim.durationS, 2)} s, ${stim.events} events.</p>` : '') +
    `</section>`
  );
}

export function statisticsSection(analysis: AnalysisOutput, report?: Report): string {
  const l = analysis.latency;
  if (analysis.status !== 'ok' || !l) return '';
  const columns: Array<[string, LatencyStatsOutput]> = [[report?.settings.mode === 'dual-channel' ? 'After the timing reference' : 'Total latency', l]];
  if (analysis.added) columns.push([`Added (− ${ms(analysis.added.baselineMs)})`, analysis.added]);
  const row = (label: string, f: (s: LatencyStatsOutput) => string): string => `<tr><th scope="row">${label}</th>${columns.map(([, s]) => `<td class="num">${f(s)}</td>`).join('')}</tr>`;
  return (
    `<section aria-labelledby="h-stats"><h2 id="h-stats">Statistics</h2>` +
    (l.startup && l.steadyState ? `<p class="note">Of the steady state: the confident events from ${num(l.steadyState.fromS, 1)} s (the start-up before it is left out).</p>` : '') +
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


export function lipSyncSection(analysis: AnalysisOutput, report?: Report): string {
  const lip = analysis.lipSync;
  if (analysis.status !== 'ok' || !lip || lip.verdicts.length === 0) return '';
  const offset = lip.verdicts[0].offsetMs;
  const direction = offset > 0 ? 'audio lags the picture' : offset < 0 ? 'audio leads the picture' : 'audio and picture in sync';
  const rows = lip.verdicts.map((v) => {
    const standard = LIP_SYNC_STANDARDS.find((s) => s.id === v.standardId);
    const window = standard ? `${num(standard.maxLeadMs, 0)} / ${num(standard.maxLagMs, 0)}` : '—';
    return (
      `<tr class="${v.inconclusive ? 'inconclusive' : v.pass ? 'pass' : 'fail'}"><th scope="row">${esc(v.standardName)}</th><td class="num">${window}</td>` +
      `<td class="num">${signed(v.offsetMs, 1)}</td><td class="result">${v.inconclusive ? 'Inconclusive' : v.pass ? 'Pass' : 'Fail'}</td><td>${v.limit}</td><td class="num">${signed(v.marginMs, 1)}</td></tr>`
    );
  });
  return (
    `<section aria-labelledby="h-lipsync"><h2 id="h-lipsync">Lip sync</h2>` +
    `<p>A/V offset = ${report?.settings.mode === 'dual-channel' ? 'the latency after the timing reference' : lip.basis === 'added' ? 'added latency' : 'total latency'} (median) − the display's video latency (${ms(lip.videoLatencyMs, 1)}) = <strong>${signed(offset, 1)} ms</strong>: ${direction}. Positive offsets mean the sound arrives after the picture.</p>` +
    `<table class="data lipsync"><thead><tr><th scope="col">Standard</th><th scope="col" class="num">Window lead / lag (ms)</th><th scope="col" class="num">Offset (ms)</th>` +
    `<th scope="col">Result</th><th scope="col">Nearer limit</th><th scope="col" class="num">Margin (ms)</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<p class="note">Margin: distance to the nearer limit of the window, positive inside it. Audio may lead by at most the first figure and lag by at most the second.</p>` +
    lip.verdicts.filter((v) => v.inconclusive).map((v) => `<p class="startup">${esc(v.summary)}</p>`).join('') +
    `</section>`
  );
}

export function setupSection(report: Report): string {
  const s = report.settings;
  const g = report.signal;
  const device = (d: Report['settings']['inputDevice']): string => (d ? esc(d.label) : '—');
  const onOff = (v: boolean | null): string => (v === null ? 'unknown' : v ? 'on' : 'off');
  const setup: Array<[string, string]> = [
    ['Description', s.setupDescription.trim() === '' ? '—' : esc(s.setupDescription)],
    ['Mode', s.mode === 'dual-channel' ? 'Timing reference (dual channel: the microphone against an electrical loopback of the output)' : report.software.source === 'app' ? 'Single channel (capture against the stimulus played)' : 'Single channel (capture against the reference file)'],
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
    ['Baseline', s.mode === 'dual-channel' ? 'none needed (the timing reference cancels the computer’s own delay)' : s.baselineMs === null ? 'none (total latency is compared)' : `${ms(s.baselineMs)} (the computer's own round trip)`],
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

export function warningsSection(analysis: AnalysisOutput): string {
  const items = analysis.warnings.map((w) => `<li><code>${esc(w.code)}</code> ${esc(w.message)}</li>`).join('');
  return `<section aria-labelledby="h-warnings"><h2 id="h-warnings">Warnings</h2>${items === '' ? '<p>None.</p>' : `<ul class="warnings">${items}</ul>`}</section>`;
}

export function notesSection(report: Report): string {
  if (report.notes.trim() === '') return '';
  return `<section aria-labelledby="h-notes"><h2 id="h-notes">Notes</h2><div class="user-notes">${esc(report.notes)}</div></section>`;
}

export function eventsSection(analysis: AnalysisOutput): string {
  const l = analysis.latency;
  if (analysis.status !== 'ok' || !l || l.events.length === 0) return '';
  const shown = l.events.slice(0, MAX_EVENT_ROWS);
  const rows = shown
    .map(
      (e, i) =>
        `<tr${e.status === 'ok' ? '' : ` class="st-${e.status}"`}><td>${i + 1}</td><td>${num(e.timeS, 3)}</td><td>${e.latencyMs === null ? '—' : num(e.latencyMs, 4)}</td>` +
        `<td>${num(e.confidence, 2)}</td><td>${e.peakToNoiseDb === null ? '—' : num(e.peakToNoiseDb, 1)}</td><td>${EVENT_STATUS_LABELS[e.status]}</td></tr>`,
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

export function methodsFooter(report: Report, generatedBy: string): string {
  const fr = report.analysis.status === 'ok' ? report.analysis.frequencyResponse : null;
  // A response measured before the engine's impulse response was Welch's H1; every other, from the IR.
  const responseMethod =
    fr && !fr.impulse
      ? 'H1 = Gxy/Gxx with coherence γ² = |Gxy|²/(Gxx·Gyy), Welch-averaged over Hann-windowed segments aligned by the measured latency; fractional-octave smoothing pools the spectra, not the dB values.'
      : 'From one impulse response of the steady state, read along the measured latency: a sweep deconvolved; periodic pink noise averaged over its periods and deconvolved (shorter noise runs: Welch’s H1 with segments longer than the room’s decay); a click train’s clicks each deconvolved and averaged. Its room window gives the response in 1/48-octave bands, each with a quality figure γ² against the noise the impulse response holds; fractional-octave smoothing pools the band powers, not the dB values.';
  const items: Array<[string, string]> = [
    ['Latency', 'Each event of the stimulus (a click, a sweep, or a 0.24 s stretch of noise) is cross-correlated with the capture on its own (GCC-PHAT weighting by default); the arrival is the correlation peak, found with sub-sample precision on a windowed-sinc interpolant.'],
    ['Confidence', 'Per event, from the peak-to-noise ratio of the correlation and the ambiguity (next peak over the main one). Events below 0.5 are unclear and left out; events with nothing above noise are dropouts. Overall = median event confidence × min(1, good events / 5) × good / (good + unclear).'],
    ['Statistics', 'Over the confident events: median (the headline), mean, sample standard deviation, min, max, 95th percentile, and a distribution-free 95 % confidence interval of the median from order statistics (needs 6 events).'],
    ['Drift and jitter', 'Drift is the slope of a least-squares line through latency against time (ppm, with its standard error); jitter is the standard deviation around that line.'],
    ['Levels', 'SNR: mean power where the stimulus arrives over mean power where it does not. Noise floor: the level of the capture without the stimulus.'],
    ['Frequency response', responseMethod],
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

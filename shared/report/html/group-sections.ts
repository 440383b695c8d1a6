/**
 * The HTML report's section for several speakers measured together (a report's `group`): the
 * per-output or per-speaker table, the spread and the offsets between them, the sync verdict
 * against the chosen tolerance, the verdicts against the multi-room claims, refusals with their
 * advice, and a chart of every output's or speaker's latency over time on one axis. The table and
 * the series come from shared/report/group-view.ts and chart-math.ts, as in the app.
 */
import { extent, groupLatencySeries, niceScale, ticksWithin } from '../chart-math';
import { groupView, TOLERANCE_SOURCE_LABELS } from '../group-view';
import { OUTCOME_LABELS } from '../labels';
import type { Report, ReportGroup } from '../report-schema';
import { CHART_HEIGHT, CHART_WIDTH, c, dot, frame, legend, linearScale, type PlotBox, scaleTicks, svgOpen, xAxisLinear, yAxis } from './svg';
import { esc, num, signed } from './text';

/** Series colours: eight outputs or speakers at most. */
export const SERIES_COUNT = 8;

const opt = (v: number | null, digits: number, unit = ''): string => (v === null ? '—' : `${num(v, digits)}${unit}`);

function groupChart(group: ReportGroup, durationS: number): string {
  const series = groupLatencySeries(group, Math.max(durationS, 1e-3)).filter((s) => s.points.length > 0);
  if (series.length === 0) return '';
  const box: PlotBox = { left: 64, right: CHART_WIDTH - 26, top: 30, bottom: CHART_HEIGHT - 46 };
  const [lo, hi] = extent(series.flatMap((s) => s.points.map((p) => p.latencyMs)));
  const pad = Math.max((hi - lo) * 0.08, 0.5);
  const yScale = niceScale(lo - pad, hi + pad, 6, 1);
  const tMax = Math.max(durationS, extent(series.flatMap((s) => s.points.map((p) => p.timeS)))[1], 1e-3);
  const x = linearScale(0, tMax, box.left, box.right);
  const y = linearScale(yScale.lo, yScale.hi, box.bottom, box.top);
  const parts = [svgOpen('chart-group', `Latency over time of ${series.length} ${group.kind === 'outputs' ? 'outputs' : 'speakers'} on one axis`)];
  parts.push(yAxis(box, scaleTicks(yScale), y, 'Latency (ms)'));
  parts.push(xAxisLinear(box, ticksWithin(0, tMax, 10), x, 'Time in the stimulus (s)'));
  series.forEach((s, k) => {
    const cls = `series-${k % SERIES_COUNT}`;
    if (s.kind === 'events') parts.push(`<path class="group-pt ${cls}" d="${s.points.map((p) => dot(x(p.timeS), y(p.latencyMs), 2)).join('')}"/>`);
    else parts.push(`<path class="group-line ${cls}" d="${s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${c(x(p.timeS))} ${c(y(p.latencyMs))}`).join('')}"/>`);
  });
  parts.push(frame(box));
  parts.push(legend(series.map((s, k) => ({ mark: `<path class="group-line series-${k % SERIES_COUNT}" d="M0 0h12"/>`, label: s.name }))));
  parts.push('</svg>');
  const lines = series.some((s) => s.kind === 'line')
    ? ' A speaker of one stream is drawn as its drift line through its median latency (the analysis follows each click but keeps the line, not every click).'
    : ' Each dot is one confident event of that output.';
  return `<figure>${parts.join('')}<figcaption>Latency of each ${group.kind === 'outputs' ? 'output' : 'speaker'} over time, on one axis.${lines}</figcaption></figure>`;
}

/** The section, or '' for a report of one output. */
export function groupSection(report: Report): string {
  const group = report.group;
  if (!group) return '';
  const view = groupView(group);
  const parts: string[] = [`<section aria-labelledby="h-group"><h2 id="h-group">${esc(view.title)}</h2>`];
  if (view.refusal) parts.push(`<div class="no-result"><p><strong>Refused.</strong> ${esc(view.refusal.message)}</p><p>${esc(view.refusal.advice)}</p></div>`);
  if (view.rows.length > 0) {
    const offsetHead = group.kind === 'outputs' ? 'Offset from first' : 'Offset from earliest';
    const rows = view.rows.map((r) =>
      r.refusal
        ? `<tr><th scope="row">${esc(r.name)}</th><td colspan="6">Refused: ${esc(r.refusal.message)} ${esc(r.refusal.advice)}</td></tr>`
        : `<tr><th scope="row">${esc(r.name)}</th><td>${opt(r.latencyMs, 2, ' ms')}</td><td>${r.offsetMs === null ? '—' : `${signed(r.offsetMs, 2)} ms`}</td><td>${opt(r.levelDb, 1, ' dB')}</td><td>${r.driftPpm === null ? '—' : `${signed(r.driftPpm, 1)} ppm`}</td><td>${r.events === null ? '—' : String(r.events)}</td><td>${r.dropouts === null ? '—' : String(r.dropouts)}</td></tr>`,
    );
    parts.push(
      `<table class="data group-table"><thead><tr><th scope="col"></th><th scope="col">Latency (median)</th><th scope="col">${offsetHead}</th><th scope="col">Level</th><th scope="col">Drift</th><th scope="col">Events</th><th scope="col">Dropouts</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }
  parts.push(`<p><strong>Spread:</strong> ${view.spreadMs === null ? 'none to give' : `${num(view.spreadMs, 2)} ms`} (${esc(view.spreadBasis)}).</p>`);
  if (view.pairs.length > 0) {
    const rows = view.pairs.map((p) => `<tr><th scope="row">${esc(p.name)}</th><td>${signed(p.offsetStartMs, 2)} ms</td><td>${signed(p.offsetEndMs, 2)} ms</td><td>${p.relativeDriftPpm === null ? '—' : `${signed(p.relativeDriftPpm, 1)} ppm`}</td><td>${p.relativeDriftMsPerMinute === null ? '—' : `${signed(p.relativeDriftMsPerMinute, 2)} ms/min`}</td></tr>`);
    parts.push(`<table class="data"><thead><tr><th scope="col">Offset</th><th scope="col">At the start</th><th scope="col">At the end</th><th scope="col">Relative drift</th><th scope="col">Change</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  const t = group.tolerance;
  const v = group.verdicts;
  parts.push(`<h3>Sync</h3><p>Tolerance ±${num(t.toleranceMs, 1)} ms (${TOLERANCE_SOURCE_LABELS[t.source]}). ${v ? `<strong>${v.tolerance.outcome === 'within' ? 'Within tolerance' : v.tolerance.outcome === 'beyond' ? 'Beyond tolerance' : 'Inconclusive'}</strong>: ${esc(v.tolerance.summary)}` : 'No verdict: the speakers could not be measured apart.'}</p>`);
  if (v && v.claims.length > 0) {
    const rows = v.claims.map((cl) => `<tr><th scope="row">${esc(cl.claimName)}</th><td>${esc(cl.outcome === 'inconclusive' ? 'Inconclusive' : OUTCOME_LABELS[cl.outcome])}</td><td>${esc(cl.summary)}</td></tr>`);
    parts.push(`<h3>Multi-room claims</h3><table class="data"><thead><tr><th scope="col">Claim</th><th scope="col">Verdict</th><th scope="col">Why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  parts.push(groupChart(group, report.signal.durationS));
  if (view.warnings.length > 0) parts.push(`<ul class="warnings">${view.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  parts.push(`<p class="note">The sections below are the ordinary one-output analysis of the whole click train, every ${group.kind === 'outputs' ? 'output' : 'speaker'} together: a path whose latency alternates between them. The figures of each are in the table above.</p>`);
  parts.push('</section>');
  return parts.join('');
}

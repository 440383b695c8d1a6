/**
 * Human-readable output of the CLI: a short, aligned summary a reviewer can paste into notes.
 * Everything it prints comes from the analysis output; --json prints that output itself.
 */
import type { LatencyStatsOutput } from '../../shared/analysis/analyze-capture';
import { resultPolarity } from '../../shared/analysis/correlation-zoom';
import { POLARITY_DETAILS, POLARITY_LABELS } from '../../shared/report/labels';
import type { AnalysisOutput } from '../../shared/claims/judge';
import { type Claim, formatExpectation, loadClaimsCatalogue } from '../../shared/claims/claims-catalogue';

const ms = (v: number, digits = 2): string => `${v.toFixed(digits)} ms`;

function statsLine(label: string, s: LatencyStatsOutput): string {
  const ci = s.medianCi95Ms ? `  (95% CI ${s.medianCi95Ms[0].toFixed(2)}–${s.medianCi95Ms[1].toFixed(2)})` : '';
  return `${label.padEnd(10)}median ${ms(s.medianMs, 3)}${ci}\n${''.padEnd(10)}mean ${ms(s.meanMs, 3)}  std ${ms(s.stdMs, 3)}  min ${ms(s.minMs)}  max ${ms(s.maxMs)}  p95 ${ms(s.p95Ms)}`;
}

export function formatAnalysis(output: AnalysisOutput, claim: Claim | null): string {
  const lines: string[] = [];
  if (output.status === 'refused' && output.error) {
    lines.push(`REFUSED  ${output.error.code}`);
    lines.push(`  ${output.error.message}`);
    lines.push(`  What to do: ${output.error.advice}`);
    for (const w of output.warnings) lines.push(`  warning ${w.code}: ${w.message}`);
    return lines.join('\n');
  }
  const l = output.latency;
  if (!l || !output.stimulus) return 'No result.';
  lines.push(statsLine('Latency', l));
  if (output.added) lines.push(statsLine('Added', output.added) + `\n${''.padEnd(10)}(measured minus baseline ${ms(output.added.baselineMs)})`);
  lines.push(
    `Events    ${l.count} of ${l.eventsTotal} measured` +
      `${l.dropouts ? `, ${l.dropouts} dropout(s)` : ''}${l.lowConfidence ? `, ${l.lowConfidence} unclear` : ''}${l.notCaptured ? `, ${l.notCaptured} not captured` : ''}` +
      `  (${output.stimulus.kind}, ${output.stimulus.sampleRate} Hz)`,
  );
  lines.push(`Confidence ${(output.confidence ?? 0).toFixed(2)}`);
  if (output.drift) {
    const err = output.drift.ppmStdError === null ? '' : ` ± ${output.drift.ppmStdError.toFixed(2)}`;
    const jitter = output.drift.jitterMs === null ? '' : `, jitter ${ms(output.drift.jitterMs, 3)}`;
    lines.push(`Drift     ${output.drift.ppm >= 0 ? '+' : ''}${output.drift.ppm.toFixed(2)}${err} ppm${jitter}`);
  }
  const levels = [`capture peak ${output.capturePeakDbfs?.toFixed(1)} dBFS`];
  if (output.noiseFloorDbfs !== null && output.noiseFloorDbfs !== undefined) levels.push(`noise floor ${output.noiseFloorDbfs.toFixed(1)} dBFS`);
  if (output.snrDb !== null && output.snrDb !== undefined) levels.push(`SNR ${output.snrDb.toFixed(1)} dB`);
  lines.push(`Levels    ${levels.join(', ')}`);
  const polarity = resultPolarity(output);
  if (polarity) lines.push(`Polarity  ${POLARITY_LABELS[polarity]} (${POLARITY_DETAILS[polarity]})`);
  const fr = output.frequencyResponse;
  if (fr && fr.points.length > 0) {
    const lo = fr.points[0].hz;
    const hi = fr.points[fr.points.length - 1].hz;
    lines.push(
      `Response  ${fr.points.length} points ${lo.toFixed(0)} Hz–${(hi / 1000).toFixed(1)} kHz, ${fr.smoothing ? `1/${fr.smoothing} octave` : 'unsmoothed'}, ` +
        `${fr.impulse?.method === 'click-averaging' ? `${fr.averages} clicks averaged` : `${fr.averages} averages`}, median coherence ${fr.medianCoherence?.toFixed(3) ?? 'n/a'}${fr.micCalibration ? ', mic calibration applied' : ''} (--json for the points)`,
    );
  }
  if (output.verdict && claim) {
    const v = output.verdict.claim;
    lines.push(`Claim     ${claim.name}: ${formatExpectation(claim.expectation)} (${sourceLabel(claim)})`);
    lines.push(`          ${v.outcome.toUpperCase()}: ${v.summary}${output.verdict.basis === 'added' ? ' [added latency]' : ''}`);
  }
  if (output.lipSync) {
    const basis = output.lipSync.basis === 'added' ? 'added latency' : 'total latency';
    lines.push(`Lip sync  A/V offset ${ms(output.lipSync.verdicts[0]?.offsetMs ?? 0, 1)} (${basis} − video ${ms(output.lipSync.videoLatencyMs, 1)})`);
    for (const v of output.lipSync.verdicts) lines.push(`          ${v.pass ? 'PASS' : 'FAIL'}  ${v.standardName.padEnd(34)} margin ${v.marginMs >= 0 ? '+' : ''}${v.marginMs.toFixed(1)} ms`);
  }
  for (const w of output.warnings) lines.push(`Warning   ${w.code}: ${w.message}`);
  return lines.join('\n');
}

function sourceLabel(claim: Claim): string {
  if (claim.kind === 'custom') return 'your profile';
  const article = loadClaimsCatalogue().sources.find((s) => s.file === claim.source.file);
  return `${article ? `"${article.title.slice(0, 60)}${article.title.length > 60 ? '…' : ''}"` : claim.source.file}, ${claim.source.location}`;
}

export function formatMethods(): string {
  const catalogue = loadClaimsCatalogue();
  const lines: string[] = [];
  const groups: Array<[string, string]> = [['connection-method', 'Connection methods'], ['speaker-model', 'Speaker models'], ['statement', 'Other claims']];
  for (const [kind, title] of groups) {
    lines.push(`${title}:`);
    for (const c of catalogue.claims.filter((x) => x.kind === kind)) {
      lines.push(`  ${c.id.padEnd(44)} ${formatExpectation(c.expectation).padEnd(16)} ${c.expectation.statistic.padEnd(7)} ${c.name}`);
      lines.push(`  ${''.padEnd(44)} source: ${c.source.file}, ${c.source.location}`);
    }
    lines.push('');
  }
  lines.push('Use an id with: latency-lab analyze ... --method ID');
  return lines.join('\n');
}

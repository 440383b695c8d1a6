/**
 * The A/V offset measured from a camera recording (shared/av/) judged against the lip-sync
 * standards and the articles' "under 50 ms" lip-sync claim. A verdict is `decisive` when it is the
 * same at both ends of offset ± uncertainty.
 */
import type { AvAnalysisOutput } from '../av/av-schema';
import { summarize } from '../primitives/statistics';
import { findClaim } from './claims-catalogue';
import { claimVerdict, lipSyncVerdicts } from './verdict';

export const AV_LIP_SYNC_CLAIM_ID = 'statement-thx-lip-sync-under-50';

export function judgeAvAnalysis(output: AvAnalysisOutput): AvAnalysisOutput {
  if (output.status !== 'ok' || !output.av) return output;
  const { offsetMs, uncertaintyMs, events } = output.av;
  const low = lipSyncVerdicts(offsetMs - uncertaintyMs, 0);
  const high = lipSyncVerdicts(offsetMs + uncertaintyMs, 0);
  const verdicts = lipSyncVerdicts(offsetMs, 0).map((v, i) => ({ ...v, decisive: low[i].pass === v.pass && high[i].pass === v.pass }));
  const claim = findClaim(AV_LIP_SYNC_CLAIM_ID);
  const magnitudes = events.filter((e) => e.status === 'ok').map((e) => Math.abs(e.offsetMs));
  let claimResult;
  if (claim && magnitudes.length > 0) {
    const s = summarize(magnitudes);
    claimResult = claimVerdict(claim, { medianMs: s.median, meanMs: s.mean, minMs: s.min, maxMs: s.max, p95Ms: s.p95, count: s.count, ...(s.medianCi95 ? { medianCi95Ms: s.medianCi95 } : {}) });
  }
  return {
    ...output,
    lipSync: { basis: 'av-recording', decisive: verdicts.every((v) => v.decisive), verdicts, ...(claimResult ? { claim: claimResult } : {}) },
  };
}

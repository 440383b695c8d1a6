/**
 * Records the analysis worker's replies (window.__latencyLabAnalyses), installed with
 * page.addInitScript before the app loads, for pages that use a REAL audio path (no audio loop):
 * the UI shows figures to 0.01 ms, the replies keep them at full precision and carry the 1/48-octave
 * band spectra of the frequency response. Nothing else is patched.
 *
 * Serialised into the page: it must not refer to anything outside itself.
 */
import type { Page } from '@playwright/test';
import type { AnalysisOutput } from '../../shared/claims/judge';

export interface RecordedAnalysis {
  at: number;
  output: unknown;
}

export function installAnalysisRecorder(): void {
  const replies: RecordedAnalysis[] = [];
  (window as unknown as { __latencyLabAnalyses: RecordedAnalysis[] }).__latencyLabAnalyses = replies;
  const OriginalWorker = window.Worker;
  window.Worker = class extends OriginalWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as { ok?: boolean; result?: { output?: unknown } } | null;
        if (data && data.ok && data.result && data.result.output) replies.push({ at: performance.now(), output: data.result.output });
      });
    }
  };
}

/** The analyses recorded so far (the latest last). */
export async function recordedAnalyses(page: Page): Promise<AnalysisOutput[]> {
  const replies = await page.evaluate(() => (window as unknown as { __latencyLabAnalyses?: RecordedAnalysis[] }).__latencyLabAnalyses ?? []);
  return replies.map((r) => r.output as AnalysisOutput);
}

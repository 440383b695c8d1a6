/**
 * The analysis' refusal advice is written for files (the CLI: "the reference file", "latency-lab
 * generate --rate"). In the app there are no files to check: the stimulus is played and recorded
 * by the app itself. These are the same advice in the app's terms, for the codes whose wording
 * differs; every other code keeps the analysis' own advice.
 */
import type { RefusalCode } from '../../../shared/analysis/analysis-refusal';

export interface AdviceContext {
  /** The run measured against a timing reference (a loopback channel of the input). */
  timingReference: boolean;
}

export function appAdvice(code: RefusalCode | undefined, advice: string, context: AdviceContext): string {
  switch (code) {
    case 'NO_STIMULUS':
      return context.timingReference
        ? 'Check that the speaker being recorded is the output chosen in Setup, that it is not muted, and that the microphone is on the input channel that is not the loopback (swap the loopback channel in Setup if the cables are the other way round).'
        : 'Check that the speaker being recorded is the output chosen in Setup (the app played the test signal there), that its volume is up and not muted, and that the selected microphone can hear it.';
    case 'EMPTY_REFERENCE':
    case 'NO_EVENTS_IN_REFERENCE':
      return context.timingReference
        ? 'The loopback channel carried no test signal: check the cable from the output to the input channel chosen as the loopback in Setup, or choose the other channel.'
        : 'The test signal could not be prepared: choose the signal again and start another measurement.';
    case 'SAMPLE_RATE_MISMATCH':
      return 'Start the measurement again: the app records at the rate it plays.';
    case 'TOO_SHORT':
      return 'The recording stopped early (the audio device went away or stopped delivering audio): check the devices and measure again.';
    default:
      return advice;
  }
}

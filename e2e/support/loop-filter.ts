/** The loop's known path: a whole number of frames of delay and a 2nd-order Butterworth low-pass. */
import { type IirSection, lowPass } from '../../shared/simulation/iir-filter';

export const LOOP_DELAY_FRAMES = 600;
export const LOOP_CUTOFF_HZ = 4000;
export const SUPPORTED_RATES = [44100, 48000, 96000];

export const loopFilter = (sampleRate: number): IirSection => lowPass(LOOP_CUTOFF_HZ, sampleRate);

/** Coefficients for every rate the page may run at (the init script picks its context's). */
export function loopFilters(): Record<string, { b: number[]; a: number[] }> {
  return Object.fromEntries(SUPPORTED_RATES.map((rate) => [String(rate), loopFilter(rate)]));
}

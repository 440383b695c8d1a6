/** Shared pieces of the impulse-response frequency charts (magnitude, phase, distortion): the log axis, its range buttons and read-out. */
import { formatHz } from '../../../shared/report/chart-math';
import type { ZoomPreset } from './InteractiveChart';

export const LOWEST_CHART_HZ = 20;

export const formatFrequency = (hz: number): string => `${formatHz(hz)} Hz`;

/** Range buttons of a log-frequency chart up to `topHz`. */
export function frequencyPresets(topHz: number): ZoomPreset[] {
  const bands: Array<[string, number, number]> = [
    ['Bass 20–200 Hz', 20, 200],
    ['Mids 200 Hz–2 kHz', 200, 2000],
    ['Treble 2 kHz+', 2000, topHz],
  ];
  return bands.filter(([, lo, hi]) => lo < topHz && hi > lo).map(([label, lo, hi]) => ({ label, domain: [lo, Math.min(hi, topHz)] }));
}

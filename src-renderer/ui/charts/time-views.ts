/** Shared pieces of the impulse-response time charts (IR, ETC, step): the time axis, its range buttons and its read-out. */
import type { ImpulseResponseOutput } from '../../../shared/analysis/response-output';
import { impulseMethodText } from '../../../shared/report/labels';
import type { ZoomPreset } from './InteractiveChart';
import { formatNumber } from '../format/format';

export const formatTimeMs = (ms: number): string => `${formatNumber(ms, Math.abs(ms) < 10 ? 2 : 1)} ms`;

/** Range buttons of a time chart over [from, to] ms: around the arrival, the first 20 ms, the first 100 ms (where they fit). */
export function timePresets(span: [number, number]): ZoomPreset[] {
  const clip = (a: number, b: number): [number, number] => [Math.max(span[0], a), Math.min(span[1], b)];
  const out: ZoomPreset[] = [{ label: 'Arrival ±2 ms', domain: clip(-2, 2) }];
  if (span[1] > 20) out.push({ label: 'First 20 ms', domain: clip(-1, 20) });
  if (span[1] > 100) out.push({ label: 'First 100 ms', domain: clip(-1, 100) });
  return out;
}

/** The note under an IR chart: how it was measured. */
export function impulseNote(impulse: ImpulseResponseOutput): string {
  return `${impulseMethodText(impulse)}, at ${formatNumber(impulse.sampleRate / 1000, 1)} kHz; time 0 is the measured arrival (the latency). Valid band ${Math.round(impulse.lowHz)} Hz–${formatNumber(impulse.highHz / 1000, 1)} kHz; noise floor ${formatNumber(impulse.noiseFloorDb, 0)} dB re the peak.`;
}

/**
 * The measure page's choice of how many speakers a run measures (issue 11): one output (the
 * ordinary run), several outputs of this computer in one run (each its own clicks), or one stream
 * on N speakers (found apart in one capture, or one run next to each in the guided mode); the
 * sync tolerance; and the problems that stop such a run from starting.
 */
import { MULTI_OUTPUT_MAX } from '../../../shared/stimulus/multi-output';
import type { SyncToleranceSource } from '../../../shared/claims/multi-room';
import { type SyncTolerance, syncTolerance } from '../../../shared/report/report-group';
import type { DeviceList } from '../../audio/devices';

export type GroupMode = 'one' | 'outputs' | 'speakers';

export interface GroupSetup {
  mode: GroupMode;
  /** Several outputs: separate output devices, or the channels of the page's output device. */
  playback: 'devices' | 'channels';
  /** Separate devices: the outputs played besides the page's output (which plays output 1). */
  extraOutputIds: string[];
  /** Channels of one device: how many. */
  channels: number;
  /** One stream: how many speakers play it. */
  speakers: number;
  /** One stream: the microphone next to each speaker in turn, one run each. */
  guided: boolean;
  tolerance: SyncToleranceSource;
  customToleranceMs: number;
  /** Length of each run, seconds. */
  durationS: number;
}

export const GROUP_LIMITS = {
  outputs: { min: 2, max: MULTI_OUTPUT_MAX },
  speakers: { min: 2, max: 8 },
  durationS: { min: 10, max: 300 },
  customToleranceMs: { min: 0.1, max: 10000 },
} as const;

/** Mean interval of the multi-output click train (its default), s: each output clicks every K × this. */
const MEAN_INTERVAL_S = 0.5;

export function defaultGroupSetup(): GroupSetup {
  return { mode: 'one', playback: 'devices', extraOutputIds: [], channels: 2, speakers: 2, guided: false, tolerance: 'stereo-pair', customToleranceMs: 20, durationS: 20 };
}

/** How many outputs a several-outputs run plays. */
export const outputCount = (g: GroupSetup): number => (g.playback === 'channels' ? g.channels : 1 + g.extraOutputIds.length);

/** The shortest run that gives every output three clicks at the shortest intervals (resolveMultiOutputSpec's rule), s. */
export const minimumOutputsDurationS = (outputs: number): number => Math.ceil(3 * outputs * MEAN_INTERVAL_S * 1.35 + 0.5);

/** The tolerance chosen, or null when the custom value is out of range. */
export function chosenTolerance(g: GroupSetup): SyncTolerance | null {
  try {
    return syncTolerance(g.tolerance, g.customToleranceMs);
  } catch {
    return null;
  }
}

/** Why a run of several outputs or speakers cannot start; empty when it can (or for one output). */
export function groupProblems(g: GroupSetup, devices: DeviceList | null, pageOutputId: string): string[] {
  if (g.mode === 'one') return [];
  const problems: string[] = [];
  const d = GROUP_LIMITS.durationS;
  if (!(g.durationS >= d.min && g.durationS <= d.max)) problems.push(`Run length must be ${d.min} to ${d.max} s.`);
  if (!chosenTolerance(g)) problems.push(`A custom sync tolerance must be ${GROUP_LIMITS.customToleranceMs.min} to ${GROUP_LIMITS.customToleranceMs.max} ms.`);
  if (g.mode === 'outputs') {
    const count = outputCount(g);
    const { min, max } = GROUP_LIMITS.outputs;
    if (g.playback === 'devices') {
      if (count < min) problems.push('Choose at least one more output to play besides the output above.');
      if (count > max) problems.push(`At most ${max} outputs can play in one run.`);
      if (g.extraOutputIds.includes(pageOutputId)) problems.push('An output is chosen twice: the output above already plays output 1.');
      const known = new Set(devices?.outputs.map((o) => o.deviceId) ?? []);
      if (g.extraOutputIds.some((id) => !known.has(id))) problems.push('A chosen output is no longer connected: choose the outputs again.');
    } else if (!(Number.isInteger(g.channels) && g.channels >= min && g.channels <= max)) {
      problems.push(`Choose ${min} to ${max} channels.`);
    }
    if (count >= min && count <= max && g.durationS < minimumOutputsDurationS(count)) {
      problems.push(`${count} outputs need a run of at least ${minimumOutputsDurationS(count)} s (three clicks each).`);
    }
  } else {
    const { min, max } = GROUP_LIMITS.speakers;
    if (!(Number.isInteger(g.speakers) && g.speakers >= min && g.speakers <= max)) problems.push(`The number of speakers must be a whole number from ${min} to ${max}.`);
  }
  return problems;
}

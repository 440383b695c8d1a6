/**
 * The measure page's setup: what the user chose, its defaults and limits, the problems that stop a
 * run from starting, and the lookups it needs (the claim compared against, the stored baseline).
 */
import { type Claim, findClaim } from '../../../shared/claims/claims-catalogue';
import { SIGNAL_LABELS as REPORT_SIGNAL_LABELS } from '../../../shared/report/labels';
import { STIMULUS_DEFAULTS } from '../../../shared/stimulus/stimulus';
import type { AppSettings, StoredBaseline } from '../../host/host-api';
import type { DeviceList } from '../../audio/devices';
import { VIDEO_LATENCY_MS } from '../../../shared/contract/ipc-contract';

export type SignalChoice = 'click' | 'pink' | 'sweep' | 'music';
export type RunMode = 'single' | 'long';

export interface MeasureSetup {
  inputDeviceId: string;
  outputDeviceId: string;
  signal: SignalChoice;
  /** Click train and pink noise: run length, seconds. */
  durationS: number;
  /** Sweep: how many sweeps. */
  sweeps: number;
  /** Peak level (clicks, sweeps, music) or RMS level (pink noise), dBFS. */
  levelDbfs: number;
  /** Catalogue or custom claim id; null compares with nothing. */
  claimId: string | null;
  videoLatencyMs: number;
  setupDescription: string;
  mode: RunMode;
  /** Long run: minutes of click train. */
  longRunMinutes: number;
  /** Subtract the stored baseline of this device pair. */
  useBaseline: boolean;
  /**
   * Timing reference (dual-channel): one input channel carries an electrical loopback of the
   * output, the other the microphone; latency is measured from the loopback, so the computer's own
   * delay cancels and no baseline is needed.
   */
  timingReference: boolean;
  /** The input channel (1 or 2) that carries the loopback; the microphone is on the other. */
  referenceChannel: 1 | 2;
}

/** The input channel of the microphone when the loopback is on `referenceChannel`. */
export const microphoneChannel = (referenceChannel: 1 | 2): 1 | 2 => (referenceChannel === 1 ? 2 : 1);

/** Each repeated sweep: 0.25 s lead-in, sweep, 0.5 s tail; longer than the 2 s search range, so repeats cannot be confused. */
export const SWEEP_REPEAT_S = 3;
export const MAX_LATENCY_MS = 2000;

/** The signal choices, named as in the report (shared/report/labels.ts); music as the user's own. */
export const SIGNAL_LABELS: Record<SignalChoice, string> = {
  click: REPORT_SIGNAL_LABELS.click,
  pink: REPORT_SIGNAL_LABELS.pink,
  sweep: REPORT_SIGNAL_LABELS.sweep,
  music: 'Your own music',
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const SIGNAL_HINTS: Record<SignalChoice, string> = {
  click: `${capitalise(STIMULUS_DEFAULTS.click.description)}: the sharpest latency figure, per click.`,
  pink: `${capitalise(STIMULUS_DEFAULTS.pink.description)}: latency per 0.24 s segment and the frequency response.`,
  sweep: `${capitalise(STIMULUS_DEFAULTS.sweep.description)}, one every ${SWEEP_REPEAT_S} s: latency per sweep and the frequency response.`,
  music: 'A track of your own (WAV, MP3, AAC, FLAC, Ogg; the first 60 s): latency per beat, cross-checked against the beat grid.',
};

export const LIMITS = {
  durationS: { min: 3, max: 120 },
  sweeps: { min: 1, max: 20 },
  levelDbfs: { min: -60, max: 0 },
  /** Pink noise peaks 12 dB above its RMS level. */
  pinkMaxDbfs: -12.1,
  longRunMinutes: { min: 0.5, max: 15 },
  videoLatencyMs: VIDEO_LATENCY_MS,
  setupDescription: 500,
} as const;

export const DEFAULT_LEVELS: Record<SignalChoice, number> = { click: -6, pink: -20, sweep: -6, music: -6 };

export function defaultSetup(settings: AppSettings): MeasureSetup {
  return {
    inputDeviceId: '',
    outputDeviceId: 'default',
    signal: 'click',
    durationS: 10,
    sweeps: 3,
    levelDbfs: DEFAULT_LEVELS.click,
    claimId: null,
    videoLatencyMs: settings.videoLatencyMs,
    setupDescription: '',
    mode: 'single',
    longRunMinutes: 5,
    useBaseline: true,
    timingReference: false,
    referenceChannel: 2,
  };
}

/** The length of the stimulus for this setup, seconds (music: the prepared track's length). */
export function stimulusDurationS(setup: MeasureSetup, musicDurationS: number | null): number {
  if (setup.mode === 'long') return setup.longRunMinutes * 60;
  if (setup.signal === 'sweep') return setup.sweeps * SWEEP_REPEAT_S;
  if (setup.signal === 'music') return musicDurationS ?? 0;
  return setup.durationS;
}

/** The claim with this id: from the catalogue, or the user's custom profiles. */
export function resolveClaim(claimId: string | null, settings: AppSettings): Claim | null {
  if (!claimId) return null;
  return settings.customClaims.find((c) => c.id === claimId) ?? findClaim(claimId) ?? null;
}

export function findBaseline(settings: AppSettings, inputLabel: string, outputLabel: string): StoredBaseline | null {
  return settings.baselines.find((b) => b.inputDeviceLabel === inputLabel && b.outputDeviceLabel === outputLabel) ?? null;
}

/** Where the page would use a stored baseline now: the devices, the audio's rate and the open audio session. */
export interface BaselineUse {
  inputDeviceId: string;
  outputDeviceId: string;
  /** The open session's rate; null when none is open. */
  sampleRate: number | null;
  /** The open session's id; null when none is open (the next run opens a new one). */
  sessionId: string | null;
}

/**
 * Why a stored baseline may not subtract cleanly from a measurement made now, one sentence each;
 * empty when it was measured in the open audio session with these devices. Another session means
 * another output stream (the operating system buffers each stream differently, by up to tens of
 * milliseconds), so only a baseline from the open session is known to apply exactly.
 */
export function baselineCaveats(baseline: StoredBaseline, use: BaselineUse): string[] {
  const caveats: string[] = [];
  if (baseline.audioSessionId === undefined) {
    caveats.push('It was stored by an earlier version without its audio session, so whether it went through the same output stream is unknown.');
  } else if (baseline.audioSessionId !== use.sessionId) {
    caveats.push(
      use.sessionId === null
        ? 'It was measured in an earlier audio session: the next run opens a new output stream, which the system may buffer differently.'
        : 'It was measured in another audio session: the output stream has been opened again since (a restart, a device change, a cancelled run or a released microphone), and a new stream may be buffered differently.',
    );
  }
  const other: string[] = [];
  if (baseline.inputDeviceId !== undefined && use.inputDeviceId && baseline.inputDeviceId !== use.inputDeviceId) other.push('input');
  if (baseline.outputDeviceId !== undefined && baseline.outputDeviceId !== use.outputDeviceId) other.push('output');
  if (other.length > 0) caveats.push(`It was measured with another ${other.join(' and ')} device of the same name.`);
  if (baseline.sampleRate !== undefined && use.sampleRate !== null && baseline.sampleRate !== use.sampleRate) {
    caveats.push(`It was measured at ${baseline.sampleRate} Hz; the audio now runs at ${use.sampleRate} Hz.`);
  }
  return caveats;
}

/** Settings with this pair's baseline replaced (or removed with `baseline` null). */
export function withBaseline(settings: AppSettings, inputLabel: string, outputLabel: string, baseline: StoredBaseline | null): AppSettings {
  const others = settings.baselines.filter((b) => !(b.inputDeviceLabel === inputLabel && b.outputDeviceLabel === outputLabel));
  return { ...settings, baselines: baseline ? [...others, baseline] : others };
}

export interface SetupContext {
  devices: DeviceList | null;
  /** A music file has been decoded and its beats found. */
  musicReady: boolean;
}

export function effectiveLevelProblem(setup: MeasureSetup): string | null {
  const { min, max } = LIMITS.levelDbfs;
  if (!(setup.levelDbfs >= min && setup.levelDbfs <= max)) return `Level must be between ${min} and ${max} dBFS.`;
  if (setup.signal === 'pink' && setup.mode === 'single' && setup.levelDbfs > LIMITS.pinkMaxDbfs) {
    return `Pink noise peaks 12 dB above its RMS level: choose ${LIMITS.pinkMaxDbfs} dBFS or lower.`;
  }
  return null;
}

/** Why no run can start with these devices (the microphone and the output chosen); empty when one can. */
export function deviceProblems(setup: Pick<MeasureSetup, 'inputDeviceId' | 'outputDeviceId'>, devices: DeviceList | null): string[] {
  const problems: string[] = [];
  if (!devices || devices.inputs.length === 0) {
    problems.push('No microphone is available: connect one, allow microphone access, then refresh the device list.');
  } else if (setup.inputDeviceId && !devices.inputs.some((d) => d.deviceId === setup.inputDeviceId)) {
    problems.push('The selected microphone is no longer connected: choose an input again.');
  }
  if (devices && !devices.outputs.some((d) => d.deviceId === setup.outputDeviceId)) {
    problems.push('The selected output is no longer connected: choose an output again.');
  }
  return problems;
}

/** Why a run cannot start with this setup; empty when it can. */
export function setupProblems(setup: MeasureSetup, context: SetupContext): string[] {
  const problems = deviceProblems(setup, context.devices);
  const level = effectiveLevelProblem(setup);
  if (level) problems.push(level);
  if (setup.mode === 'long') {
    const { min, max } = LIMITS.longRunMinutes;
    if (!(setup.longRunMinutes >= min && setup.longRunMinutes <= max)) problems.push(`A long run lasts ${min} to ${max} minutes.`);
  } else if (setup.signal === 'music') {
    if (!context.musicReady) problems.push('Choose a music file (and wait until its beats are found).');
  } else if (setup.signal === 'sweep') {
    const { min, max } = LIMITS.sweeps;
    if (!(Number.isInteger(setup.sweeps) && setup.sweeps >= min && setup.sweeps <= max)) problems.push(`Number of sweeps must be a whole number from ${min} to ${max}.`);
  } else {
    const { min, max } = LIMITS.durationS;
    if (!(setup.durationS >= min && setup.durationS <= max)) problems.push(`Run length must be ${min} to ${max} s.`);
  }
  const v = LIMITS.videoLatencyMs;
  if (!(setup.videoLatencyMs >= v.min && setup.videoLatencyMs <= v.max)) problems.push(`Video latency must be ${v.min} to ${v.max} ms.`);
  if (setup.setupDescription.length > LIMITS.setupDescription) problems.push(`The setup description is longer than ${LIMITS.setupDescription} characters.`);
  return problems;
}

/**
 * Audio devices: listing inputs and outputs, asking for microphone permission (browsers hide
 * device names until it is granted), the capture constraints a latency measurement needs, checking
 * what the platform actually applied, and turning media errors into messages a user can act on.
 */
import type { Report } from '../../shared/report/report-schema';

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface DeviceList {
  inputs: DeviceOption[];
  outputs: DeviceOption[];
  /** The browser hides labels until microphone permission is granted. */
  labelsHidden: boolean;
}

/** The system default output, always offered (setSinkId is not needed for it). */
export const DEFAULT_OUTPUT: DeviceOption = { deviceId: 'default', label: 'System default output' };

export class AudioSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudioSetupError';
  }
}

export function mediaDevicesAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function';
}

export async function listAudioDevices(): Promise<DeviceList> {
  if (!mediaDevicesAvailable()) {
    throw new AudioSetupError('This browser gives no access to microphones (navigator.mediaDevices is missing). Use a current Chromium-based browser or the desktop app, over https or localhost.');
  }
  const devices = await navigator.mediaDevices.enumerateDevices();
  const inputs: DeviceOption[] = [];
  const outputs: DeviceOption[] = [];
  let hidden = false;
  let unnamedIn = 0;
  let unnamedOut = 0;
  for (const d of devices) {
    if (d.kind !== 'audioinput' && d.kind !== 'audiooutput') continue;
    if (!d.label) hidden = true;
    if (d.kind === 'audioinput') {
      if (d.deviceId === '' && inputs.length > 0) continue;
      inputs.push({ deviceId: d.deviceId, label: d.label || `Microphone ${++unnamedIn}` });
    } else {
      if (d.deviceId === '' || d.deviceId === 'default') continue;
      outputs.push({ deviceId: d.deviceId, label: d.label || `Output ${++unnamedOut}` });
    }
  }
  return { inputs, outputs: [DEFAULT_OUTPUT, ...outputs], labelsHidden: hidden };
}

/** Asks for the microphone once (so device names appear), then releases it. */
export async function requestMicrophonePermission(): Promise<void> {
  if (!mediaDevicesAvailable()) throw new AudioSetupError('This browser gives no access to microphones.');
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
  } catch (error) {
    throw new AudioSetupError(describeMediaError(error));
  }
}

/** Chromium can route an AudioContext to any output; other browsers only to the default. */
export function sinkSelectionSupported(): boolean {
  return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;
}

/**
 * Processors that would destroy a latency measurement are switched off; at the context rate; mono,
 * or two channels or more when a timing reference (a loopback) is recorded beside the microphone.
 */
export function captureConstraints(deviceId: string | null, sampleRate: number, channels = 1): MediaTrackConstraints {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
    channelCount: channels > 1 ? { min: channels, ideal: channels } : { ideal: 1 },
    sampleRate: { ideal: sampleRate },
    // Not in every TypeScript DOM lib version; Chromium honours it.
    ...({ latency: { ideal: 0 } } as MediaTrackConstraints),
  };
}

export type CaptureSettings = NonNullable<Report['settings']['captureSettings']>;

export interface CaptureCheck {
  captureSettings: CaptureSettings;
  /** One line per requested setting the platform did not honour. */
  warnings: string[];
}

/** What the platform applied (track.getSettings()) against what was asked for. */
export function checkCaptureSettings(settings: MediaTrackSettings, contextSampleRate: number, channelsRecorded = 1): CaptureCheck {
  const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const captureSettings: CaptureSettings = {
    echoCancellation: bool(settings.echoCancellation),
    noiseSuppression: bool(settings.noiseSuppression),
    autoGainControl: bool(settings.autoGainControl),
    sampleRate: num(settings.sampleRate),
    channelCount: num(settings.channelCount),
  };
  const warnings: string[] = [];
  const processor = (value: boolean | null, name: string, effect: string) => {
    if (value === true) warnings.push(`${name} is still on (the platform ignored the request to switch it off): ${effect}`);
  };
  processor(captureSettings.echoCancellation, 'Echo cancellation', 'it removes the played signal from the microphone, so the stimulus may not be captured at all.');
  processor(captureSettings.noiseSuppression, 'Noise suppression', 'it gates and filters the signal, which smears clicks and distorts the frequency response.');
  processor(captureSettings.autoGainControl, 'Automatic gain control', 'it changes the level during the run, which distorts levels, SNR and the frequency response.');
  if (captureSettings.sampleRate !== null && captureSettings.sampleRate !== contextSampleRate) {
    warnings.push(`The microphone runs at ${captureSettings.sampleRate} Hz and is resampled to ${contextSampleRate} Hz; resampling adds a fixed delay, so use a baseline measured with the same devices.`);
  }
  if (captureSettings.channelCount !== null && channelsRecorded > 1 && captureSettings.channelCount < channelsRecorded) {
    warnings.push(`The input delivers ${captureSettings.channelCount} channel${captureSettings.channelCount === 1 ? '' : 's'}, not the ${channelsRecorded} a timing reference needs: the loopback channel will be silent.`);
  }
  if (captureSettings.channelCount !== null && captureSettings.channelCount > 1 && channelsRecorded === 1) {
    warnings.push(`The microphone delivers ${captureSettings.channelCount} channels; they are mixed to mono.`);
  }
  return { captureSettings, warnings };
}

/** A specific, actionable message for errors from getUserMedia, setSinkId and AudioContext. */
export function describeMediaError(error: unknown): string {
  const name = error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException) ? (error as Error).name : '';
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'Microphone access was denied. Allow the microphone for this app (in the browser\'s site settings or the system\'s privacy settings) and try again.';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'No microphone was found. Connect a microphone (or select another input) and try again.';
    case 'NotReadableError':
    case 'TrackStartError':
      return `The microphone could not be opened: another application may be using it, or the system blocked it${detail}.`;
    case 'OverconstrainedError':
      return 'The selected microphone is no longer available (it was disconnected or renamed). Choose an input again.';
    case 'SecurityError':
      return 'Microphone access is blocked in this context (the page must be served over https or from localhost).';
    case 'AbortError':
      return `Opening the microphone was interrupted${detail}. Try again.`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

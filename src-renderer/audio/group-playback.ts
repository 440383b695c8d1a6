/**
 * Playing several outputs at once for one run (issue 11): each output's channel of the
 * multi-output reference either on its own output device, from its own AudioContext (setSinkId),
 * or on one channel of one multichannel device.
 *
 * What is assumed, and said in the app:
 * - Separate devices: each AudioContext runs on its own device's clock. They are started at the
 *   same moment as far as the browser can tell (AudioContext.getOutputTimestamp maps each context's
 *   time to the page's clock), which is good to a few milliseconds; that start error and each
 *   device's own output buffering are part of the latency measured for that output. The devices'
 *   clocks drift against each other: that is measured (each output's drift), not corrected.
 * - Channels of one device: one clock; the device must take that many discrete output channels.
 */
import { AudioSetupError, describeMediaError, sinkSelectionSupported } from './devices';

export const GROUP_ASSUMPTIONS = {
  devices:
    'Each output plays from its own audio context on its own device\'s clock. They are started together as closely as the browser can tell (a few ms); that start error and each device\'s own buffering count in that output\'s latency. Their clocks drift apart as the devices\' clocks do: that is measured, not corrected.',
  channels:
    'All outputs are channels of one device and share its clock, so the offsets between them are the speakers\' own. The device must accept one discrete channel per output.',
} as const;

/** A context time → page time pair (AudioContext.getOutputTimestamp). */
export interface ClockStamp {
  contextTime: number;
  performanceTime: number;
}

/**
 * The time on another context's clock that is the same moment as `mainTime` on the main context's,
 * through the page's clock (performance.now(), ms): both stamps map context seconds to page ms.
 */
export function alignedContextTime(mainTime: number, main: ClockStamp, other: ClockStamp): number {
  for (const [name, v] of [['mainTime', mainTime], ['main.contextTime', main.contextTime], ['main.performanceTime', main.performanceTime], ['other.contextTime', other.contextTime], ['other.performanceTime', other.performanceTime]] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${v}`);
  }
  const pageMs = main.performanceTime + (mainTime - main.contextTime) * 1000;
  return other.contextTime + (pageMs - other.performanceTime) / 1000;
}

/** Why one device cannot play `outputs` discrete channels, or null when it can. */
export function channelsProblem(maxChannelCount: number, outputs: number): string | null {
  if (!Number.isInteger(outputs) || outputs < 2 || outputs > 8) return `Choose 2 to 8 channels, not ${outputs}.`;
  if (maxChannelCount < outputs) return `The output device takes ${maxChannelCount} channel${maxChannelCount === 1 ? '' : 's'}; ${outputs} were asked for. Choose fewer channels, or separate devices.`;
  return null;
}

/** A stamp of a context's clock, from getOutputTimestamp, or from currentTime when the browser gives none. */
export function stampOf(context: AudioContext): ClockStamp {
  const stamp = typeof context.getOutputTimestamp === 'function' ? context.getOutputTimestamp() : {};
  if (typeof stamp.contextTime === 'number' && typeof stamp.performanceTime === 'number' && stamp.performanceTime > 0) {
    return { contextTime: stamp.contextTime, performanceTime: stamp.performanceTime };
  }
  return { contextTime: context.currentTime, performanceTime: performance.now() };
}

/** One further output device: its own context, at the session's rate, playing into that device. */
export interface ExtraOutput {
  deviceId: string;
  label: string;
  context: AudioContext;
}

/** Opens a context per device at `sampleRate`; closes what it opened when one fails. */
export async function openExtraOutputs(devices: Array<{ deviceId: string; label: string }>, sampleRate: number): Promise<ExtraOutput[]> {
  if (devices.length > 0 && !sinkSelectionSupported()) {
    throw new AudioSetupError('This browser cannot send audio to a chosen output (AudioContext.setSinkId is not supported), so several output devices cannot be played at once. Use the channels of one device instead.');
  }
  const opened: ExtraOutput[] = [];
  try {
    for (const d of devices) {
      const context = new AudioContext({ sampleRate, latencyHint: 'interactive' });
      opened.push({ ...d, context });
      try {
        await (context as AudioContext & { setSinkId(id: string): Promise<void> }).setSinkId(d.deviceId);
      } catch (error) {
        throw new AudioSetupError(`The output "${d.label}" could not be used: ${describeMediaError(error)}`);
      }
      await context.resume();
      if (context.state !== 'running') throw new AudioSetupError(`The audio for "${d.label}" did not start (state "${context.state}").`);
    }
    return opened;
  } catch (error) {
    await closeExtraOutputs(opened);
    throw error;
  }
}

export async function closeExtraOutputs(outputs: ExtraOutput[]): Promise<void> {
  await Promise.all(outputs.map((o) => o.context.close().catch(() => undefined)));
}

/**
 * `latency-lab generate`: writes exactly the stimulus the app plays for the same settings, as a
 * WAV whose INFO comment records the settings (so `analyze` and reports know what was played).
 */
import { encodeWav, wavFileBytes, WavError, type WavSampleFormat } from '../../shared/io/wav-file';
import { generateStimulus, resolveStimulusSpec, STIMULUS_SIGNALS, stimulusComment, type StimulusSignal } from '../../shared/stimulus/stimulus';
import { generateMultiOutputReference, MULTI_OUTPUT_MAX, multiOutputComment, resolveMultiOutputSpec } from '../../shared/stimulus/multi-output';
import { SOFTWARE_VERSION } from '../../shared/primitives/version';
import { writeFileAtomic } from '../fs/atomic-write';
import { checkOutputTarget, CliError, formatBytes, integerOption, MAX_INPUT_BYTES, numberOption, outputError } from './cli-io';

export interface GenerateArgs {
  signal?: string;
  duration?: string;
  rate?: string;
  seed?: string;
  level?: string;
  out?: string;
  format?: string;
  force?: boolean;
  /** Several outputs in one run: a K-channel reference, one channel per output (clicks only). */
  outputs?: string;
}

const FORMATS: WavSampleFormat[] = ['float32', 'pcm16', 'pcm24', 'pcm32'];

/** The options every stimulus takes, parsed (their ranges are the user's to get right: exit 2). */
const commonOptions = (args: GenerateArgs) => ({
  durationS: numberOption('duration', args.duration, 1, 3600),
  sampleRate: integerOption('rate', args.rate, 8000, 384000),
  seed: integerOption('seed', args.seed, 0, 2 ** 32 - 1),
  levelDbfs: numberOption('level', args.level, -60, 0),
});

/** A generator's range check (RangeError) is a usage error, not a bug. */
function usageErrors<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(error.message);
    throw error;
  }
}

export function generateCommand(args: GenerateArgs): string {
  if (!args.signal) throw new CliError(`generate needs --signal ${STIMULUS_SIGNALS.join('|')}`);
  if (!STIMULUS_SIGNALS.includes(args.signal as StimulusSignal)) throw new CliError(`unknown --signal "${args.signal}": use ${STIMULUS_SIGNALS.join(', ')}`);
  if (!args.out) throw new CliError('generate needs --out FILE.wav');
  const format = (args.format ?? 'float32') as WavSampleFormat;
  if (!FORMATS.includes(format)) throw new CliError(`unknown --format "${args.format}": use ${FORMATS.join(', ')}`);
  if (args.outputs !== undefined) return generateMultiOutput({ ...args, out: args.out }, format);
  const spec = usageErrors(() => resolveStimulusSpec({ signal: args.signal as StimulusSignal, ...commonOptions(args) }));
  checkOutputTarget(args.out, args.force === true);
  // Checked before generating: what generate writes, analyze must read (MAX_INPUT_BYTES, 1 GiB).
  const info = { ISFT: `Latency Lab ${SOFTWARE_VERSION}`, ICMT: stimulusComment(spec) };
  checkSize(spec, 1, format, info);
  let bytes: Uint8Array;
  try {
    bytes = encodeWav({ sampleRate: spec.sampleRate, channels: [generateStimulus(spec)] }, { format, info });
  } catch (error) {
    // The generators' and the encoder's limits (e.g. an FFT length out of range) are the user's settings, not a bug.
    if (error instanceof RangeError || error instanceof WavError) throw new CliError(`cannot generate ${spec.signal} for ${spec.durationS} s at ${spec.sampleRate} Hz: ${error.message}`);
    throw error;
  }
  write(args.out, bytes, args.force === true);
  return `Wrote ${args.out}: ${spec.signal}, ${spec.durationS} s at ${spec.sampleRate} Hz, ${spec.levelDbfs} dBFS, seed ${spec.seed} (${format}).`;
}

/** Checked before generating: what generate writes, analyze must read (MAX_INPUT_BYTES, 1 GiB). */
function checkSize(spec: { durationS: number; sampleRate: number }, channels: number, format: WavSampleFormat, info: Record<string, string>): void {
  const frames = Math.round(spec.durationS * spec.sampleRate);
  const fileBytes = wavFileBytes(frames, channels, format, info);
  if (fileBytes > MAX_INPUT_BYTES) {
    const overhead = wavFileBytes(0, channels, format, info);
    const bytesPerFrame = (wavFileBytes(2, channels, format) - wavFileBytes(0, channels, format)) / 2;
    const maxS = Math.floor((MAX_INPUT_BYTES - overhead - 1) / bytesPerFrame / spec.sampleRate);
    throw new CliError(
      `${spec.durationS} s at ${spec.sampleRate} Hz as ${format}${channels > 1 ? ` on ${channels} channels` : ''} would be ${formatBytes(fileBytes)}, more than the ${formatBytes(MAX_INPUT_BYTES)} ` +
        `that latency-lab analyze reads: use --duration ${maxS} or less, a lower --rate${format === 'pcm16' ? '' : ', or --format pcm16'}`,
    );
  }
}

function write(path: string, bytes: Uint8Array, force: boolean): void {
  try {
    writeFileAtomic(path, bytes, { overwrite: force });
  } catch (error) {
    throw outputError(path, error);
  }
}

/** `generate --signal click --outputs K`: the multi-output reference (shared/stimulus/multi-output.ts), one channel per output. */
function generateMultiOutput(args: GenerateArgs & { out: string }, format: WavSampleFormat): string {
  if (args.signal !== 'click') throw new CliError(`--outputs works with --signal click only (each output plays its own clicks), not ${args.signal}`);
  const spec = usageErrors(() => resolveMultiOutputSpec({ outputs: integerOption('outputs', args.outputs, 2, MULTI_OUTPUT_MAX) as number, ...commonOptions(args) }));
  checkOutputTarget(args.out, args.force === true);
  const info = { ISFT: `Latency Lab ${SOFTWARE_VERSION}`, ICMT: multiOutputComment(spec) };
  checkSize(spec, spec.outputs, format, info);
  const bytes = encodeWav({ sampleRate: spec.sampleRate, channels: generateMultiOutputReference(spec).channels }, { format, info });
  write(args.out, bytes, args.force === true);
  return `Wrote ${args.out}: clicks for ${spec.outputs} outputs (channel k plays on output k, in turns), ${spec.durationS} s at ${spec.sampleRate} Hz, ${spec.levelDbfs} dBFS, seed ${spec.seed} (${format}).`;
}

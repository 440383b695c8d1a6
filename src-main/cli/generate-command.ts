/**
 * `latency-lab generate`: writes exactly the stimulus the app plays for the same settings, as a
 * WAV whose INFO comment records the settings (so `analyze` and reports know what was played).
 */
import { existsSync } from 'node:fs';
import { encodeWav, type WavSampleFormat } from '../../shared/io/wav-file';
import { generateStimulus, resolveStimulusSpec, STIMULUS_SIGNALS, stimulusComment, type StimulusSignal } from '../../shared/stimulus/stimulus';
import { SOFTWARE_VERSION } from '../../shared/primitives/version';
import { TargetExistsError, writeFileAtomic } from '../fs/atomic-write';
import { CliError, describeWriteError, integerOption, numberOption } from './cli-io';

export interface GenerateArgs {
  signal?: string;
  duration?: string;
  rate?: string;
  seed?: string;
  level?: string;
  out?: string;
  format?: string;
  force?: boolean;
}

const FORMATS: WavSampleFormat[] = ['float32', 'pcm16', 'pcm24', 'pcm32'];

export function generateCommand(args: GenerateArgs): string {
  if (!args.signal) throw new CliError(`generate needs --signal ${STIMULUS_SIGNALS.join('|')}`);
  if (!STIMULUS_SIGNALS.includes(args.signal as StimulusSignal)) throw new CliError(`unknown --signal "${args.signal}": use ${STIMULUS_SIGNALS.join(', ')}`);
  if (!args.out) throw new CliError('generate needs --out FILE.wav');
  const format = (args.format ?? 'float32') as WavSampleFormat;
  if (!FORMATS.includes(format)) throw new CliError(`unknown --format "${args.format}": use ${FORMATS.join(', ')}`);
  let spec;
  try {
    spec = resolveStimulusSpec({
      signal: args.signal as StimulusSignal,
      durationS: numberOption('duration', args.duration, 1, 3600),
      sampleRate: integerOption('rate', args.rate, 8000, 384000),
      seed: integerOption('seed', args.seed, 0, 2 ** 32 - 1),
      levelDbfs: numberOption('level', args.level, -60, 0),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(error.message);
    throw error;
  }
  if (!args.force && existsSync(args.out)) throw new CliError(`${args.out} already exists; use --force to replace it`);
  const samples = generateStimulus(spec);
  const bytes = encodeWav({ sampleRate: spec.sampleRate, channels: [samples] }, { format, info: { ISFT: `Latency Lab ${SOFTWARE_VERSION}`, ICMT: stimulusComment(spec) } });
  try {
    writeFileAtomic(args.out, bytes, { overwrite: args.force === true });
  } catch (error) {
    if (error instanceof TargetExistsError) throw new CliError(`${args.out} already exists; use --force to replace it`);
    throw new CliError(`cannot write ${args.out}: ${describeWriteError(args.out, error)}`);
  }
  return `Wrote ${args.out}: ${spec.signal}, ${spec.durationS} s at ${spec.sampleRate} Hz, ${spec.levelDbfs} dBFS, seed ${spec.seed} (${format}).`;
}

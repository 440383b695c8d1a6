/**
 * The A/V commands:
 *   latency-lab av-pattern --out F.mp4 [--duration S] [--fps N] [--force]
 *   latency-lab av-analyze --video F [--json] [--distance-m X] [--camera-offset-ms Y]
 *                          [--camera-offset-uncertainty-ms Z] [--camera-calibration-fps F] [--pattern-fps N] [--report R] [--title T]
 *                          [--setup S] [--force]
 *   latency-lab av-calibrate --video F [--reference-offset-ms X] [--reference-uncertainty-ms Y]
 *                          [--distance-m D] [--pattern-fps N] [--json]
 * --report writes a `latency-lab-av-report` (shared/report/av-report.ts), which the app's library
 * imports and `latency-lab report R --html F` renders.
 * They decode and encode asynchronously; `runAvCommand` sets the exit code when done (0 a result,
 * 1 refused, 2 bad usage or an unreadable file, 3 an internal error).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeAvRecording } from '../../shared/av/av-analysis';
import { calibrateAvCamera, type AvCalibrationOutput } from '../../shared/av/av-calibration';
import { describePattern, patternEventTimes, patternFrameLevel, renderPatternAudio, MAX_PATTERN_S } from '../../shared/av/av-pattern';
import { refusedOutput } from '../../shared/av/av-refusal';
import type { AvAnalysisOutput } from '../../shared/av/av-schema';
import { judgeAvAnalysis } from '../../shared/claims/av-judge';
import { SOFTWARE_VERSION } from '../../shared/primitives/version';
import { createAvReport } from '../../shared/report/av-report';
import { writeFileAtomic } from '../fs/atomic-write';
import { decodeRecording, UnsupportedCodecError, writeMp4 } from './av-media';
import { checkOutputTarget, CliError, describeFsError, integerOption, numberOption, oneLine, outputError, printable, printableJson } from './cli-io';

/** Starts an A/V command; the process's exit code is set when it finishes. */
export function runAvCommand(command: 'av-pattern' | 'av-analyze' | 'av-calibrate', args: string[]): number {
  const work = command === 'av-pattern' ? avPattern(args) : command === 'av-analyze' ? avAnalyze(args) : avCalibrate(args);
  work.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CliError) {
        process.stderr.write(`latency-lab: ${oneLine(error.message)}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`latency-lab: internal error: ${oneLine((error as Error).message ?? String(error))} (please report this)\n`);
        process.exitCode = 3;
      }
    },
  );
  return 0;
}

function parse<T>(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): T {
  // A negative number after a string option is its value ("--camera-offset-ms -12").
  const fixed: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = /^--([^=]+)$/.exec(args[i])?.[1];
    if (name !== undefined && options[name]?.type === 'string' && /^-(\d|\.\d)/.test(args[i + 1] ?? '')) {
      fixed.push(`${args[i]}=${args[i + 1]}`);
      i++;
    } else fixed.push(args[i]);
  }
  try {
    return parseArgs({ args: fixed, options, strict: true, allowPositionals: false }).values as T;
  } catch (error) {
    throw new CliError(`${(error as Error).message.replace(/\s*\n\s*/g, ' ')} (latency-lab --help for usage)`);
  }
}

interface PatternArgs { out?: string; duration?: string; fps?: string; force?: boolean; width?: string; height?: string }

async function avPattern(args: string[]): Promise<number> {
  const values = parse<PatternArgs>(args, { out: { type: 'string' }, duration: { type: 'string' }, fps: { type: 'string' }, force: { type: 'boolean' }, width: { type: 'string' }, height: { type: 'string' } });
  if (!values.out) throw new CliError('av-pattern needs --out FILE.mp4');
  const durationS = numberOption('duration', values.duration, 5, MAX_PATTERN_S) ?? 60;
  const fps = integerOption('fps', values.fps, 24, 120) ?? 60;
  const width = integerOption('width', values.width, 64, 3840) ?? 1920;
  const height = integerOption('height', values.height, 64, 2160) ?? 1080;
  if (width % 2 || height % 2) throw new CliError('--width and --height must be even');
  checkOutputTarget(values.out, values.force ?? false);
  const times = patternEventTimes(durationS);
  const sampleRate = 48000;
  const frameCount = Math.round(durationS * fps);
  // Written beside the target and renamed into place, so a failed export leaves nothing half-written.
  const temporary = `${values.out}.partial-${process.pid}.mp4`;
  try {
    await writeMp4(temporary, {
      width,
      height,
      fps,
      frameCount,
      renderLuma: (i, luma) => luma.fill(Math.round(255 * patternFrameLevel(times, i, fps))),
      audio: renderPatternAudio(times, sampleRate, Math.round(durationS * sampleRate)),
      sampleRate,
      bitrate: 4_000_000,
    });
    renameSync(temporary, values.out);
  } catch (error) {
    try {
      if (existsSync(temporary)) (await import('node:fs')).rmSync(temporary);
    } catch {
      // Nothing more to clean up.
    }
    if (error instanceof CliError) throw error;
    throw outputError(values.out, error);
  }
  process.stdout.write(`${printable(`${describePattern(durationS, fps)}\nWrote ${values.out} (${width} × ${height}, H.264 + AAC, ${(statSync(values.out).size / 1e6).toFixed(1)} MB)`)}\n`);
  return 0;
}

interface AnalyzeArgs {
  video?: string; json?: boolean; 'distance-m'?: string; 'camera-offset-ms'?: string; 'camera-offset-uncertainty-ms'?: string;
  'camera-calibration-fps'?: string; 'pattern-fps'?: string; report?: string; force?: boolean; progress?: boolean; title?: string; setup?: string;
}

async function avAnalyze(args: string[]): Promise<number> {
  const values = parse<AnalyzeArgs>(args, {
    video: { type: 'string' }, json: { type: 'boolean' }, 'distance-m': { type: 'string' }, 'camera-offset-ms': { type: 'string' },
    'camera-offset-uncertainty-ms': { type: 'string' }, 'camera-calibration-fps': { type: 'string' }, 'pattern-fps': { type: 'string' }, report: { type: 'string' },
    force: { type: 'boolean' }, progress: { type: 'boolean' }, title: { type: 'string' }, setup: { type: 'string' },
  });
  if (values.title !== undefined && values.title.length > 200) throw new CliError(`--title is ${values.title.length} characters long; at most 200 fit in a report`);
  if (values.setup !== undefined && values.setup.length > 500) throw new CliError(`--setup is ${values.setup.length} characters long; at most 500 fit in a report`);
  if ((values.title !== undefined || values.setup !== undefined) && !values.report) throw new CliError('--title and --setup go into the report; add --report FILE.json');
  if (!values.video) throw new CliError('av-analyze needs --video FILE (MP4, MOV or WebM)');
  const distanceM = numberOption('distance-m', values['distance-m'], 0, 100) ?? 0;
  const cameraOffsetMs = numberOption('camera-offset-ms', values['camera-offset-ms'], -1000, 1000) ?? null;
  const cameraOffsetUncertaintyMs = numberOption('camera-offset-uncertainty-ms', values['camera-offset-uncertainty-ms'], 0, 1000) ?? 0;
  const patternFps = numberOption('pattern-fps', values['pattern-fps'], 24, 240) ?? 60;
  const cameraCalibrationFps = numberOption('camera-calibration-fps', values['camera-calibration-fps'], 1, 2000);
  if (cameraCalibrationFps !== undefined && cameraOffsetMs === null) throw new CliError('--camera-calibration-fps goes with --camera-offset-ms (the frame rate that offset was calibrated at)');
  if (values.report) checkOutputTarget(values.report, values.force ?? false);
  try {
    const stats = statSync(values.video);
    if (!stats.isFile()) throw new CliError(`cannot read ${values.video}: it is not a regular file`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${values.video}: ${describeFsError(error)}`);
  }
  let output: AvAnalysisOutput;
  let codecName: string | null = null;
  try {
    const decoded = await decodeRecording(values.video, values.progress ? (p) => process.stderr.write(`\rdecoding ${(100 * p.fraction).toFixed(0)} % (${p.framesDecoded} frames)`) : undefined);
    if (values.progress) process.stderr.write('\n');
    codecName = decoded.codec === 'none' ? null : decoded.codec;
    output = decoded.video.frameCount === 0
      ? refusedOutput('NO_VIDEO', `${values.video} has no video track.`)
      : analyzeAvRecording(decoded.video, decoded.audio, {
        distanceM, cameraOffsetMs, cameraOffsetUncertaintyMs, patternFps, timestampResolutionS: decoded.timestampResolutionS,
        ...(cameraCalibrationFps !== undefined ? { cameraCalibrationFps } : {}),
      });
  } catch (error) {
    if (!(error instanceof UnsupportedCodecError)) throw error;
    output = refusedOutput('CODEC_UNSUPPORTED', `${values.video}: ${error.message}.`);
  }
  output = judgeAvAnalysis(output);
  if (values.json) process.stdout.write(`${printableJson(output)}\n`);
  else process.stdout.write(`${printable(formatAv(output))}\n`);
  if (values.report) {
    const report = createAvReport({
      id: randomUUID(),
      title: printable(values.title ?? ''),
      softwareVersion: SOFTWARE_VERSION,
      source: 'cli',
      settings: {
        source: 'cli',
        videoFile: printable(basename(values.video)).slice(0, 500),
        codec: codecName === null ? null : printable(codecName).slice(0, 100),
        setupDescription: printable(values.setup ?? ''),
        distanceM,
        cameraOffsetMs,
        cameraOffsetUncertaintyMs: cameraOffsetMs === null ? 0 : cameraOffsetUncertaintyMs,
        cameraName: null,
        patternFps,
      },
      analysis: output,
    });
    try {
      writeFileAtomic(values.report, `${JSON.stringify(report, null, 2)}\n`, { overwrite: values.force ?? false });
    } catch (error) {
      throw outputError(values.report, error);
    }
  }
  return output.status === 'ok' ? 0 : 1;
}

interface CalibrateArgs {
  video?: string; json?: boolean; 'distance-m'?: string; 'reference-offset-ms'?: string; 'reference-uncertainty-ms'?: string; 'pattern-fps'?: string; progress?: boolean;
}

/** The camera's own A/V offset from a recording of the pattern on a display and speaker whose offset is known. */
async function avCalibrate(args: string[]): Promise<number> {
  const values = parse<CalibrateArgs>(args, {
    video: { type: 'string' }, json: { type: 'boolean' }, 'distance-m': { type: 'string' }, 'reference-offset-ms': { type: 'string' },
    'reference-uncertainty-ms': { type: 'string' }, 'pattern-fps': { type: 'string' }, progress: { type: 'boolean' },
  });
  if (!values.video) throw new CliError('av-calibrate needs --video FILE (the pattern filmed on a display and speaker whose A/V offset is known)');
  const distanceM = numberOption('distance-m', values['distance-m'], 0, 100) ?? 0;
  const referenceOffsetMs = numberOption('reference-offset-ms', values['reference-offset-ms'], -1000, 1000) ?? 0;
  const referenceUncertaintyMs = numberOption('reference-uncertainty-ms', values['reference-uncertainty-ms'], 0, 100) ?? 0;
  const patternFps = numberOption('pattern-fps', values['pattern-fps'], 24, 240) ?? 60;
  try {
    if (!statSync(values.video).isFile()) throw new CliError(`cannot read ${values.video}: it is not a regular file`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${values.video}: ${describeFsError(error)}`);
  }
  let output: AvCalibrationOutput;
  try {
    const decoded = await decodeRecording(values.video, values.progress ? (p) => process.stderr.write(`\rdecoding ${(100 * p.fraction).toFixed(0)} % (${p.framesDecoded} frames)`) : undefined);
    if (values.progress) process.stderr.write('\n');
    if (decoded.video.frameCount === 0) {
      const refusal = refusedOutput('NO_VIDEO', `${values.video} has no video track.`);
      output = { status: 'refused', error: refusal.error!, warnings: [] };
    } else {
      output = calibrateAvCamera(decoded.video, decoded.audio, { distanceM, referenceOffsetMs, referenceUncertaintyMs, patternFps, timestampResolutionS: decoded.timestampResolutionS });
    }
  } catch (error) {
    if (!(error instanceof UnsupportedCodecError)) throw error;
    output = { status: 'refused', error: refusedOutput('CODEC_UNSUPPORTED', `${values.video}: ${error.message}.`).error!, warnings: [] };
  }
  if (values.json) process.stdout.write(`${printableJson(output)}\n`);
  else process.stdout.write(`${printable(formatCalibration(output))}\n`);
  return output.status === 'ok' ? 0 : 1;
}

export function formatCalibration(output: AvCalibrationOutput): string {
  if (output.status !== 'ok') return `Refused   ${output.error.code}: ${output.error.message}\nAdvice    ${output.error.advice}`;
  const c = output.calibration;
  const lines = [
    `Camera offset ${c.cameraOffsetMs.toFixed(2)} ms ± ${c.uncertaintyMs.toFixed(2)} ms (${c.cameraOffsetMs >= 0 ? 'it records sound late' : 'it records sound early'}; ${c.count} events at ${c.videoFps.toFixed(1)} fps)`,
    `Measured  ${c.measuredOffsetMs.toFixed(2)} ms − the reference's known ${c.referenceOffsetMs.toFixed(2)} ms (± ${c.referenceUncertaintyMs.toFixed(2)}); travel ${c.travelMs.toFixed(2)} ms subtracted`,
    `Use it    latency-lab av-analyze --video F --camera-offset-ms ${c.cameraOffsetMs.toFixed(2)} --camera-offset-uncertainty-ms ${c.uncertaintyMs.toFixed(2)} --camera-calibration-fps ${c.videoFps.toFixed(2)} (the same camera, filmed at ${c.videoFps.toFixed(0)} fps)`,
  ];
  for (const w of output.warnings) lines.push(`Warning   ${w.message}`);
  return lines.join('\n');
}

export function formatAv(output: AvAnalysisOutput): string {
  if (output.status !== 'ok' || !output.av) {
    return `Refused   ${output.error?.code}: ${output.error?.message}\nAdvice    ${output.error?.advice}`;
  }
  const av = output.av;
  const lines = [
    `A/V offset ${av.offsetMs.toFixed(1)} ms ± ${av.uncertaintyMs.toFixed(1)} ms (${av.offsetMs >= 0 ? 'sound late' : 'sound early'}; median of ${av.count} events, spread ${av.stdMs.toFixed(1)} ms)`,
    `Recording  ${av.videoWidth} × ${av.videoHeight} at ${av.videoFps.toFixed(1)} fps, ${av.durationS.toFixed(1)} s; screen ${(100 * av.screen.width).toFixed(0)} × ${(100 * av.screen.height).toFixed(0)} % of the picture`,
    `Corrected  travel ${av.travelMs.toFixed(1)} ms (${av.distanceM} m), camera ${av.cameraCalibrated ? `${av.cameraOffsetMs.toFixed(1)} ms` : 'not calibrated'}`,
    `Uncertainty statistical ${av.uncertaintyBudget.statisticalMs.toFixed(2)}, display frame hold ${av.uncertaintyBudget.displayRefreshMs.toFixed(2)}, camera ${av.uncertaintyBudget.cameraMs.toFixed(2)}, rolling shutter ${av.uncertaintyBudget.rollingShutterMs.toFixed(2)} ms`,
  ];
  for (const v of output.lipSync?.verdicts ?? []) lines.push(`${v.pass ? 'PASS' : 'FAIL'}${v.decisive ? '' : '?'}      ${v.summary}`);
  if (output.lipSync?.claim) lines.push(`Claim     ${output.lipSync.claim.summary}`);
  for (const w of output.warnings) lines.push(`Warning   ${w.message}`);
  return lines.join('\n');
}

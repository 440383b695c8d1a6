/**
 * `latency-lab analyze`: reference + capture (or one stereo capture with a loopback channel) →
 * latency statistics, frequency response, verdicts; as text or one JSON object; optionally a
 * full report file.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { refusal } from '../../shared/analysis/analysis-refusal';
import { measureCapture } from '../../shared/analysis/analyze-capture';
import { type AnalysisOutput, judgeAnalysis } from '../../shared/claims/judge';
import { type Claim, createCustomClaim, findClaim } from '../../shared/claims/claims-catalogue';
import type { CorrelationZoom } from '../../shared/analysis/correlation-zoom';
import { SMOOTHING_FRACTIONS, type SmoothingFraction } from '../../shared/analysis/frequency-response';
import { MicCalibrationError, parseMicCalibration, type MicCalibration } from '../../shared/analysis/mic-calibration';
import { createReport, type Report, type ReportGroup, type ReportInput } from '../../shared/report/report-schema';
import { outputsGroup, speakersGroup, type SyncTolerance, syncTolerance } from '../../shared/report/report-group';
import { MULTI_ROOM_CLAIM_IDS, outputsEvidence, speakersEvidence, spreadClaimVerdict, type SyncSpreadEvidence } from '../../shared/claims/multi-room';
import { parseStimulusComment } from '../../shared/stimulus/stimulus';
import { analyzeMultiOutput, type MultiOutputAnalysis } from '../../shared/analysis/multi-output';
import { parseMultiOutputComment } from '../../shared/stimulus/multi-output';
import { analyzeMultiSpeaker, type MultiSpeakerResult } from '../../shared/analysis/multi-speaker';
import { NotRegularFileError, TargetExistsError, writeFileAtomic } from '../fs/atomic-write';
import { checkOutputTarget, CliError, describeWriteError, integerOption, numberOption, oneLine, readInputText, readWavInput, type WavInput } from './cli-io';

export interface AnalyzeArgs {
  reference?: string;
  capture?: string;
  'reference-channel'?: string;
  'capture-channel'?: string;
  json?: boolean;
  'baseline-ms'?: string;
  method?: string;
  profile?: string;
  'mic-cal'?: string;
  'video-latency-ms'?: string;
  'max-latency-ms'?: string;
  weighting?: string;
  smoothing?: string;
  report?: string;
  title?: string;
  setup?: string;
  force?: boolean;
  /**
   * Several outputs or speakers: the largest spread between them that counts as in sync, ms, or
   * `stereo-pair` (10 ms, the default) or `rooms` (40 ms).
   */
  'sync-tolerance-ms'?: string;
  /** One signal on several speakers: how many play (their arrivals are told apart in the one capture). */
  speakers?: string;
}

export interface AnalyzeRun {
  output: AnalysisOutput;
  claim: Claim | null;
  reportPath: string | null;
  /** Why the --report file could not be written (the result is still printed). */
  reportError: string | null;
}

function loadClaim(args: AnalyzeArgs): Claim | null {
  if (args.method && args.profile) throw new CliError('use either --method or --profile, not both');
  if (args.method) {
    const claim = findClaim(args.method);
    if (!claim) throw new CliError(`unknown --method "${args.method}"; run "latency-lab methods" for the list`);
    return claim;
  }
  if (args.profile) {
    const text = readInputText(args.profile, 'profile', 1024 * 1024);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      // One line: V8's message quotes the text it failed on, line breaks and all.
      throw new CliError(`profile ${args.profile} is not valid JSON: ${oneLine((error as Error).message)}`);
    }
    // The usage documents {"name", "minMs"?, "maxMs", "statistic"?}: without a "type", a profile
    // with a minimum is a range and one without is "up to".
    if (typeof data === 'object' && data !== null && !Array.isArray(data) && !('type' in data)) data = { ...data, type: 'minMs' in data ? 'range' : 'up-to' };
    const result = createCustomClaim(data);
    if (!result.ok) throw new CliError(`profile ${args.profile} is invalid: ${oneLine(result.errors.join('; '))}`);
    return result.claim;
  }
  return null;
}

function loadMicCalibration(path: string | undefined): MicCalibration | undefined {
  if (!path) return undefined;
  const text = readInputText(path, 'microphone calibration', 10 * 1024 * 1024);
  try {
    return parseMicCalibration(text);
  } catch (error) {
    if (error instanceof MicCalibrationError) throw new CliError(`microphone calibration ${path}: ${error.message}`);
    throw error;
  }
}

/** What analyze prints for a multi-output reference (see shared/analysis/multi-output.ts). */
export interface MultiOutputRun {
  multiOutput: MultiOutputAnalysis;
  /** Where --report wrote the report (null without --report). */
  reportPath: string | null;
  /** Why the --report file could not be written (the result is still printed). */
  reportError: string | null;
}

/** What analyze prints with --speakers N (see shared/analysis/multi-speaker.ts). */
export interface MultiSpeakerRun {
  multiSpeaker: MultiSpeakerResult;
  reportPath: string | null;
  reportError: string | null;
}

/** --sync-tolerance-ms: a number of ms (a custom tolerance) or the name of a default; stereo-pair without it. */
function syncToleranceOption(value: string | undefined): SyncTolerance {
  if (value === undefined || value === 'stereo-pair') return syncTolerance('stereo-pair');
  if (value === 'rooms') return syncTolerance('rooms');
  const ms = numberOption('sync-tolerance-ms', value, 0.1, 10000);
  return syncTolerance('custom', ms);
}

/** The report's settings and signal for the options given (shared by one output and several). */
function reportFrame(args: AnalyzeArgs, options: { claim: Claim | null; referenceChannel?: number; baselineMs?: number; videoLatencyMs: number; maxLatencyMs: number; weighting: 'phat' | 'none'; smoothing: SmoothingFraction; referenceInfo?: Record<string, string>; referenceRate: number; referenceFrames: number }): Omit<ReportInput, 'analysis'> {
  const stimulus = parseStimulusComment(options.referenceInfo?.ICMT);
  const multi = parseMultiOutputComment(options.referenceInfo?.ICMT);
  const claim = options.claim;
  return {
    id: randomUUID(),
    title: args.title ?? `${basename(args.capture as string)}${claim ? ` vs ${claim.name}` : ''}`,
    createdAt: new Date().toISOString(),
    source: 'cli',
    settings: {
      mode: options.referenceChannel !== undefined ? 'dual-channel' : 'single',
      inputDevice: null,
      outputDevice: null,
      setupDescription: args.setup ?? '',
      claimId: claim?.id ?? null,
      claim,
      baselineMs: options.baselineMs ?? null,
      videoLatencyMs: options.videoLatencyMs,
      maxLatencyMs: options.maxLatencyMs,
      weighting: options.weighting,
      smoothing: options.smoothing,
      micCalibrationFile: args['mic-cal'] ? basename(args['mic-cal']) : null,
      captureSettings: null,
    },
    signal: {
      kind: stimulus?.signal ?? (multi ? 'click' : 'file'),
      sampleRate: options.referenceRate,
      durationS: options.referenceFrames / options.referenceRate,
      levelDbfs: stimulus?.levelDbfs ?? multi?.levelDbfs ?? null,
      seed: stimulus?.seed ?? multi?.seed ?? null,
      referenceFile: args.reference ? basename(args.reference) : null,
      captureFile: basename(args.capture as string),
    },
  };
}

/** Writes the report atomically; the reason it could not be written, or null. */
function writeReport(path: string, report: Report, force: boolean): string | null {
  try {
    writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`, { overwrite: force });
    return null;
  } catch (error) {
    return error instanceof TargetExistsError
      ? `${path} already exists; use --force to replace it`
      : error instanceof NotRegularFileError
        ? `cannot write the report: ${error.message}`
        : `cannot write report ${path}: ${describeWriteError(path, error)}`;
  }
}

/**
 * The report of a run of several outputs or speakers: `analysis` is the ordinary one-output
 * analysis of the capture against the whole click train (see report-schema.ts), `group` the
 * per-output or per-speaker results. Throws CliError when it cannot be written.
 */
function writeGroupReport(args: AnalyzeArgs, frame: Omit<ReportInput, 'analysis'>, train: Float32Array, capture: Float32Array, sampleRate: number, group: ReportGroup, options: { maxLatencyMs: number; weighting: 'phat' | 'none'; smoothing: SmoothingFraction }): { reportPath: string | null; reportError: string | null } {
  const pass = measureCapture(train, capture, sampleRate, { weighting: options.weighting, maxLatencyMs: options.maxLatencyMs, minLatencyMs: -50, smoothing: options.smoothing });
  const report = createReport({ ...frame, analysis: judgeAnalysis(pass.output, {}), correlationZoom: pass.zoom, group });
  const reportError = writeReport(args.report as string, report, args.force === true);
  return { reportPath: reportError === null ? (args.report as string) : null, reportError };
}

export function analyzeCommand(args: AnalyzeArgs): AnalyzeRun | MultiOutputRun | MultiSpeakerRun {
  if (!args.capture) throw new CliError('analyze needs --capture CAP.wav (and --reference REF.wav, or --reference-channel N for a stereo capture with a loopback channel)');
  const referenceChannel = integerOption('reference-channel', args['reference-channel'], 1, 64);
  if (!args.reference && referenceChannel === undefined) throw new CliError('analyze needs --reference REF.wav, or --reference-channel N when the capture holds an electrical loopback');
  if (args.reference && referenceChannel !== undefined) throw new CliError('use either --reference or --reference-channel, not both');
  const captureChannelOption = integerOption('capture-channel', args['capture-channel'], 1, 64);
  const baselineMs = numberOption('baseline-ms', args['baseline-ms'], -10000, 10000);
  const videoLatencyMs = numberOption('video-latency-ms', args['video-latency-ms'], -10000, 10000) ?? 0;
  const maxLatencyMs = numberOption('max-latency-ms', args['max-latency-ms'], 10, 10000) ?? 2000;
  const weighting = args.weighting ?? 'phat';
  if (weighting !== 'phat' && weighting !== 'none') throw new CliError(`unknown --weighting "${weighting}": use phat or none`);
  const smoothingValue = integerOption('smoothing', args.smoothing, 0, 48) ?? 12;
  if (!SMOOTHING_FRACTIONS.includes(smoothingValue as SmoothingFraction)) throw new CliError(`--smoothing must be one of ${SMOOTHING_FRACTIONS.join(', ')} (1/N octave; 0 = none), got ${smoothingValue}`);
  const smoothing = smoothingValue as SmoothingFraction;
  // The report's limits (report-schema.ts), checked up front: an invalid report is otherwise an internal error.
  if (args.title !== undefined && args.title.length > 200) throw new CliError(`--title is ${args.title.length} characters long; at most 200 fit in a report`);
  if (args.setup !== undefined && args.setup.length > 500) throw new CliError(`--setup is ${args.setup.length} characters long; at most 500 fit in a report`);
  const speakers = integerOption('speakers', args.speakers, 1, 8);
  if (speakers !== undefined) {
    if (args.report && speakers < 2) throw new CliError('a report of one stream on several speakers needs --speakers 2 or more (for one speaker, leave out --speakers)');
    for (const option of ['baseline-ms', 'method', 'profile', 'video-latency-ms', 'mic-cal'] as const) {
      if (args[option] !== undefined) throw new CliError(`--${option} is not supported with --speakers yet`);
    }
  }
  const claim = loadClaim(args);
  const micCalibration = loadMicCalibration(args['mic-cal']);
  // Checked before the analysis so a long run is not wasted; the write itself refuses too.
  if (args.report) checkOutputTarget(args.report, args.force === true);

  // Only the channels analysed are decoded, and each file's bytes are dropped once they are.
  const captureFile: WavInput = readWavInput(args.capture, 'capture');
  const captureLayout = captureFile.layout;
  let reference: Float32Array;
  let capture: Float32Array;
  let referenceRate: number;
  let referenceInfo: Record<string, string> | undefined;
  const warnings: AnalysisOutput['warnings'] = [];
  if (referenceChannel !== undefined) {
    if (captureLayout.channelCount < 2) throw new CliError(`--reference-channel needs a capture with two or more channels; ${args.capture} has 1`);
    let captureChannel = captureChannelOption;
    if (captureChannel === undefined) {
      if (captureLayout.channelCount > 2) throw new CliError(`${args.capture} has ${captureLayout.channelCount} channels: say which is the microphone with --capture-channel N`);
      captureChannel = referenceChannel === 1 ? 2 : 1;
    }
    if (captureChannel === referenceChannel) throw new CliError('--capture-channel and --reference-channel must differ');
    reference = captureFile.channel(referenceChannel, 'reference-channel');
    capture = captureFile.channel(captureChannel, 'capture-channel');
    captureFile.release();
    referenceRate = captureLayout.sampleRate;
  } else {
    capture = captureFile.channel(captureChannelOption ?? 1, 'capture-channel');
    captureFile.release();
    const referenceFile = readWavInput(args.reference as string, 'reference');
    // A reference `generate --outputs K` wrote: every channel is one output, all analysed.
    const multiSpec = parseMultiOutputComment(referenceFile.layout.info?.ICMT);
    if (multiSpec && referenceFile.layout.channelCount === multiSpec.outputs) {
      const channels = Array.from({ length: multiSpec.outputs }, (_, k) => referenceFile.channel(k + 1, 'reference'));
      referenceFile.release();
      const rate = referenceFile.layout.sampleRate;
      const tolerance = syncToleranceOption(args['sync-tolerance-ms']);
      const multiOutput = analyzeMultiOutputReference(args, channels, rate, capture, captureLayout.sampleRate, warnings, maxLatencyMs, weighting, tolerance);
      let written: { reportPath: string | null; reportError: string | null } = { reportPath: null, reportError: null };
      if (args.report && rate === captureLayout.sampleRate) {
        const frame = reportFrame(args, { claim: null, videoLatencyMs, maxLatencyMs, weighting, smoothing, referenceInfo: referenceFile.layout.info, referenceRate: rate, referenceFrames: channels[0].length });
        const train = new Float32Array(channels[0].length);
        for (const channel of channels) for (let i = 0; i < train.length; i++) train[i] += channel[i];
        const group = outputsGroup(multiOutput, channels.map((_, k) => ({ channel: k + 1, device: null })), tolerance);
        written = writeGroupReport(args, frame, train, capture, rate, group, { maxLatencyMs, weighting, smoothing });
      } else if (args.report) {
        throw new CliError(`the reference is at ${rate} Hz and the capture at ${captureLayout.sampleRate} Hz: no report can be made; record at the reference's rate`);
      }
      return { multiOutput, ...written };
    }
    reference = referenceFile.channel(1, 'reference');
    referenceFile.release();
    referenceInfo = referenceFile.layout.info;
    const referenceChannels = referenceFile.layout.channelCount;
    if (referenceChannels > 1) warnings.push({ code: 'STEREO_INPUT', message: `The reference has ${referenceChannels} channels; channel 1 was used as the stimulus.` });
    if (captureLayout.channelCount > 1 && captureChannelOption === undefined) {
      warnings.push({ code: 'STEREO_INPUT', message: `The capture has ${captureLayout.channelCount} channels; channel 1 was analysed (choose with --capture-channel N).` });
    }
    referenceRate = referenceFile.layout.sampleRate;
  }

  if (speakers !== undefined) {
    if (referenceRate !== captureLayout.sampleRate) throw new CliError(`the reference is at ${referenceRate} Hz and the capture at ${captureLayout.sampleRate} Hz: record at the reference's rate`);
    const tolerance = syncToleranceOption(args['sync-tolerance-ms']);
    const speakerMaxMs = numberOption('max-latency-ms', args['max-latency-ms'], 10, 10000) ?? 1000;
    const multiSpeaker = analyzeMultiSpeaker(reference, capture, referenceRate, { speakers, maxLatencyMs: speakerMaxMs });
    let written: { reportPath: string | null; reportError: string | null } = { reportPath: null, reportError: null };
    if (args.report) {
      const frame = reportFrame(args, { claim: null, videoLatencyMs, maxLatencyMs: speakerMaxMs, weighting, smoothing, referenceInfo, referenceRate, referenceFrames: reference.length });
      written = writeGroupReport(args, frame, reference, capture, referenceRate, speakersGroup(multiSpeaker, speakers, tolerance), { maxLatencyMs: speakerMaxMs, weighting, smoothing });
    }
    return { multiSpeaker, ...written };
  }

  let output: AnalysisOutput;
  let zoom: CorrelationZoom | null = null;
  if (referenceRate !== captureLayout.sampleRate) {
    const r = refusal('SAMPLE_RATE_MISMATCH', `The reference is at ${referenceRate} Hz and the capture at ${captureLayout.sampleRate} Hz.`);
    output = { status: 'refused', error: r, warnings };
  } else {
    const pass = measureCapture(reference, capture, captureLayout.sampleRate, {
      weighting,
      maxLatencyMs,
      minLatencyMs: referenceChannel !== undefined ? -Math.min(500, maxLatencyMs) : -50,
      baselineMs,
      micCalibration,
      smoothing,
    });
    output = judgeAnalysis(pass.output, { claim, videoLatencyMs });
    zoom = pass.zoom;
    output.warnings.unshift(...warnings);
  }

  let reportPath: string | null = null;
  let reportError: string | null = null;
  if (args.report) {
    const frame = reportFrame(args, { claim, referenceChannel, baselineMs, videoLatencyMs, maxLatencyMs, weighting, smoothing, referenceInfo, referenceRate, referenceFrames: reference.length });
    const report: Report = createReport({ ...frame, analysis: output, correlationZoom: zoom });
    reportError = writeReport(args.report, report, args.force === true);
    if (reportError === null) reportPath = args.report;
  }
  return { output, claim, reportPath, reportError };
}

/** The multi-output branch of analyze: options that only make sense for one output are refused up front. */
function analyzeMultiOutputReference(
  args: AnalyzeArgs, channels: Float32Array[], referenceRate: number, capture: Float32Array, captureRate: number,
  warnings: AnalysisOutput['warnings'], maxLatencyMs: number, weighting: 'phat' | 'none', tolerance: SyncTolerance,
): MultiOutputAnalysis {
  if (args.speakers !== undefined) throw new CliError('--speakers is for one signal on several speakers (a one-channel reference); this reference has one channel per output');
  for (const option of ['baseline-ms', 'method', 'profile', 'video-latency-ms'] as const) {
    if (args[option] !== undefined) throw new CliError(`--${option} is not supported with a multi-output reference yet`);
  }
  const syncToleranceMs = tolerance.toleranceMs;
  if (referenceRate !== captureRate) {
    const r = refusal('SAMPLE_RATE_MISMATCH', `The reference is at ${referenceRate} Hz and the capture at ${captureRate} Hz.`);
    return { status: 'refused', outputs: [], sync: null, warnings: [...warnings, { code: 'OUTPUT_REFUSED', message: `${r.message} ${r.advice}` }] };
  }
  const result = analyzeMultiOutput(channels, capture, captureRate, { maxLatencyMs, weighting, syncToleranceMs });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

const fixed = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '—' : v.toFixed(digits));

/** The spread judged against the catalogue's multi-room claims, a line each (none without a spread). */
function claimLines(evidence: SyncSpreadEvidence | null): string[] {
  if (!evidence) return [];
  return MULTI_ROOM_CLAIM_IDS.flatMap((id) => {
    const claim = findClaim(id);
    return claim ? [`Claim     ${spreadClaimVerdict(claim, evidence).summary}`] : [];
  });
}

/** The text summary of a multi-output run. */
export function formatMultiOutput(result: MultiOutputAnalysis): string {
  const lines: string[] = [];
  for (const o of result.outputs) {
    if (o.status !== 'ok' || !o.latency) {
      lines.push(`Output ${o.channel}  refused: ${o.error?.message ?? 'no result'}`);
      continue;
    }
    lines.push(
      `Output ${o.channel}  latency ${fixed(o.latency.medianMs, 2)} ms (median of ${o.latency.count}, ${o.latency.dropouts} dropouts), ` +
        `drift ${fixed(o.drift?.ppm)} ppm, level ${fixed(o.levelDb)} dB, offset from first ${fixed(o.offsetFromFirstMs, 2)} ms`,
    );
  }
  const sync = result.sync;
  if (sync) {
    for (const p of sync.pairs) {
      lines.push(`Sync      output ${p.channel} vs ${sync.firstChannel}: ${fixed(p.offsetStartMs, 2)} ms at the start, ${fixed(p.offsetEndMs, 2)} ms at the end, relative drift ${fixed(p.relativeDriftPpm)} ppm (${fixed(p.relativeDriftMsPerMinute, 2)} ms per minute)`);
    }
    lines.push(`Sync      spread up to ${fixed(sync.maxSpreadMs, 2)} ms over ${fixed(sync.runS, 0)} s: ${sync.withinTolerance ? 'within' : 'beyond'} ±${sync.toleranceMs} ms`);
  }
  lines.push(...claimLines(outputsEvidence(result)));
  // A refused output is on its own line already.
  for (const w of result.warnings) if (w.code !== 'OUTPUT_REFUSED') lines.push(`Warning   ${w.message}`);
  for (const o of result.outputs) for (const w of o.warnings) lines.push(`Warning   output ${o.channel}: ${w.message}`);
  return `${lines.join('\n')}\n`;
}

/** The text summary of a multi-speaker run. */
export function formatMultiSpeaker(result: MultiSpeakerResult): string {
  if (result.status !== 'ok') return `Refused   ${result.message}\n`;
  const lines = result.speakers.map(
    (s, k) => `Speaker ${k + 1} latency ${fixed(s.latencyMs, 2)} ms, level ${fixed(s.levelDb)} dB, drift ${fixed(s.driftPpm)} ppm (${s.events} clicks, ${s.dropouts} dropouts)`,
  );
  lines.push(`Spread    ${fixed(result.syncSpreadMs, 2)} ms between the first and the last arrival`);
  lines.push(...claimLines(speakersEvidence(result)));
  for (const w of result.warnings) lines.push(`Warning   ${w.message}`);
  return `${lines.join('\n')}\n`;
}

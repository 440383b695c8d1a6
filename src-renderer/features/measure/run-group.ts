/**
 * Runs of several outputs or speakers (issue 11), from start to report, through the page's shared
 * audio session (one clock with the microphone):
 * - several outputs: the multi-output click reference (one channel per output, generated in the
 *   worker) played on separate devices or on the channels of one device (audio/group-playback.ts),
 *   recorded, analysed per output (analyzeOutputs);
 * - one stream on N speakers: the ordinary click train, analysed for N arrivals (analyzeSpeakers);
 * - guided: one such run next to each speaker (`runGuidedStep`), combined by the page
 *   (`guidedMeasurement`, shared/analysis/guided-speakers.ts).
 * Every run also gets the ordinary one-output analysis of the whole click train, which is the
 * report's `analysis` (report-schema.ts). Nothing is saved here.
 */
import type { SpeakerArrival } from '../../../shared/analysis/multi-speaker';
import { guidedGroup, outputsGroup, speakersGroup, type SyncTolerance } from '../../../shared/report/report-group';
import { parseReport, type Report, type ReportGroup } from '../../../shared/report/report-schema';
import { resolveStimulusSpec } from '../../../shared/stimulus/stimulus';
import { resolveMultiOutputSpec } from '../../../shared/stimulus/multi-output';
import type { DeviceOption } from '../../audio/devices';
import { closeExtraOutputs, type ExtraOutput, openExtraOutputs } from '../../audio/group-playback';
import { type AudioSession, isCancellation, MeasurementCancelledError, type RecordProgress } from '../../audio/measurement-session';
import type { OpenMeasurement } from '../../navigation/open-measurement';
import type { AnalysisClient } from '../../worker/worker-client';
import type { AnalyzeParams } from '../../worker/worker-contract';
import { buildMeasurementReport } from './build-report';
import type { GroupSetup } from './group-setup';
import { MAX_LATENCY_MS, type MeasureSetup } from './measure-setup';
import { type RunStage, tailFramesFor } from './run-measurement';
import type { SharedAudioSession } from './use-audio-session';

/** Longest latency searched for the arrivals of one stream on several speakers (the CLI's default), ms. */
export const SPEAKERS_MAX_LATENCY_MS = 1000;

export interface GroupRunRequest {
  group: GroupSetup;
  tolerance: SyncTolerance;
  setup: MeasureSetup;
  input: DeviceOption;
  /** The page's output: plays output 1 (or every channel). */
  output: DeviceOption;
  /** Separate devices: the further outputs, in order (output 2, 3, …). */
  extraOutputs: DeviceOption[];
  client: AnalysisClient;
  sharedSession: SharedAudioSession;
  signal: AbortSignal;
  onStage?(stage: RunStage): void;
  onProgress?(progress: RecordProgress): void;
}

interface Recorded {
  capture: Float32Array;
  sampleRate: number;
  inputLabel: string;
  captureSettings: Report['settings']['captureSettings'];
  notes: string[];
}

const levelOf = (setup: MeasureSetup): number => (setup.signal === 'click' ? setup.levelDbfs : -6);

/** Plays `tracks` (one, or one per output) and records the microphone; the extra outputs are closed after. */
async function playAndRecord(req: GroupRunRequest, session: AudioSession, tracks: Float32Array[], extra: ExtraOutput[]): Promise<Recorded> {
  req.onStage?.('recording');
  const sampleRate = session.sampleRate;
  const group = tracks.length === 1 ? undefined : req.group.playback === 'channels' ? { kind: 'channels' as const } : { kind: 'devices' as const, extra: extra.map((output, k) => ({ output, track: k + 1 })) };
  const recording = await session.playAndRecord(tracks.length === 1 ? tracks[0] : tracks, { tailFrames: tailFramesFor(sampleRate), signal: req.signal, onProgress: req.onProgress, group });
  const notes: string[] = [];
  const { missingFrames, gaps } = recording.capture;
  if (missingFrames > 0) notes.push(`${missingFrames} capture frames (${((missingFrames / sampleRate) * 1000).toFixed(1)} ms in ${gaps.length} gap${gaps.length === 1 ? '' : 's'}) never arrived from the audio thread and were left silent.`);
  for (const w of session.captureCheck.warnings) notes.push(`Capture: ${w}`);
  return { capture: recording.capture.samples, sampleRate, inputLabel: req.input.label || session.inputLabel || 'Default microphone', captureSettings: session.captureCheck.captureSettings, notes };
}

/** The ordinary one-output analysis of the whole click train (the report's `analysis`). */
async function ordinaryAnalysis(client: AnalysisClient, train: Float32Array, capture: Float32Array, sampleRate: number, maxLatencyMs: number) {
  const options: AnalyzeParams['options'] = { maxLatencyMs, weighting: 'phat', smoothing: 12, videoLatencyMs: 0 };
  const analysed = await client.call('analyze', { reference: train, capture, sampleRate, options });
  return { analysed, options };
}

function reportOf(req: GroupRunRequest, recorded: Recorded, parts: { title: string; signal: Report['signal']; analysed: Awaited<ReturnType<typeof ordinaryAnalysis>>; group: ReportGroup; notes: string[] }): Report {
  return buildMeasurementReport({
    id: crypto.randomUUID(),
    createdAt: new Date(),
    setup: req.setup,
    input: { id: req.input.deviceId, label: recorded.inputLabel },
    output: { id: req.output.deviceId, label: req.output.label },
    options: parts.analysed.options,
    captureSettings: recorded.captureSettings,
    signal: parts.signal,
    analysis: parts.analysed.analysed.output,
    correlationZoom: parts.analysed.analysed.zoom,
    notes: [...parts.notes, ...recorded.notes, 'No baseline is subtracted: the offsets between the speakers need none, and each latency is the total.'],
    title: req.setup.setupDescription.trim() || parts.title,
    group: parts.group,
  });
}

async function withSession<T>(req: GroupRunRequest, body: (session: AudioSession) => Promise<T>): Promise<T> {
  let session: AudioSession | null = null;
  try {
    req.onStage?.('opening');
    session = await req.sharedSession.acquire(req.signal);
    return await body(session);
  } catch (error) {
    if (session) await req.sharedSession.release();
    if (req.signal.aborted || isCancellation(error)) throw new MeasurementCancelledError();
    throw error;
  }
}

/** Several outputs in one run. */
export function runOutputsMeasurement(req: GroupRunRequest): Promise<OpenMeasurement> {
  return withSession(req, async (session) => {
    const { client, group, tolerance } = req;
    const sampleRate = session.sampleRate;
    const count = group.playback === 'channels' ? group.channels : 1 + req.extraOutputs.length;
    req.onStage?.('preparing');
    const spec = resolveMultiOutputSpec({ outputs: count, sampleRate, durationS: group.durationS, seed: 1, levelDbfs: levelOf(req.setup) });
    const { channels } = await client.call('generateMultiOutput', spec);
    if (req.signal.aborted) throw new MeasurementCancelledError();
    const extra = group.playback === 'devices' ? await openExtraOutputs(req.extraOutputs, sampleRate) : [];
    let recorded: Recorded;
    try {
      recorded = await playAndRecord(req, session, channels, extra);
    } finally {
      await closeExtraOutputs(extra);
    }
    req.onStage?.('analysing');
    const train = new Float32Array(channels[0].length);
    for (const ch of channels) for (let i = 0; i < train.length; i++) train[i] += ch[i];
    const multi = await client.call('analyzeOutputs', { channels, capture: recorded.capture, sampleRate, options: { maxLatencyMs: MAX_LATENCY_MS, weighting: 'phat', syncToleranceMs: tolerance.toleranceMs } });
    const analysed = await ordinaryAnalysis(client, train, multi.capture, sampleRate, MAX_LATENCY_MS);
    if (req.signal.aborted) throw new MeasurementCancelledError();
    const devices = group.playback === 'channels'
      ? Array.from({ length: count }, (_, k) => ({ channel: k + 1, device: { ...(req.output.deviceId ? { id: req.output.deviceId.slice(0, 500) } : {}), label: `${req.output.label}, channel ${k + 1}`.slice(0, 500) } }))
      : [req.output, ...req.extraOutputs].map((d, k) => ({ channel: k + 1, device: { ...(d.deviceId ? { id: d.deviceId.slice(0, 500) } : {}), label: d.label.slice(0, 500) } }));
    const signal: Report['signal'] = { kind: 'click', sampleRate, durationS: train.length / sampleRate, levelDbfs: spec.levelDbfs, seed: spec.seed, referenceFile: null, captureFile: null };
    const how = group.playback === 'channels' ? `the ${count} channels of ${req.output.label}` : `${count} output devices, each from its own audio context`;
    const report = reportOf(req, recorded, {
      title: `Several outputs (${count})`,
      signal,
      analysed,
      group: outputsGroup(multi.output, devices, tolerance),
      notes: [`Several outputs: the multi-output click train (\`latency-lab generate --signal click --outputs ${count} --duration ${spec.durationS} --seed ${spec.seed}\` writes it) played on ${how}.`],
    });
    return { report, audio: { sampleRate, reference: analysed.analysed.reference, capture: analysed.analysed.capture }, savedId: null };
  });
}

/** One stream on N speakers, in one capture. */
export function runSpeakersMeasurement(req: GroupRunRequest): Promise<OpenMeasurement> {
  return withSession(req, async (session) => {
    const { group, tolerance } = req;
    const step = await speakersRun(req, session);
    const report = reportOf(req, step.recorded, {
      title: `One stream on ${group.speakers} speakers`,
      signal: step.signal,
      analysed: step.analysed,
      group: speakersGroup(step.result, group.speakers, tolerance),
      notes: [`One stream on ${group.speakers} speakers: the ordinary click train, its arrivals told apart in one capture.`],
    });
    return { report, audio: { sampleRate: step.recorded.sampleRate, reference: step.analysed.analysed.reference, capture: step.analysed.analysed.capture }, savedId: null };
  });
}

async function speakersRun(req: GroupRunRequest, session: AudioSession) {
  const { client, group } = req;
  const sampleRate = session.sampleRate;
  req.onStage?.('preparing');
  const spec = resolveStimulusSpec({ signal: 'click', sampleRate, durationS: group.durationS, seed: 1, levelDbfs: levelOf(req.setup) });
  const { samples } = await client.call('generateStimulus', spec);
  if (req.signal.aborted) throw new MeasurementCancelledError();
  const recorded = await playAndRecord(req, session, [samples], []);
  req.onStage?.('analysing');
  const found = await client.call('analyzeSpeakers', { reference: samples, capture: recorded.capture, sampleRate, options: { speakers: group.speakers, maxLatencyMs: SPEAKERS_MAX_LATENCY_MS } });
  const analysed = await ordinaryAnalysis(client, found.reference, found.capture, sampleRate, MAX_LATENCY_MS);
  if (req.signal.aborted) throw new MeasurementCancelledError();
  const signal: Report['signal'] = { kind: 'click', sampleRate, durationS: samples.length / sampleRate, levelDbfs: spec.levelDbfs, seed: spec.seed, referenceFile: null, captureFile: null };
  return { result: found.output, analysed, recorded, signal };
}

/** One guided run: the microphone next to `speaker`. */
export interface GuidedStep {
  speaker: number;
  arrivals: SpeakerArrival[];
  /** What the run's analysis said when it could not tell the speakers apart (the arrivals it found are still used). */
  message: string | null;
  measurement: OpenMeasurement;
}

export function runGuidedStep(req: GroupRunRequest, speaker: number): Promise<GuidedStep> {
  return withSession(req, async (session) => {
    const step = await speakersRun(req, session);
    const arrivals = step.result.status === 'ok' ? step.result.speakers : step.result.found;
    const report = reportOf(req, step.recorded, {
      title: `Next to speaker ${speaker}`,
      signal: step.signal,
      analysed: step.analysed,
      group: speakersGroup(step.result, req.group.speakers, req.tolerance),
      notes: [],
    });
    return {
      speaker,
      arrivals,
      message: step.result.status === 'ok' ? null : step.result.message,
      measurement: { report, audio: { sampleRate: step.recorded.sampleRate, reference: step.analysed.analysed.reference, capture: step.analysed.analysed.capture }, savedId: null },
    };
  });
}

/**
 * The guided result: one run per speaker combined (combineGuidedRuns). The report is speaker 1's
 * run (its audio and its ordinary analysis) with the combined group.
 */
export function guidedMeasurement(steps: GuidedStep[], speakers: number, tolerance: SyncTolerance): OpenMeasurement {
  const first = steps.find((s) => s.speaker === 1) ?? steps[0];
  if (!first) throw new Error('No speaker has been measured yet.');
  const group = guidedGroup(steps.map((s) => ({ nearSpeaker: s.speaker, arrivals: s.arrivals })), speakers, tolerance);
  const base = first.measurement.report;
  // Validated again: nothing invalid leaves the page.
  const report: Report = parseReport({
    ...base,
    id: crypto.randomUUID(),
    title: base.settings.setupDescription.trim() || `Guided: ${speakers} speakers`,
    group,
    notes: `Guided: the microphone next to each speaker in turn, one ${base.signal.durationS.toFixed(0)} s click-train run each; the audio and the ordinary analysis are of the run next to speaker ${first.speaker}.\n${base.notes}`.slice(0, 10000),
  });
  return { report, audio: first.measurement.audio, savedId: null };
}

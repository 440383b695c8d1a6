/**
 * One A/V analysis at a time: decode the recording in the page (decode-recording.ts, with
 * progress), then analyse it in the worker (analyzeAv, or calibrateAv for a calibration), and build
 * the A/V report. Cancel stops the decode at the next packet and terminates the worker. A codec the
 * platform cannot decode and a file with no video are refusals with advice, like the CLI's.
 */
import { useCallback, useRef, useState } from 'react';
import type { AvAnalysisOptions } from '../../../shared/av/av-analysis';
import type { AvCalibrationOptions, AvCalibrationOutput } from '../../../shared/av/av-calibration';
import { refusedOutput } from '../../../shared/av/av-refusal';
import type { AvAnalysisOutput } from '../../../shared/av/av-schema';
import { SOFTWARE_VERSION } from '../../../shared/primitives/version';
import { type AvReport, type AvReportSettings, createAvReport } from '../../../shared/report/av-report';
import { type AnalysisClient, WorkerCancelledError } from '../../worker/worker-client';
import { type CodecHost, type DecodedRecording, decodeRecording, UnreadableRecordingError, UnsupportedCodecError } from './decode-recording';

export type AvPhase =
  | { kind: 'idle'; note: string | null }
  | { kind: 'decoding'; fileLabel: string; fraction: number; framesDecoded: number }
  | { kind: 'analysing'; fileLabel: string }
  | { kind: 'measured'; report: AvReport; savedId: string | null }
  | { kind: 'calibrated'; output: AvCalibrationOutput; fileLabel: string }
  | { kind: 'failed'; message: string };

export interface RecordingSource {
  blob: Blob;
  /** The file's name, or null for a webcam recording. */
  fileName: string | null;
  source: 'file' | 'webcam';
}

export interface MeasureRequest {
  mode: 'measure';
  options: (decoded: DecodedRecording) => AvAnalysisOptions;
  title: string;
  setupDescription: string;
  cameraName: string | null;
  patternFps: number;
}

export interface CalibrateRequest {
  mode: 'calibrate';
  options: AvCalibrationOptions;
}

const labelOf = (r: RecordingSource): string => r.fileName ?? 'the webcam recording';

export function useAvAnalysis(client: AnalysisClient, codecs: () => CodecHost | null) {
  const [phase, setPhase] = useState<AvPhase>({ kind: 'idle', note: null });
  const abortRef = useRef<AbortController | null>(null);
  const runRef = useRef(0);

  const cancel = useCallback(() => {
    runRef.current++;
    abortRef.current?.abort();
    abortRef.current = null;
    client.cancel();
    setPhase({ kind: 'idle', note: 'Cancelled: nothing was analysed.' });
  }, [client]);

  const run = useCallback(
    async (recording: RecordingSource, request: MeasureRequest | CalibrateRequest) => {
      const host = codecs();
      const label = labelOf(recording);
      if (!host) {
        setPhase({ kind: 'failed', message: 'This browser has no WebCodecs decoders, so it cannot read a video here. Use Chromium, Chrome or the desktop app, or the command line: latency-lab av-analyze --video FILE.' });
        return;
      }
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      const runId = ++runRef.current;
      const alive = () => runRef.current === runId;
      setPhase({ kind: 'decoding', fileLabel: label, fraction: 0, framesDecoded: 0 });
      let decoded: DecodedRecording | null = null;
      let refusal: AvAnalysisOutput | null = null;
      try {
        decoded = await decodeRecording(recording.blob, host, (p) => alive() && setPhase({ kind: 'decoding', fileLabel: label, fraction: p.fraction, framesDecoded: p.framesDecoded }), controller.signal);
        if (!decoded.video) refusal = refusedOutput('NO_VIDEO', `${label} has no video track.`);
      } catch (error) {
        if (!alive() || (error as Error).name === 'AbortError') return;
        if (error instanceof UnsupportedCodecError) refusal = refusedOutput('CODEC_UNSUPPORTED', `${label} cannot be read here: ${error.message}.`);
        else if (error instanceof UnreadableRecordingError) refusal = refusedOutput('NO_VIDEO', `${label}: ${error.message}.`);
        else {
          setPhase({ kind: 'failed', message: `${label} could not be decoded: ${(error as Error).message}` });
          return;
        }
      }
      if (!alive()) return;
      abortRef.current = null;
      setPhase({ kind: 'analysing', fileLabel: label });
      try {
        if (request.mode === 'calibrate') {
          const output: AvCalibrationOutput =
            refusal && refusal.error
              ? { status: 'refused', error: refusal.error, warnings: [] }
              : (await client.call('calibrateAv', { video: decoded!.video!, audio: decoded!.audio, options: { ...request.options, ...(decoded!.timestampResolutionS > 0 ? { timestampResolutionS: decoded!.timestampResolutionS } : {}) } })).output;
          if (alive()) setPhase({ kind: 'calibrated', output, fileLabel: label });
          return;
        }
        const options = decoded?.video ? request.options(decoded) : request.options({ video: null, audio: null, timestampResolutionS: 0, codec: null });
        const output = refusal ?? (await client.call('analyzeAv', { video: decoded!.video!, audio: decoded!.audio, options })).output;
        const settings: AvReportSettings = {
          source: recording.source,
          videoFile: recording.fileName === null ? null : recording.fileName.replace(/\p{Cc}/gu, '').slice(0, 500),
          codec: decoded?.codec ? decoded.codec.slice(0, 100) : null,
          setupDescription: request.setupDescription.replace(/\p{Cc}/gu, ' ').slice(0, 500),
          distanceM: options.distanceM ?? 0,
          cameraOffsetMs: options.cameraOffsetMs ?? null,
          cameraOffsetUncertaintyMs: options.cameraOffsetMs === null || options.cameraOffsetMs === undefined ? 0 : (options.cameraOffsetUncertaintyMs ?? 0),
          cameraName: request.cameraName,
          patternFps: request.patternFps,
        };
        const report = createAvReport({ id: crypto.randomUUID(), title: request.title, softwareVersion: SOFTWARE_VERSION, source: 'app', settings, analysis: output });
        if (alive()) setPhase({ kind: 'measured', report, savedId: null });
      } catch (error) {
        if (!alive() || error instanceof WorkerCancelledError) return;
        setPhase({ kind: 'failed', message: `The analysis failed: ${(error as Error).message}` });
      }
    },
    [client, codecs],
  );

  return { phase, setPhase, run, cancel };
}

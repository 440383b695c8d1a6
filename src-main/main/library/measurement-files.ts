/**
 * The files of one stored measurement: `report.json` (the versioned report, pretty-printed) and,
 * when the audio was kept, `capture.wav` and `stimulus.wav` (mono float32, bit-exact).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_LIMITS, type MeasurementAudioData } from '../../../shared/contract/ipc-contract';
import { parseReportText, type Report } from '../../../shared/report/report-schema';
import { decodeWav, encodeWav, WavError } from '../../../shared/io/wav-file';
import { StoreError } from '../store-error';

export const REPORT_FILE = 'report.json';
export const CAPTURE_FILE = 'capture.wav';
export const STIMULUS_FILE = 'stimulus.wav';

export function reportJson(report: Report): string {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (text.length > IPC_LIMITS.reportJsonBytes) {
    throw new StoreError('too-large', `the report is ${text.length} bytes as JSON, over the ${IPC_LIMITS.reportJsonBytes}-byte limit`);
  }
  return text;
}

export function encodeMono(samples: Float32Array, sampleRate: number): Uint8Array {
  return encodeWav({ sampleRate, channels: [samples] }, { format: 'float32', info: { ISFT: 'Latency Lab' } });
}

/** Reads and validates (and migrates) a report file; size-limited before it is read. */
export function readReportFile(path: string): Report {
  const size = statSync(path).size;
  if (size > IPC_LIMITS.reportJsonBytes) {
    throw new StoreError('too-large', `the file is ${size} bytes, over the ${IPC_LIMITS.reportJsonBytes}-byte limit for a report`);
  }
  return parseReportText(readFileSync(path, 'utf8'));
}

export function hasAudioFiles(dir: string): boolean {
  return existsSync(join(dir, CAPTURE_FILE)) && existsSync(join(dir, STIMULUS_FILE));
}

function readMono(path: string): { sampleRate: number; samples: Float32Array } {
  const audio = decodeWav(new Uint8Array(readFileSync(path)), { maxFrames: IPC_LIMITS.audioFrames });
  if (audio.channels.length !== 1) throw new WavError('BAD_CHANNEL_COUNT', `${path} has ${audio.channels.length} channels; a stored measurement has one`);
  return { sampleRate: audio.sampleRate, samples: audio.channels[0] };
}

/** The stored audio, or null when the measurement was saved without it. Throws WavError when a file is damaged. */
export function readMeasurementAudio(dir: string): MeasurementAudioData | null {
  if (!hasAudioFiles(dir)) return null;
  const capture = readMono(join(dir, CAPTURE_FILE));
  const reference = readMono(join(dir, STIMULUS_FILE));
  if (capture.sampleRate !== reference.sampleRate) {
    throw new WavError('BAD_SAMPLE_RATE', `${CAPTURE_FILE} (${capture.sampleRate} Hz) and ${STIMULUS_FILE} (${reference.sampleRate} Hz) differ in sample rate`);
  }
  return { sampleRate: capture.sampleRate, reference: reference.samples, capture: capture.samples };
}

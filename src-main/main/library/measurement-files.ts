/**
 * The files of one stored measurement: `report.json` (the versioned report, pretty-printed) and,
 * when the audio was kept, `capture.wav` and `stimulus.wav` (mono float32, bit-exact).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_LIMITS, type MeasurementAudioData } from '../../../shared/contract/ipc-contract';
import { parseStoredReportText, type StoredReport } from '../../../shared/report/av-report';
import { decodeWav, encodeWav, WavError } from '../../../shared/io/wav-file';
import { ReadFileError, readRegularFile } from '../../fs/read-regular-file';
import { StoreError } from '../store-error';

export const REPORT_FILE = 'report.json';
export const CAPTURE_FILE = 'capture.wav';
export const STIMULUS_FILE = 'stimulus.wav';

export function reportJson(report: StoredReport): string {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (text.length > IPC_LIMITS.reportJsonBytes) {
    throw new StoreError('too-large', `the report is ${text.length} bytes as JSON, over the ${IPC_LIMITS.reportJsonBytes}-byte limit`);
  }
  return text;
}

export function encodeMono(samples: Float32Array, sampleRate: number): Uint8Array {
  return encodeWav({ sampleRate, channels: [samples] }, { format: 'float32', info: { ISFT: 'Latency Lab' } });
}

/**
 * Reads and validates (and migrates) a report file of either kind (audio or A/V). Only a regular file is read, and at most the
 * report size limit of it (a FIFO or device chosen in the import dialog is refused, never waited on).
 */
export function readReportFile(path: string): StoredReport {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, IPC_LIMITS.reportJsonBytes);
  } catch (error) {
    if (!(error instanceof ReadFileError)) throw error;
    const f = error.failure;
    switch (f.reason) {
      case 'directory':
        throw new StoreError('invalid-file', 'it is a folder, not a report file');
      case 'not-regular':
        throw new StoreError('invalid-file', `it is a ${f.kind}, not a report file`);
      case 'too-large':
        throw new StoreError('too-large', `the file is ${f.sizeBytes} bytes, over the ${f.maxBytes}-byte limit for a report`);
      case 'grew':
        throw new StoreError('too-large', `the file holds more than the ${f.maxBytes}-byte limit for a report`);
      case 'io':
        throw f.cause;
    }
  }
  return parseStoredReportText(bytes.toString('utf8'));
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

/** What each export format is: file name suffix, extension, the save dialog's filter, whether it needs the audio. */
import type { ExportFormatData } from '../../shared/ipc-contract';

export interface ExportFormatInfo {
  /** Added to the default file name, e.g. "-events". */
  suffix: string;
  extension: string;
  filterName: string;
  needsAudio: boolean;
}

export const EXPORT_FORMATS: Record<ExportFormatData, ExportFormatInfo> = {
  json: { suffix: '', extension: 'json', filterName: 'Latency Lab report (JSON)', needsAudio: false },
  'csv-frequency-response': { suffix: '-frequency-response', extension: 'csv', filterName: 'Frequency response (CSV, REW)', needsAudio: false },
  'csv-events': { suffix: '-events', extension: 'csv', filterName: 'Latency events (CSV)', needsAudio: false },
  html: { suffix: '', extension: 'html', filterName: 'Report (HTML)', needsAudio: false },
  pdf: { suffix: '', extension: 'pdf', filterName: 'Report (PDF)', needsAudio: false },
  'wav-capture': { suffix: '-capture', extension: 'wav', filterName: 'Capture (WAV, 32-bit float)', needsAudio: true },
  'wav-stimulus': { suffix: '-stimulus', extension: 'wav', filterName: 'Stimulus (WAV, 32-bit float)', needsAudio: true },
};

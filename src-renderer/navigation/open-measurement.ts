import type { AvReport } from '../../shared/report/av-report';
import type { Report } from '../../shared/report/report-schema';
import type { MeasurementAudio } from '../host/host-api';

/** A measurement shown in Results: just measured, or opened from the library. */
export interface OpenMeasurement {
  report: Report;
  /** Null for reports imported without audio. */
  audio: MeasurementAudio | null;
  /** The library id once saved (or when opened from the library). */
  savedId: string | null;
}

/** An A/V (lip-sync) measurement shown on the A/V page: just measured, or opened from the library. */
export interface OpenAvMeasurement {
  report: AvReport;
  /** The library id once saved (or when opened from the library). */
  savedId: string | null;
}

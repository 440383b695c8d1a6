/**
 * CSV exports of a report.
 *
 * `frequencyResponseCsv`: a text file Room EQ Wizard imports as a measurement (File > Import >
 * Import frequency response). REW reads lines of `frequency, magnitude (dB), phase (degrees)`
 * separated by commas, spaces, tabs or semicolons, in ascending frequency, and skips lines that do
 * not start with a number; `*` starts the comment lines of the FRD convention that REW's own
 * exports use. The file is therefore a `*` comment header (title, date, software, window, smoothing,
 * notes) followed by `hz,db,phaseDeg` lines. REW's documentation describes two or three columns
 * only, so the default is exactly three; `includeCoherence: true` adds coherence (0–1) as a fourth
 * column for spreadsheets and scripts, a variant that is not meant for REW.
 *
 * The magnitude is the path gain in dB (0 dB = the capture holds the stimulus at the level it was
 * played), not SPL; the phase is the excess phase beyond the measured latency.
 *
 * `latencyEventsCsv`: one row per event for spreadsheets: plain CSV with a header row and no
 * comment lines, empty fields where a value is null. For several outputs in one run (a report's
 * `group` of kind 'outputs') it lists every output's events, with the output's channel in a second
 * column (`time_s,output,latency_ms,…`).
 *
 * `groupCsv`: several speakers measured together, one row per output or speaker (latency, level,
 * drift, offset, events, dropouts, and a refused one's reason), then the spread, the sync verdict
 * and each multi-room claim's verdict as rows of their own (`row` says which).
 *
 * Numbers use `.` as the decimal separator and fixed decimals (never exponent notation).
 *
 * Formula injection: a spreadsheet that opens either file runs any cell starting with `=`, `+`, `-`
 * or `@` as a formula (`=cmd|' /C calc'!A0`), and titles, setup descriptions and notes are the
 * user's text. So every field goes through `csvField` (quoted when it holds a separator, quote or
 * line break; a leading apostrophe, the spreadsheet convention for "this is text", on any cell that
 * starts with = + - @, tab or CR and is not a number), and the `*` comment lines, which a
 * spreadsheet splits at commas, semicolons and tabs, get the apostrophe on every such piece (and
 * on a piece starting with a quote, which would otherwise open a quoted cell).
 */
import { type FrequencyPoint, type SmoothingFraction, smoothResponse } from '../analysis/frequency-response';
import { missingResponseReason } from './labels';
import type { Report } from './report-schema';
import { windowDescription } from './html/response-views';
import { groupView, TOLERANCE_SOURCE_LABELS } from './group-view';

/** A report cannot be exported in the requested form (e.g. a report whose analysis gave no frequency response). */
export class ReportExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportExportError';
  }
}

export interface FrequencyResponseCsvOptions {
  /** Adds coherence as a fourth column (not for REW, whose import reads three). Default false. */
  includeCoherence?: boolean;
}

/** Fixed decimals without exponent notation and without "-0.000". */
function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) throw new ReportExportError(`cannot export the non-finite value ${value}`);
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field, safe to open in a spreadsheet: a cell that starts with = + - @, tab or CR and is
 * not a number gets a leading apostrophe; a field holding a comma, semicolon, tab, quote or line
 * break is quoted (RFC 4180, quotes doubled).
 */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One line of a `*` comment: no line breaks inside, so it cannot end the comment early; every piece
 * a spreadsheet would make a cell of (split at , ; and tab) that would start a formula or a quoted
 * cell gets a leading apostrophe.
 */
function comment(text: string): string {
  const line = `* ${text.replace(/\s*[\r\n]+\s*/g, ' ').trim()}`.trimEnd();
  return line
    .split(/([,;\t])/)
    .map((piece, i) => {
      if (i === 0 || i % 2 === 1) return piece; // the leading "* ..." piece, or a separator
      const start = piece.length - piece.trimStart().length;
      const cell = piece.slice(start);
      return /^[=+\-@"]/.test(cell) && !NUMBER.test(cell.trim()) ? `${piece.slice(0, start)}'${cell}` : piece;
    })
    .join('');
}

const wrapDeg = (deg: number): number => ((((deg + 180) % 360) + 360) % 360) - 180;

/**
 * The response points at `smoothing`: the stored points when no smoothing is given or it is the
 * stored one, otherwise re-smoothed from the report's 1/48-octave band spectra. A microphone
 * calibration applied to the stored points is carried over: its correction at each band is the
 * difference between the stored points and the stored smoothing recomputed without it (points of a
 * finer smoothing beyond the stored ones, which have no correction, are left out).
 */
export function frequencyResponsePoints(report: Report, smoothing?: SmoothingFraction): FrequencyPoint[] {
  const fr = report.analysis.frequencyResponse;
  if (!fr) throw new ReportExportError(`the report has no frequency response: ${missingResponseReason(report.analysis)}`);
  if (smoothing === undefined || smoothing === fr.smoothing) return fr.points;
  if (fr.bands.length === 0) throw new ReportExportError('the report has no band spectra to re-smooth the frequency response from');
  const points = smoothResponse(fr, smoothing);
  if (!fr.micCalibration) return points;
  // The correction at each band where both the stored points and the stored smoothing recomputed
  // without the calibration have a point (matched by frequency: a report made before responses
  // stopped at the smoothing's reach holds a few more points at its ends); a re-smoothed point
  // without one is left out.
  const key = (hz: number): string => hz.toPrecision(9);
  const stored = new Map(fr.points.map((p) => [key(p.hz), p]));
  const correction = new Map<string, { db: number; phaseDeg: number }>();
  for (const p of smoothResponse(fr, fr.smoothing)) {
    const s = stored.get(key(p.hz));
    if (s) correction.set(key(p.hz), { db: s.db - p.db, phaseDeg: s.phaseDeg - p.phaseDeg });
  }
  if (correction.size === 0) {
    throw new ReportExportError('cannot re-smooth: the stored points do not match the band spectra, so the microphone calibration cannot be carried over');
  }
  return points.flatMap((p) => {
    const c = correction.get(key(p.hz));
    return c ? [{ ...p, db: p.db + c.db, phaseDeg: wrapDeg(p.phaseDeg + c.phaseDeg) }] : [];
  });
}

/**
 * The frequency response as REW-importable text (see the file comment). `smoothing` re-smooths
 * from the band spectra (1/N octave; 0 = the 1/48-octave bands unsmoothed); without it the
 * stored points are written. Throws ReportExportError when the report has no response.
 */
export function frequencyResponseCsv(report: Report, smoothing?: SmoothingFraction, options: FrequencyResponseCsvOptions = {}): string {
  const fr = report.analysis.frequencyResponse;
  const points = frequencyResponsePoints(report, smoothing);
  const used = smoothing ?? fr?.smoothing ?? 0;
  const coherence = options.includeCoherence === true;
  const lines: string[] = [];
  lines.push(comment(`Frequency response exported by Latency Lab (${report.software.name} ${report.software.version}, ${report.software.source})`));
  lines.push(comment(`Title: ${report.title}`));
  if (report.settings.setupDescription.trim() !== '') lines.push(comment(`Setup: ${report.settings.setupDescription}`));
  lines.push(comment(`Measured: ${report.createdAt}`));
  lines.push(comment(`Report ID: ${report.id}`));
  lines.push(comment(`Signal: ${report.signal.kind}, ${report.signal.sampleRate} Hz${report.signal.captureFile ? `, capture ${report.signal.captureFile}` : ''}`));
  lines.push(comment(`Smoothing: ${used === 0 ? 'none (1/48-octave bands)' : `1/${used} octave`}`));
  if (fr) {
    lines.push(comment(`Window: ${windowDescription(fr, 'room')}`));
    lines.push(comment(`Estimate: H1, ${fr.averages} averages of ${fr.fftSize}-point FFTs; median coherence ${fr.medianCoherence === null ? 'n/a' : fixed(fr.medianCoherence, 3)}`));
    lines.push(comment(`Magnitude: path gain in dB (0 dB = captured at the level played)${fr.referenceLevelDb === null ? '' : `; mean over 500 Hz-2 kHz ${fixed(fr.referenceLevelDb, 2)} dB`}`));
    lines.push(comment('Phase: excess phase in degrees beyond the measured latency'));
    lines.push(comment(`Microphone calibration: ${fr.micCalibration ? `applied${report.settings.micCalibrationFile ? ` (${report.settings.micCalibrationFile})` : ''}` : 'none'}`));
  }
  if (report.notes.trim() !== '') {
    for (const line of report.notes.split(/\r?\n/)) if (line.trim() !== '') lines.push(comment(`Note: ${line}`));
  }
  lines.push(comment(coherence ? 'Freq(Hz),Magnitude(dB),Phase(degrees),Coherence' : 'Freq(Hz),Magnitude(dB),Phase(degrees)'));
  let lastHz = -Infinity;
  for (const p of points) {
    // REW needs strictly ascending frequencies; bands are, so this only guards hand-edited reports.
    if (!(p.hz > lastHz)) continue;
    lastHz = p.hz;
    const fields = [fixed(p.hz, 6), fixed(p.db, 6), fixed(p.phaseDeg, 6)];
    if (coherence) fields.push(fixed(p.coherence, 6));
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export const LATENCY_EVENTS_CSV_HEADER = 'time_s,latency_ms,confidence,status,peak_to_noise_db';
export const LATENCY_EVENTS_BY_OUTPUT_CSV_HEADER = 'time_s,output,latency_ms,confidence,status,peak_to_noise_db';
export const GROUP_CSV_HEADER = 'row,name,status,latency_ms,level_db,drift_ppm,offset_ms,events,dropouts,outcome,note';

/**
 * Every event as a spreadsheet row: `time_s,latency_ms,confidence,status,peak_to_noise_db`, with
 * empty fields for nulls. Throws ReportExportError for a refused analysis, which has no events.
 */
export function latencyEventsCsv(report: Report): string {
  const group = report.group;
  if (group?.kind === 'outputs') {
    const rows = [LATENCY_EVENTS_BY_OUTPUT_CSV_HEADER];
    for (const o of group.result.outputs) {
      for (const e of o.latency?.events ?? []) {
        rows.push([fixed(e.timeS, 6), String(o.channel), e.latencyMs === null ? '' : fixed(e.latencyMs, 4), fixed(e.confidence, 4), e.status, e.peakToNoiseDb === null ? '' : fixed(e.peakToNoiseDb, 2)].map(csvField).join(','));
      }
    }
    if (rows.length === 1) throw new ReportExportError('the report has no latency events: no output could be measured');
    return `${rows.join('\n')}\n`;
  }
  const latency = report.analysis.latency;
  if (report.analysis.status !== 'ok' || !latency) {
    throw new ReportExportError(`the report has no latency events: the analysis refused the capture (${report.analysis.error?.code ?? 'no result'})`);
  }
  const rows = [LATENCY_EVENTS_CSV_HEADER];
  for (const e of latency.events) {
    rows.push(
      [
        fixed(e.timeS, 6),
        e.latencyMs === null ? '' : fixed(e.latencyMs, 4),
        fixed(e.confidence, 4),
        e.status,
        e.peakToNoiseDb === null ? '' : fixed(e.peakToNoiseDb, 2),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}

/**
 * The per-output or per-speaker table of a several-speakers report with its spread and verdicts
 * (see the file comment). Throws ReportExportError for a report of one output.
 */
export function groupCsv(report: Report): string {
  const group = report.group;
  if (!group) throw new ReportExportError('the report is of one output: it has no table of several outputs or speakers');
  const view = groupView(group);
  const opt = (v: number | null, digits: number): string => (v === null ? '' : fixed(v, digits));
  const rows = [GROUP_CSV_HEADER];
  const row = (fields: string[]): void => {
    rows.push(fields.map(csvField).join(','));
  };
  for (const r of view.rows) {
    row([group.kind === 'outputs' ? 'output' : 'speaker', r.name, r.status, opt(r.latencyMs, 4), opt(r.levelDb, 2), opt(r.driftPpm, 2), opt(r.offsetMs, 4), r.events === null ? '' : String(r.events), r.dropouts === null ? '' : String(r.dropouts), '', r.refusal ? `${r.refusal.message} ${r.refusal.advice}` : '']);
  }
  if (view.refusal) row(['refused', view.title, 'refused', '', '', '', '', '', '', '', `${view.refusal.message} ${view.refusal.advice}`]);
  row(['spread', view.title, view.spreadMs === null ? 'refused' : 'ok', '', '', '', opt(view.spreadMs, 4), '', '', '', view.spreadBasis]);
  const t = group.tolerance;
  const v = group.verdicts;
  row(['tolerance', `±${fixed(t.toleranceMs, 1)} ms (${TOLERANCE_SOURCE_LABELS[t.source]})`, '', '', '', '', '', '', '', v ? v.tolerance.outcome : '', v ? v.tolerance.summary : 'No spread to judge.']);
  for (const c of v?.claims ?? []) row(['claim', c.claimName, '', '', '', '', opt(c.measuredMs, 4), '', '', c.outcome, c.summary]);
  return `${rows.join('\n')}\n`;
}

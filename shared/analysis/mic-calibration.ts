/**
 * Microphone calibration files in the common text format used by miniDSP (UMIK-1, UMIK-2), REW
 * and most measurement-microphone vendors:
 *
 *   "Sens Factor =-1.378dB, AGain =18dB, SERNO: 7103946"
 *   10.054   -2.3483   -45.1
 *   10.179   -2.2895
 *   ...
 *
 * One data line per frequency: `freq dB [phase]`, separated by spaces, tabs, commas or semicolons.
 * Header, comment (`*`, `;`, `#`, `//`) and quoted lines are skipped; a `Sens Factor` anywhere in
 * them is read. The curve is the microphone's deviation from flat, so correcting a measurement
 * subtracts it. The sensitivity factor shifts absolute SPL only; Latency Lab reports relative path
 * gain, so it is reported but not applied.
 */
import type { FrequencyPoint } from './frequency-response';

export interface MicCalibration {
  points: Array<{ hz: number; db: number; phaseDeg: number | null }>;
  sensitivityDb: number | null;
  serial: string | null;
}

export class MicCalibrationError extends Error {
  readonly line: number | null;
  constructor(message: string, line: number | null = null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'MicCalibrationError';
    this.line = line;
  }
}

const MAX_POINTS = 100000;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseMicCalibration(text: string): MicCalibration {
  if (text.length > 10_000_000) throw new MicCalibrationError('the calibration file is larger than 10 MB; it is not a calibration file');
  if (text.includes('\u0000')) throw new MicCalibrationError('the calibration file is binary, not text');
  const points: MicCalibration['points'] = [];
  let sensitivityDb: number | null = null;
  let serial: string | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '') return;
    const sens = /sens(?:itivity)?\s*factor\s*=?\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*dB/i.exec(line);
    if (sens) sensitivityDb = Number(sens[1]);
    const serno = /SERNO:?\s*([\w-]+)/i.exec(line);
    if (serno) serial = serno[1];
    if (/^[*;#"'a-zA-Z]|^\/\//.test(line)) return; // header or comment
    const fields = line.split(/[\s,;]+/).filter((f) => f !== '');
    if (fields.length < 2 || fields.length > 3) throw new MicCalibrationError(`expected "frequency dB [phase]", found ${fields.length} field(s): "${line.slice(0, 60)}"`, lineNo);
    for (const f of fields) if (!NUMBER.test(f)) throw new MicCalibrationError(`"${f}" is not a number`, lineNo);
    const [hz, db, phase] = fields.map(Number);
    if (!(hz > 0 && hz < 1e6)) throw new MicCalibrationError(`frequency ${hz} Hz is out of range`, lineNo);
    if (!(Math.abs(db) <= 60)) throw new MicCalibrationError(`correction ${db} dB is implausible for a measurement microphone (more than ±60 dB)`, lineNo);
    const previous = points[points.length - 1];
    if (previous && hz <= previous.hz) throw new MicCalibrationError(`frequencies must increase: ${hz} Hz follows ${previous.hz} Hz`, lineNo);
    if (points.length >= MAX_POINTS) throw new MicCalibrationError(`more than ${MAX_POINTS} points`, lineNo);
    points.push({ hz, db, phaseDeg: phase === undefined ? null : phase });
  });
  if (points.length < 2) throw new MicCalibrationError(`a calibration needs at least 2 frequency points, found ${points.length}`);
  return { points, sensitivityDb, serial };
}

/** The calibration's correction at `hz`: linear interpolation in log-frequency, held flat beyond its ends. */
export function calibrationAt(cal: MicCalibration, hz: number): { db: number; phaseDeg: number | null } {
  const p = cal.points;
  if (hz <= p[0].hz) return { db: p[0].db, phaseDeg: p[0].phaseDeg };
  if (hz >= p[p.length - 1].hz) return { db: p[p.length - 1].db, phaseDeg: p[p.length - 1].phaseDeg };
  let lo = 0;
  let hi = p.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (p[mid].hz <= hz) lo = mid;
    else hi = mid;
  }
  const t = Math.log(hz / p[lo].hz) / Math.log(p[hi].hz / p[lo].hz);
  const a = p[lo].phaseDeg;
  const b = p[hi].phaseDeg;
  return { db: p[lo].db + t * (p[hi].db - p[lo].db), phaseDeg: a === null || b === null ? null : a + t * (b - a) };
}

/** Subtracts the microphone's deviation from each point (and its phase, when the file has one). */
export function applyMicCalibration(points: FrequencyPoint[], cal: MicCalibration): FrequencyPoint[] {
  return points.map((point) => {
    const c = calibrationAt(cal, point.hz);
    let phaseDeg = point.phaseDeg;
    if (c.phaseDeg !== null) {
      phaseDeg -= c.phaseDeg;
      phaseDeg = ((((phaseDeg + 180) % 360) + 360) % 360) - 180;
    }
    return { ...point, db: point.db - c.db, phaseDeg };
  });
}

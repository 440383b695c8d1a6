import { describe, expect, it } from 'vitest';
import { applyMicCalibration, calibrationAt, MicCalibrationError, parseMicCalibration } from './mic-calibration';

const UMIK = `"Sens Factor =-1.378dB, AGain =18dB, SERNO: 7103946"
10.054\t-2.3483
20.000\t-1.0000
1000.0\t0.0000
10000\t1.5000
20000\t-3.0000
`;

describe('parseMicCalibration', () => {
  it('reads a miniDSP UMIK-1 file: header, sensitivity, serial, tab-separated points', () => {
    const cal = parseMicCalibration(UMIK);
    expect(cal.sensitivityDb).toBe(-1.378);
    expect(cal.serial).toBe('7103946');
    expect(cal.points).toHaveLength(5);
    expect(cal.points[0]).toEqual({ hz: 10.054, db: -2.3483, phaseDeg: null });
  });

  it('reads REW-style files with comments, a phase column, commas, CRLF and a BOM', () => {
    const cal = parseMicCalibration('\uFEFF* REW calibration\r\n; comment\r\n"Freq(Hz)","SPL(dB)","Phase(degrees)"\r\n20,0.5,-10\r\n1000,0,0\r\n');
    expect(cal.points).toEqual([{ hz: 20, db: 0.5, phaseDeg: -10 }, { hz: 1000, db: 0, phaseDeg: 0 }]);
    expect(cal.sensitivityDb).toBeNull();
  });

  const bad: Array<[string, string, RegExp]> = [
    ['empty', '', /at least 2 frequency points, found 0/],
    ['one point', '1000 0\n', /found 1/],
    ['a word in the numbers', '20 0\n1000 abc\n', /line 2: "abc" is not a number/],
    ['too many fields', '20 0 0 0\n', /line 1: expected "frequency dB \[phase\]", found 4/],
    ['decreasing frequencies', '1000 0\n20 0\n', /line 2: frequencies must increase: 20 Hz follows 1000 Hz/],
    ['negative frequency', '-20 0\n1000 0\n', /line 1: frequency -20 Hz is out of range/],
    ['absurd correction', '20 0\n1000 120\n', /line 2: correction 120 dB is implausible/],
    ['binary data', 'RIFF\u0000\u0000WAVE', /binary/],
  ];
  for (const [name, text, message] of bad) {
    it(`refuses ${name} with a specific message`, () => {
      expect(() => parseMicCalibration(text)).toThrow(MicCalibrationError);
      expect(() => parseMicCalibration(text)).toThrow(message);
    });
  }
});

describe('calibrationAt / applyMicCalibration', () => {
  const cal = parseMicCalibration(UMIK);

  it('interpolates linearly in log-frequency and holds the ends flat', () => {
    expect(calibrationAt(cal, 1000).db).toBe(0);
    expect(calibrationAt(cal, Math.sqrt(1000 * 10000)).db).toBeCloseTo(0.75, 12);
    expect(calibrationAt(cal, 5).db).toBe(-2.3483);
    expect(calibrationAt(cal, 40000).db).toBe(-3);
  });

  it('subtracts the microphone\'s deviation (and its phase when given, wrapped to ±180°)', () => {
    const withPhase = parseMicCalibration('100 2 170\n1000 2 170\n');
    const corrected = applyMicCalibration([{ hz: 100, db: 5, phaseDeg: -20, coherence: 0.9 }, { hz: 10000, db: 1.5, phaseDeg: 0, coherence: 1 }], withPhase);
    expect(corrected[0]).toEqual({ hz: 100, db: 3, phaseDeg: 170, coherence: 0.9 });
    expect(applyMicCalibration([{ hz: 10000, db: 1.5, phaseDeg: 12, coherence: 1 }], cal)[0]).toEqual({ hz: 10000, db: 0, phaseDeg: 12, coherence: 1 });
  });
});

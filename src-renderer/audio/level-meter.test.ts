import { describe, expect, it } from 'vitest';
import { estimateSnrDb, formatMeterDb, LevelMeter, levelAdvice, METER_FLOOR_DBFS, meterFraction, NoiseFloorMeter, TruePeakDetector } from './level-meter';

const RATE = 48000;
/** A continuous sine, pushed in blocks: each call continues where the last ended (no phase jumps between blocks). */
let sinePhase = 0;
const sine = (amplitude: number, frames: number, hz = 1000) => {
  const start = sinePhase;
  sinePhase += frames;
  return Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * (start + i)) / RATE));
};

describe('level meter', () => {
  it('reads peak and RMS in dBFS (a full-scale sine: 0 dBFS peak, -3.01 dBFS RMS)', () => {
    const m = new LevelMeter(RATE);
    for (let i = 0; i < 20; i++) m.push(sine(0.5, 1024));
    const r = m.reading();
    expect(r.peakDbfs).toBeCloseTo(-6.02, 1);
    expect(r.rmsDbfs).toBeCloseTo(-6.02 - 3.01, 1);
    expect(r.clipped).toBe(false);
  });

  it('reads silence as the floor, not -Infinity', () => {
    const m = new LevelMeter(RATE);
    expect(m.reading().rmsDbfs).toBe(METER_FLOOR_DBFS);
    m.push(new Float32Array(1024));
    expect(m.reading().peakDbfs).toBe(METER_FLOOR_DBFS);
  });

  it('the window forgets old blocks; the peak hold keeps the highest peak for 1.5 s', () => {
    const m = new LevelMeter(RATE, { windowS: 0.3, holdS: 1.5 });
    m.push(sine(1, 1024).map((v) => v * 0.9));
    for (let i = 0; i < 20; i++) m.push(sine(0.1, 1024)); // ~0.43 s of quieter signal
    let r = m.reading();
    expect(r.peakDbfs).toBeCloseTo(-20, 0);
    expect(r.holdDbfs).toBeCloseTo(-0.92, 1);
    for (let i = 0; i < 60; i++) m.push(sine(0.1, 1024)); // past 1.5 s
    r = m.reading();
    expect(r.holdDbfs).toBeCloseTo(-20, 0);
  });

  it('the clip light latches until reset', () => {
    const m = new LevelMeter(RATE);
    const clipped = new Float32Array(256).fill(0.2);
    clipped[100] = 1;
    m.push(clipped);
    for (let i = 0; i < 100; i++) m.push(sine(0.1, 1024));
    expect(m.reading().clipped).toBe(true);
    m.resetClip();
    expect(m.reading().clipped).toBe(false);
  });

  it('true peak: a sine at a quarter of the rate sampled 45° off its crest reads 0 dBFS, not the −3 dBFS of its samples', () => {
    const x = Float32Array.from({ length: 4096 }, (_, i) => Math.sin((Math.PI / 2) * i + Math.PI / 4));
    expect(Math.max(...x)).toBeCloseTo(Math.SQRT1_2, 6);
    const m = new LevelMeter(RATE);
    for (let i = 0; i < x.length; i += 512) m.push(x.subarray(i, i + 512));
    expect(m.reading().peakDbfs).toBeGreaterThan(-0.3);
    expect(m.reading().peakDbfs).toBeLessThan(0.1);
  });

  it('true peak is the same whatever the block boundaries (history carried across pushes)', () => {
    const x = Float32Array.from({ length: 3000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 11025 * i) / 44100 + 0.3));
    const whole = new TruePeakDetector().push(x);
    const d = new TruePeakDetector();
    let blocks = 0;
    for (let i = 0; i < x.length; i += 7) blocks = Math.max(blocks, d.push(x.subarray(i, i + 7)));
    expect(blocks).toBeCloseTo(whole, 9);
    expect(whole).toBeGreaterThan(0.49);
  });

  it('a −6 dBFS click between silence: the highest peak since reset keeps it after the click has left the window and the hold', () => {
    const m = new LevelMeter(RATE);
    const click = new Float32Array(1024);
    for (let i = 0; i < 288; i++) click[400 + i] = 0.5 * Math.sin((Math.PI * i) / 288) ** 2 * Math.cos((2 * Math.PI * 3000 * i) / RATE);
    m.push(click);
    for (let i = 0; i < 100; i++) m.push(new Float32Array(1024)); // 2.1 s of digital silence
    const r = m.reading();
    expect(r.peakDbfs).toBe(METER_FLOOR_DBFS);
    expect(r.holdDbfs).toBe(METER_FLOOR_DBFS);
    expect(r.maxPeakDbfs).toBeGreaterThan(-6.5);
    expect(r.maxPeakDbfs).toBeLessThan(-5.9);
    m.resetClip();
    expect(m.reading().maxPeakDbfs).toBe(METER_FLOOR_DBFS);
  });

  it('digital silence reads "below −120 dBFS", never −∞', () => {
    expect(formatMeterDb(METER_FLOOR_DBFS)).toBe('below −120');
    expect(formatMeterDb(-200)).toBe('below −120');
    expect(formatMeterDb(-12.34)).toBe('−12.3');
    expect(formatMeterDb(null)).toBe('—');
  });

  it('noise floor: RMS over exactly the requested stretch', () => {
    const f = new NoiseFloorMeter(RATE, 0.1);
    expect(f.rmsDbfs()).toBeNull();
    expect(f.push(new Float32Array(2400).fill(0.01))).toBe(false);
    expect(f.progress).toBeCloseTo(0.5);
    expect(f.push(new Float32Array(4800).fill(0.01))).toBe(true);
    f.push(new Float32Array(4800).fill(1)); // beyond the stretch: ignored
    expect(f.rmsDbfs()).toBeCloseTo(-40, 6);
  });

  it('maps dBFS to the meter bar and estimates SNR from signal-plus-noise and noise', () => {
    expect(meterFraction(-60)).toBe(0);
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(-30)).toBeCloseTo(0.5);
    expect(meterFraction(-Infinity)).toBe(0);
    expect(meterFraction(6)).toBe(1);
    // Signal power 1e-2 plus noise 1e-4 → total -19.957 dB; SNR 20 dB.
    expect(estimateSnrDb(10 * Math.log10(1e-2 + 1e-4), -40)).toBeCloseTo(20, 6);
  });
});

describe('level advice', () => {
  const base = { noiseFloorDbfs: null, snrDb: null, burstPeakDbfs: null, clipped: false };
  it('says nothing before anything is measured', () => {
    expect(levelAdvice(base)).toEqual([]);
  });
  it('clipping comes first and suppresses SNR advice', () => {
    const a = levelAdvice({ ...base, clipped: true, snrDb: 5 });
    expect(a[0].text).toMatch(/^Lower the level: clipping/);
    expect(a).toHaveLength(1);
  });
  it('a weak, quiet signal: raise the volume or move the mic closer', () => {
    const a = levelAdvice({ ...base, snrDb: 4, burstPeakDbfs: -45 });
    expect(a[0].severity).toBe('bad');
    expect(a[0].text).toMatch(/raise the volume or move the mic closer/);
  });
  it('a noisy room: quiet the room', () => {
    const a = levelAdvice({ ...base, noiseFloorDbfs: -38, snrDb: 6, burstPeakDbfs: -12 });
    expect(a.map((x) => x.text).join(' ')).toMatch(/Quiet the room/);
  });
  it('good SNR is reported as good', () => {
    expect(levelAdvice({ ...base, snrDb: 35, burstPeakDbfs: -12 })).toEqual([{ severity: 'ok', text: expect.stringMatching(/good/) }]);
  });
  it('a burst near full scale asks for a little less level', () => {
    expect(levelAdvice({ ...base, snrDb: 40, burstPeakDbfs: -1 })[0].text).toMatch(/close to clipping/);
  });
});

/**
 * Input meter maths: true peak (4× oversampled, so a short click between samples is caught) and
 * RMS in dBFS over a sliding window, a peak hold, the highest true peak since the last reset (a
 * click train's clicks stay visible between clicks and after the burst), a clip light that latches
 * until reset, the noise floor over a stretch of quiet, and the advice the level check gives. Time
 * is counted in frames of the samples pushed, so the behaviour is exact and testable.
 */
import { amplitudeToDb, CLIP_THRESHOLD, powerToDb } from '../../shared/primitives/signal-level';

export interface MeterReading {
  /** True peak of the last window, dBFS. */
  peakDbfs: number;
  /** RMS of the last window, dBFS. */
  rmsDbfs: number;
  /** Highest true peak within the hold time, dBFS. */
  holdDbfs: number;
  /** Highest true peak since the meter started or was reset, dBFS. */
  maxPeakDbfs: number;
  /** A sample reached full scale since the last reset. */
  clipped: boolean;
}

/**
 * The lowest level the meter reports: anything quieter (digital silence included) reads as this,
 * and the display says "below −120 dBFS" instead of a number. 24-bit converters reach about −140 dBFS.
 */
export const METER_FLOOR_DBFS = -120;

/** A level for display: "−12.3", or "below −120" at the meter's floor; "—" for none. */
export function formatMeterDb(db: number | null | undefined): string {
  if (db === null || db === undefined || Number.isNaN(db)) return '—';
  if (db <= METER_FLOOR_DBFS) return `below ${METER_FLOOR_DBFS}`.replace('-', '−');
  return db.toFixed(1).replace('-', '−');
}

const OVERSAMPLE = 4;
/** Taps each side of an interpolated point (a Hann-windowed sinc of 2·HALF_TAPS taps per phase). */
const HALF_TAPS = 8;

/** The interpolation filter for each fractional phase 1/4, 2/4, 3/4: taps over samples n−HALF_TAPS+1 … n+HALF_TAPS. */
const PHASE_TAPS: Float64Array[] = Array.from({ length: OVERSAMPLE - 1 }, (_, p) => {
  const frac = (p + 1) / OVERSAMPLE;
  const taps = new Float64Array(2 * HALF_TAPS);
  for (let k = 0; k < taps.length; k++) {
    const x = k - (HALF_TAPS - 1) - frac; // distance of sample n+k−HALF_TAPS+1 from the point n+frac
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / (HALF_TAPS + 1));
    taps[k] = sinc * window;
  }
  // Unity gain at DC, so a steady level reads the same between samples as on them.
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
});

/**
 * True peak as ITU-R BS.1770 estimates it: the largest magnitude of the signal 4× oversampled
 * (band-limited interpolation between samples), so a peak between two samples is not missed. Keeps
 * the last samples across pushes, so chunk boundaries do not matter; interpolated points are
 * reported HALF_TAPS samples late.
 */
export class TruePeakDetector {
  private readonly history = new Float64Array(2 * HALF_TAPS);
  private filled = 0;

  /** The true peak (linear) of the samples pushed, including the points between them and the previous push. */
  push(samples: Float32Array): number {
    const h = this.history;
    const n = h.length;
    let peak = 0;
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i];
      const a = Math.abs(v);
      if (a > peak) peak = a;
      h.copyWithin(0, 1);
      h[n - 1] = v;
      if (this.filled < n) {
        this.filled++;
        if (this.filled < n) continue;
      }
      // Points between history[HALF_TAPS − 1] and history[HALF_TAPS].
      for (const taps of PHASE_TAPS) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += taps[k] * h[k];
        const m = Math.abs(sum);
        if (m > peak) peak = m;
      }
    }
    return peak;
  }
}

export interface LevelMeterOptions {
  /** Window of the peak and RMS readings. Default 0.3 s. */
  windowS?: number;
  /** How long the peak hold keeps its highest value. Default 1.5 s. */
  holdS?: number;
}

interface Block {
  frames: number;
  sumSquares: number;
  peak: number;
}

export class LevelMeter {
  private readonly windowFrames: number;
  private readonly holdFrames: number;
  private blocks: Block[] = [];
  private framesInWindow = 0;
  private holdPeak = 0;
  private holdAge = 0;
  private maxPeak = 0;
  private clipLatched = false;
  private readonly truePeak = new TruePeakDetector();

  constructor(sampleRate: number, options: LevelMeterOptions = {}) {
    this.windowFrames = Math.max(1, Math.round((options.windowS ?? 0.3) * sampleRate));
    this.holdFrames = Math.max(1, Math.round((options.holdS ?? 1.5) * sampleRate));
  }

  push(samples: Float32Array): void {
    if (samples.length === 0) return;
    let samplePeak = 0;
    let sumSquares = 0;
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i];
      const a = Math.abs(v);
      if (a > samplePeak) samplePeak = a;
      sumSquares += v * v;
    }
    // Clipping is a sample at full scale; the readings are true peaks.
    if (samplePeak >= CLIP_THRESHOLD) this.clipLatched = true;
    const peak = Math.max(samplePeak, this.truePeak.push(samples));
    if (peak > this.maxPeak) this.maxPeak = peak;
    this.blocks.push({ frames: samples.length, sumSquares, peak });
    this.framesInWindow += samples.length;
    while (this.blocks.length > 1 && this.framesInWindow - this.blocks[0].frames >= this.windowFrames) {
      this.framesInWindow -= (this.blocks.shift() as Block).frames;
    }
    this.holdAge += samples.length;
    if (peak >= this.holdPeak || this.holdAge > this.holdFrames) {
      // A new highest peak restarts the hold; an expired hold falls to the current block's peak.
      this.holdPeak = peak;
      this.holdAge = 0;
    }
  }

  reading(): MeterReading {
    let peak = 0;
    let sumSquares = 0;
    for (const b of this.blocks) {
      peak = Math.max(peak, b.peak);
      sumSquares += b.sumSquares;
    }
    const toDb = (db: number) => Math.max(METER_FLOOR_DBFS, db);
    return {
      peakDbfs: toDb(amplitudeToDb(peak)),
      rmsDbfs: toDb(this.framesInWindow > 0 ? powerToDb(sumSquares / this.framesInWindow) : METER_FLOOR_DBFS),
      holdDbfs: toDb(amplitudeToDb(this.holdPeak)),
      maxPeakDbfs: toDb(amplitudeToDb(this.maxPeak)),
      clipped: this.clipLatched,
    };
  }

  /** Clears the clip light and the highest peak. */
  resetClip(): void {
    this.clipLatched = false;
    this.maxPeak = 0;
  }
}

/** Accumulates the RMS of a stretch of quiet (the noise floor). */
export class NoiseFloorMeter {
  private frames = 0;
  private sumSquares = 0;
  readonly targetFrames: number;

  constructor(sampleRate: number, durationS: number) {
    this.targetFrames = Math.max(1, Math.round(durationS * sampleRate));
  }

  /** Adds samples up to the target length; returns true once it is reached. */
  push(samples: Float32Array): boolean {
    const n = Math.min(samples.length, this.targetFrames - this.frames);
    for (let i = 0; i < n; i++) this.sumSquares += samples[i] * samples[i];
    this.frames += n;
    return this.done;
  }

  get done(): boolean {
    return this.frames >= this.targetFrames;
  }

  get progress(): number {
    return this.frames / this.targetFrames;
  }

  /** RMS so far in dBFS (floored at the meter floor); null before any sample. */
  rmsDbfs(): number | null {
    if (this.frames === 0) return null;
    return Math.max(METER_FLOOR_DBFS, powerToDb(this.sumSquares / this.frames));
  }
}

/** Meter bar position 0..1 for a dBFS value over [floorDb, 0]. */
export function meterFraction(dbfs: number, floorDb = -60): number {
  if (!Number.isFinite(dbfs)) return 0;
  return Math.min(1, Math.max(0, (dbfs - floorDb) / -floorDb));
}

/** SNR from the signal's RMS (signal plus noise, as measured) and the noise floor's RMS, in dB. */
export function estimateSnrDb(signalRmsDbfs: number, noiseFloorDbfs: number): number {
  const total = 10 ** (signalRmsDbfs / 10);
  const noise = 10 ** (noiseFloorDbfs / 10);
  return powerToDb(Math.max(total - noise, 1e-20)) - powerToDb(noise);
}

export interface LevelFindings {
  /** Noise floor RMS over a stretch of quiet, dBFS. */
  noiseFloorDbfs: number | null;
  /** SNR of the test burst (from the analysis), dB. */
  snrDb: number | null;
  /** Peak of the capture during the burst, dBFS. */
  burstPeakDbfs: number | null;
  /** The clip light is on. */
  clipped: boolean;
}

export type AdviceSeverity = 'ok' | 'warn' | 'bad';

export interface LevelAdvice {
  severity: AdviceSeverity;
  text: string;
}

/** What to do about the levels, most urgent first. Empty when nothing has been measured yet. */
export function levelAdvice(f: LevelFindings): LevelAdvice[] {
  const advice: LevelAdvice[] = [];
  const clipping = f.clipped || (f.burstPeakDbfs !== null && f.burstPeakDbfs >= amplitudeToDb(CLIP_THRESHOLD));
  if (clipping) {
    advice.push({ severity: 'bad', text: 'Lower the level: clipping. Turn down the speaker, the signal level or the microphone gain until the peak stays below -3 dBFS, then reset the clip light.' });
  } else if (f.burstPeakDbfs !== null && f.burstPeakDbfs > -3) {
    advice.push({ severity: 'warn', text: `The test burst peaks at ${f.burstPeakDbfs.toFixed(1)} dBFS, close to clipping: lower the level a little.` });
  }
  if (f.noiseFloorDbfs !== null && f.noiseFloorDbfs > -45) {
    advice.push({ severity: 'warn', text: `Quiet the room: the noise floor is ${f.noiseFloorDbfs.toFixed(1)} dBFS (below -60 dBFS is a quiet room with a typical microphone).` });
  }
  if (f.snrDb !== null && !clipping) {
    if (f.snrDb < 10) {
      const quiet = f.burstPeakDbfs !== null && f.burstPeakDbfs < -30;
      advice.push({
        severity: 'bad',
        text: quiet
          ? `The signal is weak (SNR ${f.snrDb.toFixed(1)} dB, peak ${f.burstPeakDbfs?.toFixed(1)} dBFS): raise the volume or move the mic closer to the speaker.`
          : `SNR is only ${f.snrDb.toFixed(1)} dB: quiet the room, or raise the volume and move the mic closer.`,
      });
    } else if (f.snrDb < 20) {
      advice.push({ severity: 'warn', text: `SNR ${f.snrDb.toFixed(1)} dB is usable for latency; raise the volume or move the mic closer for a cleaner frequency response (aim for 20 dB or more).` });
    } else {
      advice.push({ severity: 'ok', text: `SNR ${f.snrDb.toFixed(1)} dB: good for latency and frequency response.` });
    }
  }
  return advice;
}

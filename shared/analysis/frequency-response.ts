/**
 * Frequency response of the path: the H1 transfer-function estimate with coherence.
 *
 * Welch averaging: Hann-windowed segments of `fftSize` frames with 50 % overlap over the span
 * where the stimulus plays. Each capture segment is aligned to its reference segment by the
 * measured latency at that time (the drift line from the latency analysis): the integer part
 * shifts the segment, the fractional part is removed as a linear phase. When the clocks drift by
 * more than 0.02 frames over one segment (about 1 ppm at 16k frames), the capture is first
 * resampled along the drift line, since a stretch within a segment would otherwise smear high
 * frequencies (100 ppm costs ~10 dB at 12 kHz with 32k-frame segments). So the phase reported is
 * the excess phase beyond the measured latency, and drift does not blur high frequencies.
 *
 *   Gxx = Σ|X|²,  Gyy = Σ|Y|²,  Gxy = Σ conj(X)·Y   (sums over segments)
 *   H1 = Gxy / Gxx,   coherence γ² = |Gxy|² / (Gxx · Gyy)
 *
 * H1 is unbiased by noise at the microphone (the noise bias of the per-bin power is removed, see
 * estimateBandSpectra); γ² is 1 for a noise-free linear path and falls with
 * noise, distortion, reverberation longer than a segment, and time variance.
 *
 * Every FFT bin is assigned to exactly one 1/48-octave band ("band spectra", stored in reports):
 * Gxx and Gyy are summed, and the band's Gxy is the cross-spectrum whose H1 and γ² are the averages
 * of its bins' (|H|² weighted by Gxx, γ² by Gyy), with the phase of the bins' sum (see
 * estimateBandSpectra). A 1/N-octave point
 * averages |H|² and γ² of the bands within ±1/(2N) octave of it, each band weighing the same
 * (see smoothResponse). At low frequencies, where bins are sparser than bands, only bands that hold
 * a bin give points.
 *
 * Magnitude is the path gain in dB: 0 dB means the capture carries the stimulus at the level it
 * was played. `referenceLevelDb` (mean over 500 Hz–2 kHz) is given so displays can normalise.
 */
import { fftPlan } from '../primitives/fft';
import { resampleLinear } from '../primitives/sinc-interpolation';

export const BANDS_PER_OCTAVE = 48;
export const LOWEST_BAND_HZ = 20;

/** Fractional-octave smoothing: 1/N octave, or 0 for none (the 1/48-octave bands as they are). */
export type SmoothingFraction = 0 | 1 | 2 | 3 | 6 | 12 | 24 | 48;
export const SMOOTHING_FRACTIONS: readonly SmoothingFraction[] = [0, 1, 2, 3, 6, 12, 24, 48];

/** Pooled spectra of one 1/48-octave band. */
export interface SpectrumBand {
  /** Band centre. */
  hz: number;
  /** FFT bins pooled. */
  bins: number;
  gxx: number;
  gyy: number;
  gxyRe: number;
  gxyIm: number;
}

export interface BandSpectra {
  sampleRate: number;
  fftSize: number;
  /** Segments averaged. */
  averages: number;
  /** Bands holding at least one bin, ascending, between LOWEST_BAND_HZ and the top of the stimulus. */
  bands: SpectrumBand[];
}

export interface FrequencyPoint {
  hz: number;
  db: number;
  phaseDeg: number;
  coherence: number;
  /** Set (true) where the quality figure is below LOW_QUALITY_COHERENCE: shown greyed, not hidden. */
  lowQuality?: boolean;
}

/** Below this coherence (γ² of the band, or the IR's band quality: SNR under 0 dB) a point is flagged. */
export const LOW_QUALITY_COHERENCE = 0.5;

const flagged = (p: FrequencyPoint): FrequencyPoint => (p.coherence < LOW_QUALITY_COHERENCE ? { ...p, lowQuality: true } : p);

export interface SpectraOptions {
  /** Span of the reference where the stimulus plays. */
  startFrame: number;
  endFrame: number;
  /** Latency in fractional frames along the reference: lag(frame) = interceptFrames + slope·frame. */
  lag: { interceptFrames: number; slope: number };
  /** Segment length (power of two). Default: the largest giving at least 8 segments, 4096..65536. */
  fftSize?: number;
}

/** Reference bins weaker than this, relative to the strongest band, carry no stimulus. */
const STIMULUS_FLOOR = 1e-6;

export function defaultFftSize(spanFrames: number): number {
  let size = 65536;
  while (size > 4096 && spanFrames / size < 4.5) size /= 2; // 4.5 spans ≈ 8 half-overlapped segments
  return size;
}

/**
 * Welch band spectra of capture vs reference. Returns null when the span is shorter than one
 * segment of the smallest size.
 */
export function estimateBandSpectra(reference: Float32Array, capture: Float32Array, sampleRate: number, options: SpectraOptions): BandSpectra | null {
  const start = Math.max(0, options.startFrame);
  const end = Math.min(reference.length, options.endFrame);
  const fftSize = options.fftSize ?? defaultFftSize(end - start);
  if (end - start < fftSize) return null;
  const { interceptFrames, slope } = options.lag;
  let lagAt = (frame: number): number => interceptFrames + slope * frame;
  let source = capture;
  if (Math.abs(slope) * fftSize > 0.02) {
    // Read the capture along the drift line onto the reference's timeline; then no lag remains. It
    // runs one segment past the span (for the last window), but not past the end of the capture:
    // reference frame f sits at capture position interceptFrames + (1 + slope)·f.
    const last = Math.min(end + fftSize, Math.floor((capture.length - 1 - interceptFrames) / (1 + slope)) + 1);
    source = new Float32Array(Math.max(start, last));
    if (last > start) source.set(resampleLinear(capture, last - start, start + interceptFrames + slope * start, 1 + slope), start);
    lagAt = () => 0;
  }
  const plan = fftPlan(fftSize);
  const bins = fftSize / 2;
  const hann = new Float64Array(fftSize);
  for (let i = 0; i < fftSize; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / fftSize);
  const gxx = new Float64Array(bins + 1);
  const gyy = new Float64Array(bins + 1);
  const gxyRe = new Float64Array(bins + 1);
  const gxyIm = new Float64Array(bins + 1);
  const xs = new Float64Array(fftSize);
  const ys = new Float64Array(fftSize);
  const X = new Float64Array(fftSize + 2);
  const Y = new Float64Array(fftSize + 2);
  const hop = fftSize / 2;
  let averages = 0;
  // Segments start every hop from the span's start while their centre lies in the span, so the
  // span's last frames sit near the centre of the last window (a sweep's top octave plays there).
  // A segment is used only if the capture covers the part of it where the stimulus plays; past the
  // span's end, where the reference is silent, a capture that has ended reads as zeros.
  for (let s = start; s + hop <= end; s += hop) {
    const lag = lagAt(s + hop);
    const shift = Math.round(lag);
    const fraction = lag - shift;
    const c0 = s + shift;
    if (c0 < 0 || c0 + Math.min(fftSize, end - s) > source.length) continue;
    for (let i = 0; i < fftSize; i++) {
      xs[i] = s + i < reference.length ? reference[s + i] * hann[i] : 0;
      ys[i] = c0 + i < source.length ? source[c0 + i] * hann[i] : 0;
    }
    plan.forwardReal(xs, 0, fftSize, X);
    plan.forwardReal(ys, 0, fftSize, Y);
    for (let k = 0; k <= bins; k++) {
      const xr = X[2 * k];
      const xi = X[2 * k + 1];
      let yr = Y[2 * k];
      let yi = Y[2 * k + 1];
      if (fraction !== 0) {
        // Advance Y by the fractional lag: multiply by e^{+jωτ}.
        const phi = (2 * Math.PI * k * fraction) / fftSize;
        const c = Math.cos(phi);
        const sn = Math.sin(phi);
        const r = yr * c - yi * sn;
        yi = yr * sn + yi * c;
        yr = r;
      }
      gxx[k] += xr * xr + xi * xi;
      gyy[k] += yr * yr + yi * yi;
      gxyRe[k] += xr * yr + xi * yi;
      gxyIm[k] += xr * yi - xi * yr;
    }
    averages++;
  }
  if (averages === 0) return null;

  // Pool bins into 1/48-octave bands: band b is centred on LOWEST_BAND_HZ·2^(b/48).
  const binHz = sampleRate / fftSize;
  const pooled = new Map<number, SpectrumBand>();
  // Per band: Σ |Gxy|²/Gxx over its bins (= Σ Gxx·|H_k|²), for the band's equivalent cross-spectrum.
  const binPower = new Map<number, number>();
  let strongest = 0;
  for (let k = 1; k < bins; k++) strongest = Math.max(strongest, gxx[k]);
  for (let k = 1; k < bins; k++) {
    const hz = k * binHz;
    if (hz < LOWEST_BAND_HZ * 2 ** (-0.5 / BANDS_PER_OCTAVE)) continue;
    if (gxx[k] < STIMULUS_FLOOR * strongest) continue;
    const b = Math.round(BANDS_PER_OCTAVE * Math.log2(hz / LOWEST_BAND_HZ));
    let band = pooled.get(b);
    if (!band) {
      band = { hz: LOWEST_BAND_HZ * 2 ** (b / BANDS_PER_OCTAVE), bins: 0, gxx: 0, gyy: 0, gxyRe: 0, gxyIm: 0 };
      pooled.set(b, band);
    }
    band.bins++;
    band.gxx += gxx[k];
    band.gyy += gyy[k];
    band.gxyRe += gxyRe[k];
    band.gxyIm += gxyIm[k];
    // Gxx·|H_k|², unbiased: with n averages, noise adds about Gxx·Gnn to |Gxy|² and n·Gnn to Gyy,
    // so (n·|Gxy|² − Gxx·Gyy)/(n − 1) removes it (exact without noise). Left unclipped per bin, so
    // the noise averages out over the band instead of adding up.
    const cross = gxyRe[k] * gxyRe[k] + gxyIm[k] * gxyIm[k];
    const power = averages > 1 ? (averages * cross - gxx[k] * gyy[k]) / ((averages - 1) * gxx[k]) : cross / gxx[k];
    binPower.set(b, (binPower.get(b) ?? 0) + power);
  }
  // The band's cross-spectrum keeps the phase of the summed bins but takes the magnitude that makes
  // its |H|² the Gxx-weighted average of its bins' (noise bias removed) and its γ² the share of Gyy
  // that the path explains. Summing the bins' complex Gxy instead would cancel wherever the phase
  // turns within the band: in a room it turns every few Hz, and the sum kept only the direct sound
  // (levels read several dB low at high frequencies) while γ² fell to 0.4 with no noise at all.
  for (const [b, band] of pooled) {
    // A band of noise only may come out slightly negative: it keeps a floor far below any signal.
    const magnitude = Math.sqrt(band.gxx * Math.max(binPower.get(b) ?? 0, 1e-12 * band.gxx));
    const phase = Math.atan2(band.gxyIm, band.gxyRe);
    band.gxyRe = magnitude * Math.cos(phase);
    band.gxyIm = magnitude * Math.sin(phase);
  }
  const bands = [...pooled.entries()].sort((a, b) => a[0] - b[0]).map(([, band]) => band);
  return { sampleRate, fftSize, averages, bands };
}

function toPoint(hz: number, gxx: number, gyy: number, gxyRe: number, gxyIm: number): FrequencyPoint {
  const re = gxyRe / gxx;
  const im = gxyIm / gxx;
  const cross = gxyRe * gxyRe + gxyIm * gxyIm;
  return {
    hz,
    db: 10 * Math.log10(Math.max(re * re + im * im, 1e-30)),
    phaseDeg: (Math.atan2(im, re) * 180) / Math.PI,
    coherence: gyy > 0 ? Math.min(1, cross / (gxx * gyy)) : 0,
  };
}

/**
 * Response points with 1/N-octave smoothing (0 = none): one point per band, each over the bands
 * within ±1/(2N) octave of it, for the bands whose whole window the spectrum covers (the response
 * starts and ends 1/(2N) octave inside it; a spectrum narrower than one window gives every band). Smoothing of 1/48 or none returns the bands as they are.
 *
 * Magnitude and coherence are averaged, not the complex spectra: across an octave the phase of a
 * real path turns (a 2-pole low-pass turns by up to 180°), and summing Gxy over such a span cancels
 * part of it, which would pull |H| and γ² down although nothing is wrong with the capture. So |H|²
 * is the power average of the bands' |H_b|², γ² the average of their coherence, each band weighing
 * the same (the bands are log-spaced, so this is an average over log frequency, independent of the
 * stimulus' spectrum: pink noise and a sweep give the same curve), and the phase is that of the
 * summed Gxy (the phase around the point's centre).
 */
export function smoothResponse(spectra: Pick<BandSpectra, 'bands'>, fraction: SmoothingFraction): FrequencyPoint[] {
  const { bands } = spectra;
  const single = bands.map((b) => toPoint(b.hz, b.gxx, b.gyy, b.gxyRe, b.gxyIm));
  if (fraction === 0 || fraction === 48) return single.map(flagged);
  const halfWidth = 1 / (2 * fraction); // octaves
  const logs = bands.map((b) => Math.log2(b.hz));
  const power = single.map((p) => 10 ** (p.db / 10));
  const points: FrequencyPoint[] = [];
  let lo = 0;
  let hi = 0;
  // No point whose window reaches past the first or the last band: averaged over one side only, it
  // would follow the response's local slope (a click's lowest point read 1.1 dB off in a room).
  // Unless the bands span less than one window: then every point, each over what there is.
  const whole = bands.length > 0 && logs[bands.length - 1] - logs[0] >= 2 * halfWidth - 1e-9;
  for (let i = 0; i < bands.length; i++) {
    if (whole && (logs[i] - halfWidth < logs[0] - 1e-9 || logs[i] + halfWidth > logs[bands.length - 1] + 1e-9)) continue;
    while (hi < bands.length && logs[hi] <= logs[i] + halfWidth + 1e-12) hi++;
    while (logs[lo] < logs[i] - halfWidth - 1e-12) lo++;
    // Direct sums (a window holds at most 48 bands), no running sums whose rounding would build up
    // over bands many decades apart in level.
    let p = 0, coherence = 0, re = 0, im = 0;
    for (let j = lo; j < hi; j++) {
      p += power[j];
      coherence += single[j].coherence;
      re += bands[j].gxyRe;
      im += bands[j].gxyIm;
    }
    const n = hi - lo;
    points.push(flagged({
      hz: bands[i].hz,
      db: 10 * Math.log10(Math.max(p / n, 1e-30)),
      phaseDeg: (Math.atan2(im, re) * 180) / Math.PI,
      coherence: coherence / n,
    }));
  }
  return points;
}

/** Mean of the magnitude (power average) over [lowHz, highHz], in dB; null when no band is inside. */
export function meanLevelDb(spectra: Pick<BandSpectra, 'bands'>, lowHz = 500, highHz = 2000): number | null {
  let power = 0;
  let count = 0;
  for (const b of spectra.bands) {
    if (b.hz < lowHz || b.hz > highHz) continue;
    const re = b.gxyRe / b.gxx;
    const im = b.gxyIm / b.gxx;
    power += re * re + im * im;
    count++;
  }
  return count > 0 ? 10 * Math.log10(power / count) : null;
}

/** Median coherence of the bands within [lowHz, highHz]; null when none. */
export function medianCoherence(spectra: Pick<BandSpectra, 'bands'>, lowHz = 100, highHz = 10000): number | null {
  const values = spectra.bands
    .filter((b) => b.hz >= lowHz && b.hz <= highHz)
    // A band with no capture energy (gyy = 0) explains nothing: coherence 0, not NaN.
    .map((b) => (b.gxx > 0 && b.gyy > 0 ? (b.gxyRe ** 2 + b.gxyIm ** 2) / (b.gxx * b.gyy) : 0))
    .sort((a, b) => a - b);
  return values.length > 0 ? Math.min(1, values[Math.floor((values.length - 1) / 2)]) : null;
}

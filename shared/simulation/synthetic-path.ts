/**
 * Synthetic acoustic paths with a known answer, for tests and the benchmark: exact fractional
 * delays, clock drift, per-event jitter, dropouts, filters, a reverberant room and background
 * noise at a stated SNR. Everything is seeded.
 *
 * SNR convention: 10·log10(mean power of the clean path output over the stimulus' active span /
 * noise power). For a click train the active span includes the gaps between clicks.
 */
import { type ClickShape, renderClick } from '../stimulus/click-train';
import { convolve } from '../dsp/convolution';
import { fftPlan, nextPowerOfTwo } from '../primitives/fft';
import { createRandom } from '../primitives/random';
import { meanSquare } from '../primitives/signal-level';
import { resampleLinear } from '../primitives/sinc-interpolation';

/** The signal delayed by `delayFrames` (fractional) into `lengthFrames`, exact for band-limited x. */
export function delaySignal(x: Float32Array, delayFrames: number, lengthFrames: number): Float32Array {
  const size = nextPowerOfTwo(Math.max(x.length, lengthFrames) + Math.ceil(Math.abs(delayFrames)) + 4096);
  const plan = fftPlan(size);
  const spectrum = plan.forwardReal(x, 0, x.length);
  for (let k = 0; k <= size / 2; k++) {
    const phi = (-2 * Math.PI * k * delayFrames) / size;
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    const re = spectrum[2 * k];
    const im = spectrum[2 * k + 1];
    spectrum[2 * k] = re * c - im * s;
    spectrum[2 * k + 1] = re * s + im * c;
  }
  // Keep the Nyquist bin real, as a real signal's spectrum must be.
  spectrum[size + 1] = 0;
  const y = plan.inverseReal(spectrum);
  return Float32Array.from(y.subarray(0, lengthFrames));
}

/**
 * Plays `x` through a path `delayFrames` long whose playback clock runs slow by `ppm` relative to
 * the capture clock: reference frame m arrives at capture frame delay + m·(1 + ppm·1e-6), so the
 * lag grows by ppm·1e-6 frames per frame. Band-limited (windowed-sinc) interpolation.
 */
export function driftSignal(x: Float32Array, delayFrames: number, ppm: number, lengthFrames: number): Float32Array {
  const stretch = 1 + ppm * 1e-6;
  // Output frame n holds x at (n − delay) / stretch.
  return resampleLinear(x, lengthFrames, -delayFrames / stretch, 1 / stretch);
}

export interface ClickCaptureOptions {
  shape: ClickShape;
  /** Click centres in the reference, in frames. */
  clickFrames: number[];
  lengthFrames: number;
  delayFrames: number;
  driftPpm?: number;
  /** Standard deviation of per-click random timing error, in frames. */
  jitterStdFrames?: number;
  /** Indices of clicks that never arrive. */
  dropouts?: Set<number>;
  gain?: number;
  seed?: number;
}

export interface ClickCapture {
  capture: Float32Array;
  /** True latency of every click in frames (NaN for dropouts). */
  trueLagFrames: number[];
}

/** Renders a click train capture analytically: exact fractional positions, no interpolation error. */
export function renderClickCapture(options: ClickCaptureOptions): ClickCapture {
  const capture = new Float32Array(options.lengthFrames);
  const random = createRandom(options.seed ?? 7);
  const stretch = 1 + (options.driftPpm ?? 0) * 1e-6;
  const trueLagFrames = options.clickFrames.map((frame, i) => {
    const jitter = (options.jitterStdFrames ?? 0) * random.gaussian();
    if (options.dropouts?.has(i)) return NaN;
    const arrival = options.delayFrames + frame * stretch + jitter;
    renderClick(capture, options.shape, arrival, options.gain ?? 1);
    return arrival - frame;
  });
  return { capture, trueLagFrames };
}

/**
 * Pink background noise by Paul Kellet's refined filter on seeded white noise (within ±0.05 dB of
 * -3 dB/octave above 10 Hz at 44.1 kHz), unit RMS.
 */
export function pinkBackground(lengthFrames: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const out = new Float32Array(lengthFrames);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < lengthFrames; i++) {
    const white = random.gaussian();
    b0 = 0.99886 * b0 + white * 0.0555179;
    b1 = 0.99332 * b1 + white * 0.0750759;
    b2 = 0.969 * b2 + white * 0.153852;
    b3 = 0.8665 * b3 + white * 0.3104856;
    b4 = 0.55 * b4 + white * 0.5329522;
    b5 = -0.7616 * b5 - white * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
    b6 = white * 0.115926;
  }
  const level = Math.sqrt(meanSquare(out));
  for (let i = 0; i < lengthFrames; i++) out[i] /= level;
  return out;
}

export function whiteBackground(lengthFrames: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: lengthFrames }, () => random.gaussian());
}

/**
 * Adds `noise` (any level) to `clean`, scaled so that the SNR is `snrDb`: the mean power of clean
 * over [activeStart, activeEnd) over the mean power of the noise over its first clean.length
 * frames. Returns a new array.
 */
export function addNoiseAtSnr(clean: Float32Array, noise: Float32Array, snrDb: number, activeStart = 0, activeEnd = clean.length): Float32Array {
  const signalPower = meanSquare(clean, activeStart, activeEnd);
  const noisePower = meanSquare(noise, 0, clean.length);
  // Silent noise cannot be scaled to any SNR (the gain would be Infinity, the output NaN).
  if (!(noisePower > 0)) throw new RangeError(`noise power over the signal's length must be positive, got ${noisePower}`);
  const gain = Math.sqrt(signalPower / (noisePower * 10 ** (snrDb / 10)));
  return Float32Array.from(clean, (v, i) => v + gain * (noise[i] ?? 0));
}

export interface RoomOptions {
  sampleRate: number;
  /** Reverberation time (60 dB decay), seconds. */
  rt60S: number;
  /** Direct sound energy over reverberant energy, dB. */
  directToReverbDb: number;
  /** Discrete early reflections: delay after the direct sound (ms) and linear gain. */
  reflections?: Array<{ delayMs: number; gain: number }>;
  seed?: number;
}

/**
 * A room impulse response: a unit direct impulse at frame 0, discrete reflections, and an
 * exponentially decaying noise tail starting 5 ms after the direct sound, scaled to the DRR.
 */
export function roomImpulseResponse(options: RoomOptions): Float32Array {
  const { sampleRate, rt60S } = options;
  const length = Math.round(rt60S * sampleRate);
  const h = new Float32Array(length);
  h[0] = 1;
  for (const r of options.reflections ?? []) {
    const at = Math.round((r.delayMs / 1000) * sampleRate);
    if (at > 0 && at < length) h[at] += r.gain;
  }
  const random = createRandom(options.seed ?? 11);
  const start = Math.round(0.005 * sampleRate);
  const decay = Math.log(1000) / (rt60S * sampleRate); // amplitude falls 60 dB over rt60
  const tail = new Float32Array(length);
  let tailEnergy = 0;
  for (let n = start; n < length; n++) {
    tail[n] = random.gaussian() * Math.exp(-decay * (n - start));
    tailEnergy += tail[n] * tail[n];
  }
  const gain = Math.sqrt(1 / (tailEnergy * 10 ** (options.directToReverbDb / 10)));
  for (let n = start; n < length; n++) h[n] += gain * tail[n];
  return h;
}

/** Passes `x` through an FIR or room response and keeps the first `lengthFrames` frames. */
export function applyImpulseResponse(x: Float32Array, h: Float32Array, lengthFrames = x.length): Float32Array {
  const y = convolve(x, h);
  const out = new Float32Array(lengthFrames);
  out.set(y.subarray(0, Math.min(lengthFrames, y.length)));
  return out;
}

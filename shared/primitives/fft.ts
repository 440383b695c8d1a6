/**
 * The one typed wrapper around fft.js. Everything in Latency Lab that needs a Fourier transform
 * goes through `fftPlan(size)` (or `new FftPlan(size)`), and every buffer is a Float64Array (fft.js
 * is several times slower on plain Arrays or mixed buffer types).
 *
 * Spectra of real signals are "half spectra": bins 0..size/2 interleaved as re, im, so a plan of
 * size N takes and returns Float64Arrays of length N + 2.
 *
 * A real transform of N points is one complex transform of N/2 points (the signal's even samples
 * as the real part, its odd ones as the imaginary part) and an O(N) split into the half spectrum;
 * the inverse undoes the split and runs the complex transform backwards. The complex transform is
 * fft.js itself up to FOUR_STEP_POINTS; above, it is done in four steps (Bailey): N/2 = R·C, so
 * C transforms of R points down the columns, a twiddle, and R transforms of C points along the
 * rows, each an fft.js transform of about √N points that stays in the processor's cache. At 2^21
 * points that is about twice as fast as fft.js on the whole array, and its tables are O(√N) instead
 * of fft.js' 2N doubles (32 MB at 2^21) built with a sine and cosine per entry. Twiddles come from
 * two tables of about √N entries each (W^(a·S + b) = W^(a·S)·W^b), to within an ulp or two (the four
 * steps' next three columns of a block: times W^k1 each, a few ulps). The fft.js plans below
 * FOUR_STEP_POINTS get their tables the same way (`kernel`), not from a sine and cosine per entry.
 *
 * Sizes are powers of two or three times a power of two (`nextFftSize`): a transform of 3·2^k points
 * is one radix-3 step (decimation in time) over three transforms of 2^(k−1)… points, so a signal
 * just over a power of two is not padded to twice its length (a 60 s capture at 48 kHz fits 3·2^20
 * points instead of 2^22: a quarter less time and memory).
 *
 * `fftPlan` caches plans up to CACHED_PLAN_MAX_SIZE (at most 2 MB of tables each); a larger one is
 * built per call, which costs little (its tables are O(√N)). The scratch is one buffer shared by
 * all plans and held weakly (see `pooled`), so a whole-capture transform does not hold tens of MB
 * for the life of the process.
 */
import FFT from 'fft.js';
import { defineKernel, helperFor, isShared, runUnits } from './shared-work';

// Not `(n & (n - 1)) === 0`: bitwise operators truncate to 32 bits, which made 2^32 + 2 a "power of two".
export const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n >= 2 && 2 ** Math.round(Math.log2(n)) === n;

/** Smallest power of two >= n (and >= 2). */
export function nextPowerOfTwo(n: number): number {
  if (!Number.isFinite(n) || n > 2 ** 30) throw new RangeError(`FFT length out of range: ${n}`);
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/** Whether `n` is a size FftPlan takes: a power of two >= 4, or three times a power of two >= 12. */
export const isFftSize = (n: number): boolean => (isPowerOfTwo(n) && n >= 4) || (n % 3 === 0 && isPowerOfTwo(n / 3) && n >= 12);

/**
 * The smallest FFT size >= n (and >= 4): a power of two or three times one, whichever is smaller.
 * What a zero-padded transform of n samples should use, unless it needs a power of two.
 */
export function nextFftSize(n: number): number {
  const power = Math.max(4, nextPowerOfTwo(n));
  const triple = 3 * (power / 4); // 3·2^(k−2) is the only 3·2^j between 2^(k−1) and 2^k
  return triple >= n && triple >= 12 ? triple : power;
}

/** Complex transforms of this many points or more are done in four steps (fft.js alone is a little faster at 2^18 points, but its table there takes 27 ms to build, more than a one-off run of the CLI gains). */
export const FOUR_STEP_POINTS = 2 ** 18;
/** `fftPlan` caches plans of at most this size; larger ones are built for each call. */
export const CACHED_PLAN_MAX_SIZE = 2 ** 20;

/**
 * Buffers reused from call to call, weakly held: a WeakRef's target survives the current job, so one
 * analysis (a CLI run, one message to the worker) keeps reusing them instead of leaving tens of MB
 * of garbage per whole-capture transform, and they can be collected after it.
 */
const pool: Array<WeakRef<Float64Array> | null> = [];

function pooled(slot: number, length: number): Float64Array {
  let buffer = pool[slot]?.deref();
  // A buffer that could be shared but is not (allocated before the helper started) is replaced.
  if (!buffer || buffer.length < length || (shareable(length) && !isShared(buffer))) {
    buffer = transformArray(length);
    pool[slot] = new WeakRef(buffer);
  }
  return buffer.length === length ? buffer : buffer.subarray(0, length);
}

/** The plans' scratch: a transform uses it only while it runs, and none runs inside another. */
const SCRATCH_SLOT = 0;

/**
 * Work buffer `slot` (0 or 1) of `length` doubles, for a caller that uses it within one call and
 * returns nothing that shares its memory (whole-capture spectra: 32 MB at 2^22 points). Its
 * contents are whatever the last user left.
 */
export function workBuffer(slot: 0 | 1, length: number): Float64Array {
  return pooled(1 + slot, length);
}

/**
 * The transforms' own scratch (`length` doubles), lent to a caller that is done with it before the
 * next transform runs: every transform overwrites it. A whole capture's bookkeeping between its
 * transforms (the deconvolution's prefix sums: 12 MB at 3·2^20 points) then touches no new memory.
 */
export function scratchBetweenTransforms(length: number): Float64Array {
  return pooled(SCRATCH_SLOT, length);
}

/**
 * Hands work buffer `slot` over to the caller, who keeps what it holds (a whole-capture result that
 * would otherwise be copied out: 25 MB at 3·2^20 points); the next user of the slot gets a new one.
 */
export function detachWorkBuffer(slot: 0 | 1): void {
  pool[1 + slot] = null;
}

/** fft.js plans of fewer than FOUR_STEP_POINTS points (2 MB of tables for all of them together), shared. */
const kernels = new Map<number, FFT>();

/** The fields fft.js' constructor sets from its size (fft.js 4.0.4, lib/fft.js), which `kernel` sets itself. */
interface FftJsFields {
  size: number;
  _csize: number;
  table: Float64Array;
  _width: number;
  _bitrev: number[];
}

/**
 * The fft.js plan of `points` (a power of two). fft.js' constructor computes its table of
 * e^{−j2πm/points}, m < points, with a sine and a cosine per entry (17 ms for the sizes one
 * analysis uses, as much as the transforms themselves at 2^16 points); here the table comes from
 * Twiddles' two tables of about √points entries (to within an ulp or two), as a Float64Array (a typed
 * table keeps fft.js' inner loops monomorphic), and the other fields as fft.js sets them.
 */
function kernel(points: number): FFT {
  let fft = kernels.get(points);
  if (!fft) {
    fft = new FFT(2); // its tables are two entries long; every size-dependent field is set below
    const fields = fft as unknown as FftJsFields;
    const table = twiddleTable(points);
    const power = Math.round(Math.log2(points));
    const width = power % 2 === 0 ? power - 1 : power;
    const bitrev = fftJsBitReversal(width);
    // As small integers (`| 0`), as fft.js' constructor stores them: a size computed as a double
    // (2 ** k, points / 3) changed the fields' representation, and V8 threw away fft.js' optimised
    // kernel for every plan built before ("wrong map", "not a Smi"), mid-analysis.
    fields.size = points | 0;
    fields._csize = (2 * points) | 0;
    fields.table = table;
    fields._width = width | 0;
    fields._bitrev = bitrev;
    kernels.set(points, fft);
  }
  return fft;
}

/**
 * fft.js' `_bitrev` table for a transform of `width` bits (its constructor's loop: entry j ORs
 * ((j >>> s) & 3) << (width − s − 2) over even s < width, JavaScript's shift counts included), from
 * two small tables: entry j = low[j & 255] | high[j >>> 8], since the low 8 bits hold the digits of
 * s < 8 and the rest those of s ≥ 8. The loop itself took 10 ms for 2^17 entries in a one-off run
 * (it runs once, so V8 never optimises it); this takes well under 1 ms.
 */
export function fftJsBitReversal(width: number): number[] {
  const digits = (value: number, shift: number, from: number, to: number): number => {
    let v = 0;
    for (let s = from; s < to; s += 2) v |= ((value >>> (s - shift)) & 3) << (width - s - 2);
    return v;
  };
  const size = 1 << width;
  const lowBits = Math.min(width, 8);
  const low = Array.from({ length: 1 << lowBits }, (_, j) => digits(j, 0, 0, lowBits));
  const high = Array.from({ length: size >>> lowBits }, (_, j) => digits(j, 8, 8, width));
  const bitrev = new Array<number>(size);
  for (let j = 0; j < size; j++) bitrev[j] = low[j & 255] | high[j >>> 8];
  return bitrev;
}

/** e^{−j2πm/points} for m < points, interleaved re, im: fft.js' table, from Twiddles. */
function twiddleTable(points: number): Float64Array {
  const { shift, mask, coarse, fine } = new Twiddles(points, points - 1);
  const table = new Float64Array(2 * points);
  for (let m = 0; m < points; m++) {
    const a = 2 * (m >>> shift);
    const b = 2 * (m & mask);
    table[2 * m] = coarse[a] * fine[b] - coarse[a + 1] * fine[b + 1];
    table[2 * m + 1] = coarse[a] * fine[b + 1] + coarse[a + 1] * fine[b];
  }
  return table;
}

/**
 * e^{−j2π·e/n} for 0 <= e <= limit from two tables, `coarse` (e = a·2^shift) and `fine` (e < 2^shift),
 * interleaved re, im: W^e = coarse[e >> shift]·fine[e & mask].
 */
class Twiddles {
  readonly shift: number;
  readonly mask: number;
  readonly coarse: Float64Array;
  readonly fine: Float64Array;

  constructor(n: number, limit: number) {
    this.shift = Math.ceil(Math.log2(n) / 2);
    const step = 2 ** this.shift;
    this.mask = step - 1;
    const coarse = Math.floor(limit / step) + 1;
    this.coarse = new Float64Array(2 * coarse);
    this.fine = new Float64Array(2 * step);
    for (let a = 0; a < coarse; a++) {
      const angle = (-2 * Math.PI * a * step) / n;
      this.coarse[2 * a] = Math.cos(angle);
      this.coarse[2 * a + 1] = Math.sin(angle);
    }
    for (let b = 0; b < step; b++) {
      const angle = (-2 * Math.PI * b) / n;
      this.fine[2 * b] = Math.cos(angle);
      this.fine[2 * b + 1] = Math.sin(angle);
    }
  }
}

/**
 * The thirds x_r[n] = x[3n + r] of the complex `data` (3·p points) into `scratch`, one after the
 * other. Each of these loops is a function of its own, so that V8 optimises it whole (see fourStep).
 */
function deinterleaveThirds(data: Float64Array, scratch: Float64Array, p: number, from: number, to: number): void {
  const w = 2 * p;
  for (let n = from; n < to; n++) {
    const s = 6 * n;
    const d = 2 * n;
    scratch[d] = data[s];
    scratch[d + 1] = data[s + 1];
    scratch[w + d] = data[s + 2];
    scratch[w + d + 1] = data[s + 3];
    scratch[2 * w + d] = data[s + 4];
    scratch[2 * w + d + 1] = data[s + 5];
  }
}

/** The steps of a four-step or radix-3 transform a helper thread can share (see shared-work.ts). */
export type TransformStep = 'columns' | 'rows' | 'thirds' | 'butterfly';
/** A shared step's index here is its params[0] (see TRANSFORM_STEP). */
export const TRANSFORM_STEPS: readonly TransformStep[] = ['columns', 'rows', 'thirds', 'butterfly'];

/**
 * Real transforms of this many points or more have steps a helper can share (their complex
 * transform has FOUR_STEP_POINTS or more); their work buffers and default outputs are then
 * allocated in shared memory (`transformArray`).
 */
const SHARED_TRANSFORM_SIZE = 2 * FOUR_STEP_POINTS;

/** Whether a transform buffer of `length` doubles goes in shared memory: a helper runs (started by this one if need be) and it is large enough to share. */
const shareable = (length: number): boolean => helperFor(length) && length >= SHARED_TRANSFORM_SIZE;

/** A zeroed Float64Array of `length` doubles for a transform: in shared memory when it is shareable. */
export function transformArray(length: number): Float64Array {
  return shareable(length) ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
}

/** A helper thread's transforms, one per size (their tables are O(√N)). */
const helperTransforms = new Map<number, ComplexTransform>();

/**
 * One step of a transform, as a helper thread runs it: arrays [from, to], params [step (its index
 * in TRANSFORM_STEPS), points, inverse (1) or forward (0)]; a unit is a block of columns or rows, or
 * a point of a third (ComplexTransform.units).
 */
const TRANSFORM_STEP = defineKernel('fft-step', (arrays, params, first, end) => {
  const points = params[1];
  let transform = helperTransforms.get(points);
  if (!transform) {
    transform = new ComplexTransform(points);
    helperTransforms.set(points, transform);
  }
  transform.runUnits(TRANSFORM_STEPS[params[0]], arrays[0], arrays[1], params[2] === 1, first, end);
});

let warm = false;

/**
 * Runs every path of the large transforms once, on this thread, on a few hundred points before the
 * first four-step transform: a radix-3 transform over four-step thirds (8 × 16 points: fft.js
 * kernels of an odd and an even power of two) forward and inverse, and a real transform's split and
 * merge. V8 then optimises each function with feedback from all of its branches; otherwise it
 * optimised fft.js' kernel on the branch it saw first and threw that code away at the other one,
 * in the middle of a minute's first whole-capture transform.
 */
function warmUp(): void {
  if (warm) return;
  warm = true;
  const radix3 = new ComplexTransform(384, 16);
  const data = Float64Array.from({ length: 768 }, (_, i) => Math.sin(i + 0.5));
  const scratch = new Float64Array(768);
  radix3.run(data, data, false, scratch);
  radix3.run(data, data, true, scratch);
  const plan = new FftPlan(64);
  plan.inverseReal(plan.forwardReal(data, 0, 64));
}

/** Columns (and rows) handled together in the four-step transform: 4 complex values fill a 64-byte cache line. */
const BLOCK = 4;

/**
 * A complex transform of `points` interleaved values (re, im). `run(input, output, inverse)` reads
 * `input` and writes `output` (the inverse is scaled by 1/points, as fft.js does). The direct kernel
 * needs distinct buffers; the four-step one allows them to be the same.
 */
class ComplexTransform {
  readonly points: number;
  /**
   * Whether `run` needs a scratch of 2·points values and takes its input in its output buffer (four
   * steps: input and output may also be distinct; radix 3: they must be the same), else distinct
   * buffers and no scratch (fft.js).
   */
  readonly inPlace: boolean;
  private readonly direct: FFT | null;
  /** Radix 3 (points = 3·P): the P-point transform of each third and the twiddles W_points^e, e < 2P. */
  private readonly third: ComplexTransform | null = null;
  private readonly thirdTwiddles: Twiddles | null = null;
  private readonly rows: number;
  private readonly columns: number;
  private readonly columnFft: FFT | null;
  private readonly rowFft: FFT | null;
  private readonly twiddles: Twiddles | null;
  /** BLOCK gathered columns (2·rows values each), their transforms and BLOCK transformed rows (2·columns). */
  private readonly gather: Float64Array[];
  private readonly columnOut: Float64Array[];
  private readonly rowOut: Float64Array[];

  /** `fourStepFrom`: the size from which the transform is done in four steps (smaller only for warmUp). */
  constructor(points: number, fourStepFrom = FOUR_STEP_POINTS) {
    this.points = points;
    this.inPlace = points % 3 === 0 || points >= fourStepFrom;
    // What the four steps use, unless this is one of them (set below).
    this.rows = 0;
    this.columns = 0;
    this.columnFft = null;
    this.rowFft = null;
    this.twiddles = null;
    this.gather = [];
    this.columnOut = [];
    this.rowOut = [];
    if (points % 3 === 0) {
      const p = points / 3;
      this.third = new ComplexTransform(p, fourStepFrom);
      this.thirdTwiddles = new Twiddles(points, 2 * (p - 1));
      this.direct = null;
      return;
    }
    if (points < fourStepFrom) {
      this.direct = kernel(points);
      return;
    }
    if (points >= FOUR_STEP_POINTS) warmUp();
    this.direct = null;
    const log = Math.round(Math.log2(points));
    this.rows = 2 ** Math.floor(log / 2);
    this.columns = points / this.rows;
    this.columnFft = kernel(this.rows);
    this.rowFft = kernel(this.columns);
    this.twiddles = new Twiddles(points, (this.columns - 1) * (this.rows - 1));
    const buffers = (length: number) => Array.from({ length: BLOCK }, () => new Float64Array(length));
    this.gather = buffers(2 * this.rows);
    this.columnOut = buffers(2 * this.rows);
    this.rowOut = buffers(2 * this.columns);
  }

  /** `scratch` (four steps and radix 3 only) holds 2·points values; then `input` must be `output` (see inPlace). */
  run(input: Float64Array, output: Float64Array, inverse: boolean, scratch: Float64Array | null): void {
    if (this.third) {
      this.radix3(output, inverse, scratch as Float64Array);
      return;
    }
    if (this.direct) {
      if (inverse) this.direct.inverseTransform(output, input);
      else this.direct.transform(output, input);
      return;
    }
    this.fourStep(input, output, inverse, scratch as Float64Array);
  }

  /**
   * In place in `data` (3·P points): the thirds x_r[n] = x[3n + r] are copied out to `scratch`,
   * transformed (P points each) back into data's thirds, and put together by the radix-3 butterfly
   * X[k + P·m] = Σ_r W^{rk}·ω^{rm}·Y_r[k] (W = e^{∓j2π/3P}, ω = e^{∓j2π/3}), which reads and
   * writes the same three positions. A four-step third needs a transpose of 2P values that is
   * neither its input nor its output: a third of `data` not yet written, or of `scratch` already read.
   */
  private radix3(data: Float64Array, inverse: boolean, scratch: Float64Array): void {
    const third = this.third as ComplexTransform;
    const p = third.points;
    const w = 2 * p;
    this.runStep('thirds', data, scratch, inverse);
    for (let r = 0; r < 3; r++) {
      const input = scratch.subarray(r * w, (r + 1) * w);
      const output = data.subarray(r * w, (r + 1) * w);
      // A transpose that is neither: data's next third (not yet written), or scratch's first (already read).
      const transpose = third.inPlace ? (r < 2 ? data.subarray((r + 1) * w, (r + 2) * w) : scratch.subarray(0, w)) : null;
      third.run(input, output, inverse, transpose);
    }
    this.runStep('butterfly', data, data, inverse);
  }

  /** The radix-3 butterfly over the transformed thirds of `data` (P points each), in place (see radix3). */
  private butterfly3(data: Float64Array, p: number, inverse: boolean, from: number, to: number): void {
    const w = 2 * p;
    const { shift, mask, coarse, fine } = this.thirdTwiddles as Twiddles;
    const sign = inverse ? -1 : 1;
    const h = sign * (Math.sqrt(3) / 2);
    const scale = inverse ? 1 / 3 : 1;
    for (let k = from; k < to; k++) {
      let a = 2 * (k >>> shift);
      let b = 2 * (k & mask);
      const w1r = coarse[a] * fine[b] - coarse[a + 1] * fine[b + 1];
      const w1i = sign * (coarse[a] * fine[b + 1] + coarse[a + 1] * fine[b]);
      const e = 2 * k;
      a = 2 * (e >>> shift);
      b = 2 * (e & mask);
      const w2r = coarse[a] * fine[b] - coarse[a + 1] * fine[b + 1];
      const w2i = sign * (coarse[a] * fine[b + 1] + coarse[a + 1] * fine[b]);
      const i0 = 2 * k;
      const i1 = i0 + w;
      const i2 = i1 + w;
      const ar = data[i0];
      const ai = data[i0 + 1];
      const y1r = data[i1];
      const y1i = data[i1 + 1];
      const y2r = data[i2];
      const y2i = data[i2 + 1];
      const br = y1r * w1r - y1i * w1i;
      const bi = y1r * w1i + y1i * w1r;
      const cr = y2r * w2r - y2i * w2i;
      const ci = y2r * w2i + y2i * w2r;
      const sr = br + cr;
      const si = bi + ci;
      // ω·b + ω²·c = −s/2 ∓ j(√3/2)(b − c); the sign of j is folded into h.
      const dr = h * (br - cr);
      const di = h * (bi - ci);
      const tr = ar - 0.5 * sr;
      const ti = ai - 0.5 * si;
      data[i0] = (ar + sr) * scale;
      data[i0 + 1] = (ai + si) * scale;
      data[i1] = (tr + di) * scale;
      data[i1 + 1] = (ti - dr) * scale;
      data[i2] = (tr - di) * scale;
      data[i2 + 1] = (ti + dr) * scale;
    }
  }

  /**
   * x[C·n1 + n2] (n1 < R, n2 < C) → X[k1 + R·k2]: for each column n2 the R-point transform over n1
   * gives A[n2][k1], times W^{n2·k1}, stored at T[k1·C + n2]; then each row k1 of T transformed over
   * n2 gives X[k1 + R·k2]. BLOCK (4) columns or rows at a time, so that the strided reads and
   * writes touch a whole cache line.
   */
  private fourStep(input: Float64Array, output: Float64Array, inverse: boolean, t: Float64Array): void {
    // Each block in a method of its own, called hundreds of times per transform: V8 optimises it
    // after a few calls with every loop's types known. One method holding all the loops ran its
    // first transform unoptimised (compiled on the stack at the first loop, it gave up at the next).
    this.runStep('columns', input, t, inverse);
    this.runStep('rows', t, output, inverse);
  }

  /** How many units (columns or rows blocks, or points of a third) `step` has. */
  units(step: TransformStep): number {
    if (step === 'columns') return this.columns / BLOCK;
    if (step === 'rows') return this.rows / BLOCK;
    return this.points / 3;
  }

  /** Units [first, end) of `step`, reading `from` and writing `to` (the kernel TRANSFORM_STEP runs them on the helper thread). */
  runUnits(step: TransformStep, from: Float64Array, to: Float64Array, inverse: boolean, first: number, end: number): void {
    switch (step) {
      case 'columns':
        for (let b = first; b < end; b++) this.columnBlock(from, to, b * BLOCK, inverse);
        break;
      case 'rows':
        for (let b = first; b < end; b++) this.rowBlock(from, to, b * BLOCK, inverse);
        break;
      case 'thirds':
        deinterleaveThirds(from, to, this.points / 3, first, end);
        break;
      case 'butterfly':
        this.butterfly3(to, this.points / 3, inverse, first, end);
        break;
      default:
        throw new RangeError(`no transform step "${String(step)}"`);
    }
  }

  /** All of `step`: shared with the helper thread when there is one and both buffers are shared memory, else alone. */
  private runStep(step: TransformStep, from: Float64Array, to: Float64Array, inverse: boolean): void {
    const local = (first: number, end: number): void => this.runUnits(step, from, to, inverse, first, end);
    if (this.points >= FOUR_STEP_POINTS) runUnits(TRANSFORM_STEP, [from, to], [TRANSFORM_STEPS.indexOf(step), this.points, inverse ? 1 : 0], this.units(step), local);
    else local(0, this.units(step));
  }

  /** Columns n2..n2+3: gathered, transformed (R points), times W^{n2·k1}, stored at T[k1·C + n2..]. */
  private columnBlock(input: Float64Array, t: Float64Array, n2: number, inverse: boolean): void {
    const rows = this.rows;
    const columns = this.columns;
    const columnFft = this.columnFft as FFT;
    const { shift, mask, coarse, fine } = this.twiddles as Twiddles;
    const sign = inverse ? -1 : 1;
    const gather = this.gather;
    const columnOut = this.columnOut;
    const [g0, g1, g2, g3] = gather;
    for (let n1 = 0; n1 < rows; n1++) {
      const s = 2 * (columns * n1 + n2);
      const d = 2 * n1;
      g0[d] = input[s];
      g0[d + 1] = input[s + 1];
      g1[d] = input[s + 2];
      g1[d + 1] = input[s + 3];
      g2[d] = input[s + 4];
      g2[d + 1] = input[s + 5];
      g3[d] = input[s + 6];
      g3[d + 1] = input[s + 7];
    }
    for (let j = 0; j < BLOCK; j++) {
      if (inverse) columnFft.inverseTransform(columnOut[j], gather[j]);
      else columnFft.transform(columnOut[j], gather[j]);
    }
    const [c0, c1, c2, c3] = columnOut;
    for (let k1 = 0; k1 < rows; k1++) {
      // W^{n2·k1} from the tables, then × W^{k1} for each next column of the block; T[k1][n2..n2+3]
      // is one cache line, written whole. Unrolled over the block's 4 columns on purpose: as a loop
      // it measured 4 ms slower per 3·2^20-point transform.
      const e = n2 * k1;
      let a = 2 * (e >>> shift);
      let b = 2 * (e & mask);
      let wr = coarse[a] * fine[b] - coarse[a + 1] * fine[b + 1];
      let wi = sign * (coarse[a] * fine[b + 1] + coarse[a + 1] * fine[b]);
      a = 2 * (k1 >>> shift);
      b = 2 * (k1 & mask);
      const sr = coarse[a] * fine[b] - coarse[a + 1] * fine[b + 1];
      const si = sign * (coarse[a] * fine[b + 1] + coarse[a + 1] * fine[b]);
      const d = 2 * (k1 * columns + n2);
      const i = 2 * k1;
      let xr = c0[i];
      let xi = c0[i + 1];
      t[d] = xr * wr - xi * wi;
      t[d + 1] = xr * wi + xi * wr;
      let nr = wr * sr - wi * si;
      wi = wr * si + wi * sr;
      wr = nr;
      xr = c1[i];
      xi = c1[i + 1];
      t[d + 2] = xr * wr - xi * wi;
      t[d + 3] = xr * wi + xi * wr;
      nr = wr * sr - wi * si;
      wi = wr * si + wi * sr;
      wr = nr;
      xr = c2[i];
      xi = c2[i + 1];
      t[d + 4] = xr * wr - xi * wi;
      t[d + 5] = xr * wi + xi * wr;
      nr = wr * sr - wi * si;
      wi = wr * si + wi * sr;
      wr = nr;
      xr = c3[i];
      xi = c3[i + 1];
      t[d + 6] = xr * wr - xi * wi;
      t[d + 7] = xr * wi + xi * wr;
    }
  }

  /** Rows k1..k1+3 of T: transformed (C points) and stored at X[k1 + R·k2..]. */
  private rowBlock(t: Float64Array, output: Float64Array, k1: number, inverse: boolean): void {
    const rows = this.rows;
    const columns = this.columns;
    const rowFft = this.rowFft as FFT;
    const rowOut = this.rowOut;
    const [r0, r1, r2, r3] = rowOut;
    const width = 2 * columns;
    for (let j = 0; j < BLOCK; j++) {
      const row = t.subarray((k1 + j) * width, (k1 + j + 1) * width);
      if (inverse) rowFft.inverseTransform(rowOut[j], row);
      else rowFft.transform(rowOut[j], row);
    }
    for (let k2 = 0; k2 < columns; k2++) {
      const d = 2 * (k1 + rows * k2);
      const s = 2 * k2;
      output[d] = r0[s];
      output[d + 1] = r0[s + 1];
      output[d + 2] = r1[s];
      output[d + 3] = r1[s + 1];
      output[d + 4] = r2[s];
      output[d + 5] = r2[s + 1];
      output[d + 6] = r3[s];
      output[d + 7] = r3[s + 1];
    }
  }
}

/**
 * A real-signal FFT of one size. Memory: O(√N) of tables; its scratch (N doubles: the four-step's
 * transpose, or the direct kernel's input) is shared by all plans.
 */
export class FftPlan {
  readonly size: number;
  private readonly complex: ComplexTransform;
  /** e^{−j2πk/size}, k = 0..size/2, for the split. */
  private readonly split: Twiddles;

  constructor(size: number) {
    if (!isFftSize(size)) throw new RangeError(`FFT size must be a power of two >= 4 or three times one >= 12, got ${size}`);
    this.size = size;
    this.complex = new ComplexTransform(size / 2);
    this.split = new Twiddles(size, size / 2);
  }

  /** The direct kernel's input, or the four-step's transpose: `size` doubles shared by all plans. */
  private scratch(): Float64Array {
    return pooled(SCRATCH_SLOT, this.size);
  }

  /**
   * Forward transform of `length` samples of `signal` starting at `offset`, zero-padded to the
   * plan size. Samples outside the signal's bounds count as zero. Returns bins 0..size/2.
   */
  forwardReal(
    signal: ArrayLike<number>,
    offset = 0,
    length = signal.length - offset,
    out: Float64Array = transformArray(this.size + 2),
  ): Float64Array {
    const n = this.size;
    if (length > n) throw new RangeError(`segment of ${length} samples does not fit FFT size ${n}`);
    if (out.length < n + 2) throw new RangeError(`half spectrum needs ${n + 2} values, got ${out.length}`);
    const inPlace = this.complex.inPlace;
    // z[2j] + j·z[2j+1] = x[2j] + j·x[2j+1]: the four-step and radix-3 transforms work in place in `out`.
    const z = inPlace ? out : this.scratch();
    const from = Math.max(0, -offset);
    const to = Math.min(length, signal.length - offset);
    if (to > from) {
      z.fill(0, 0, from);
      if (signal instanceof Float32Array || signal instanceof Float64Array) z.set(signal.subarray(offset + from, offset + to), from);
      else for (let i = from; i < to; i++) z[i] = signal[offset + i];
      z.fill(0, to, n);
    } else {
      z.fill(0, 0, n);
    }
    this.complex.run(z, out, false, inPlace ? this.scratch() : null);
    this.splitForward(out);
    return out;
  }

  /**
   * In place: the complex spectrum Z (m = size/2 points) in `out` → the half spectrum X,
   * X[k] = E[k] + e^{−j2πk/N}·O[k], E = (Z[k] + conj Z[m−k])/2, O = (Z[k] − conj Z[m−k])/(2j),
   * k and m − k together: bins 0 and m here, then the pairs k = 1..m/2 (splitUnits), shared with
   * the helper thread for a whole-capture transform.
   */
  private splitForward(out: Float64Array): void {
    const m = this.size / 2;
    const z0r = out[0];
    const z0i = out[1];
    out[0] = z0r + z0i;
    out[1] = 0;
    out[2 * m] = z0r - z0i;
    out[2 * m + 1] = 0;
    this.runRealPass(SPLIT, [out], m / 2);
  }

  /** Pairs k = first + 1 .. end of splitForward (unit u is the pair k = u + 1, m − k). */
  splitUnits(out: Float64Array, first: number, end: number): void {
    const m = this.size / 2;
    const { shift, mask, coarse, fine } = this.split;
    for (let k = first + 1; k <= end; k++) {
      const q = m - k;
      const zr = out[2 * k];
      const zi = out[2 * k + 1];
      const cr = out[2 * q];
      const ci = out[2 * q + 1];
      // Bin k: E = (Z[k] + conj Z[q])/2, O = (Z[k] − conj Z[q])/(2j).
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi - ci);
      const or = 0.5 * (zi + ci);
      const oi = -0.5 * (zr - cr);
      const a = 2 * (k >>> shift);
      const b = 2 * (k & mask);
      const wr = coarse[a] * fine[b] - coarse[a + 1] * fine[b + 1];
      const wi = coarse[a] * fine[b + 1] + coarse[a + 1] * fine[b];
      out[2 * k] = er + or * wr - oi * wi;
      out[2 * k + 1] = ei + or * wi + oi * wr;
      if (q === k) break;
      // Bin q: E[q] = conj E, O[q] = conj O and W^q = −conj W^k, so X[q] = conj(E − W^k·O).
      out[2 * q] = er - or * wr + oi * wi;
      out[2 * q + 1] = -ei + or * wi + oi * wr;
    }
  }

  /**
   * Units [0, units) of the split (SPLIT: arrays [out]) or the merge (MERGE: [spectrum, z]):
   * shared with the helper thread when the transform is large enough for its steps to be, else here.
   */
  private runRealPass(pass: typeof SPLIT | typeof MERGE, arrays: Float64Array[], units: number): void {
    const local = (first: number, end: number): void => (pass === SPLIT ? this.splitUnits(arrays[0], first, end) : this.mergeUnits(arrays[0], arrays[1], first, end));
    if (this.size / 2 >= FOUR_STEP_POINTS) runUnits(REAL_PASS, arrays, [pass, this.size], units, local);
    else local(0, units);
  }

  /**
   * Inverse of `forwardReal`: the real signal (length size) whose half spectrum is `spectrum`.
   * One complex transform of half the size (the standard even/odd split), so it costs about as
   * much as a forward real transform.
   */
  inverseReal(spectrum: Float64Array, out: Float64Array = transformArray(this.size)): Float64Array {
    const n = this.size;
    if (spectrum.length < n + 2) throw new RangeError(`half spectrum needs ${n + 2} values, got ${spectrum.length}`);
    if (out.length < n) throw new RangeError(`signal needs ${n} values, got ${out.length}`);
    const inPlace = this.complex.inPlace;
    const z = inPlace ? out : this.scratch();
    this.mergeInverse(spectrum, z);
    // The complex transform's output, re and im interleaved, is the signal's even and odd samples.
    // fft.js scales all of its output buffer: hand it exactly the signal's n values.
    this.complex.run(z, out.length === n ? out : out.subarray(0, n), true, inPlace ? this.scratch() : null);
    return out;
  }

  /** The complex spectrum Z (size/2 points) that inverseReal transforms, from the half spectrum, into `z` (which may be `spectrum` itself). */
  private mergeInverse(spectrum: Float64Array, z: Float64Array): void {
    this.runRealPass(MERGE, [spectrum, z], this.size / 4 + 1);
  }

  /** Bins k = first .. end − 1 (and m − k) of mergeInverse. */
  mergeUnits(spectrum: Float64Array, z: Float64Array, first: number, end: number): void {
    const m = this.size / 2;
    const { shift, mask, coarse, fine } = this.split;
    // Z[k] = E + jO with E = (X[k] + conj X[m−k])/2 and O = (X[k] − conj X[m−k])/2 · e^{+j2πk/N};
    // for q = m − k, E and O are the conjugates of bin k's: Z[q] = conj E + j·conj O.
    for (let k = first; k < end; k++) {
      const q = m - k;
      const ar = spectrum[2 * k];
      const ai = spectrum[2 * k + 1];
      const br = spectrum[2 * q];
      const bi = -spectrum[2 * q + 1];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const a = 2 * (k >>> shift);
      const b = 2 * (k & mask);
      const c = coarse[a] * fine[b] - coarse[a + 1] * fine[b + 1];
      const s = -(coarse[a] * fine[b + 1] + coarse[a + 1] * fine[b]);
      const or = dr * c - di * s;
      const oi = dr * s + di * c;
      z[2 * k] = er - oi;
      z[2 * k + 1] = ei + or;
      if (k === 0 || q === k) continue;
      z[2 * q] = er + oi;
      z[2 * q + 1] = or - ei;
    }
  }
}

/** A real transform's O(N) passes, as the helper thread runs them: params [SPLIT or MERGE, the plan's size]. */
const SPLIT = 0;
const MERGE = 1;
const helperPlans = new Map<number, FftPlan>();
const REAL_PASS = defineKernel('fft-real-pass', (arrays, params, first, end) => {
  const [pass, size] = params;
  let plan = helperPlans.get(size);
  if (!plan) {
    plan = new FftPlan(size);
    helperPlans.set(size, plan);
  }
  if (pass === SPLIT) plan.splitUnits(arrays[0], first, end);
  else plan.mergeUnits(arrays[0], arrays[1], first, end);
});

const plans = new Map<number, FftPlan>();

/**
 * The plan for `size` (see isFftSize): cached up to CACHED_PLAN_MAX_SIZE, a new one above
 * (built in milliseconds; its scratch is freed with it).
 */
export function fftPlan(size: number): FftPlan {
  let plan = plans.get(size);
  if (!plan) {
    plan = new FftPlan(size);
    if (size <= CACHED_PLAN_MAX_SIZE) plans.set(size, plan);
  }
  return plan;
}

/**
 * Linear convolution by FFT overlap-add: y = x * h, of length x.length + h.length − 1.
 * Used to pass signals through FIR filters and room impulse responses.
 */
import { fftPlan, nextPowerOfTwo } from '../primitives/fft';

export function convolve(x: Float32Array, h: Float32Array): Float32Array {
  if (x.length === 0 || h.length === 0) return new Float32Array(0);
  const outLength = x.length + h.length - 1;
  const out = new Float64Array(outLength);
  // Blocks of x sized so the FFT is about 4x the kernel (and at least 4096).
  const size = nextPowerOfTwo(Math.max(4096, 4 * h.length));
  const block = size - h.length + 1;
  const plan = fftPlan(size);
  const hs = plan.forwardReal(h, 0, h.length);
  const xs = new Float64Array(size + 2);
  const y = new Float64Array(size);
  for (let start = 0; start < x.length; start += block) {
    const length = Math.min(block, x.length - start);
    plan.forwardReal(x, start, length, xs);
    multiplySpectra(xs, hs, xs, size / 2);
    plan.inverseReal(xs, y);
    const end = Math.min(outLength, start + length + h.length - 1);
    for (let i = start; i < end; i++) out[i] += y[i - start];
  }
  return Float32Array.from(out);
}

/**
 * out = x·y bin by bin (complex, interleaved re, im; bins 0..bins; `out` may be `x` or `y`). The
 * loop alone in its function, so that V8 optimises it whole (see the README's "Hot loops get
 * functions of their own").
 */
export function multiplySpectra(x: Float64Array, y: Float64Array, out: Float64Array, bins: number): void {
  for (let k = 0; k <= bins; k++) {
    const xr = x[2 * k];
    const xi = x[2 * k + 1];
    const yr = y[2 * k];
    const yi = y[2 * k + 1];
    out[2 * k] = xr * yr - xi * yi;
    out[2 * k + 1] = xr * yi + xi * yr;
  }
}

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
    for (let k = 0; k <= size / 2; k++) {
      const ar = xs[2 * k];
      const ai = xs[2 * k + 1];
      const br = hs[2 * k];
      const bi = hs[2 * k + 1];
      xs[2 * k] = ar * br - ai * bi;
      xs[2 * k + 1] = ar * bi + ai * br;
    }
    plan.inverseReal(xs, y);
    const end = Math.min(outLength, start + length + h.length - 1);
    for (let i = start; i < end; i++) out[i] += y[i - start];
  }
  return Float32Array.from(out);
}

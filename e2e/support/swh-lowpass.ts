/**
 * The exact filter of the rig's low-pass sink: swh-plugins `butterworth_1902.so`, label
 * `buttlow_iir` ("GLAME Butterworth Lowpass", Debian swh-plugins 0.4.17). Its run() calls
 * butterworth_stage(gt, 0, cutoff, resonance, sample_rate) from swh util/iir.h (coefficients from
 * musicdsp.org archive #38) and filters with iir_process_buffer_1s_5, all in float32:
 *
 *   c  = 1 / tan(π·f/fs)                  (tan in double, stored as float)
 *   a1 = 1 / (1 + r·c + c²),  a2 = 2·a1,  a3 = a1
 *   b1 = −2·(1 − c²)·a1,      b2 = −(1 − r·c + c²)·a1
 *   y[n] = a1·x[n] + a2·x[n−1] + a3·x[n−2] + b1·y[n−1] + b2·y[n−2]
 *
 * That is the bilinear transform (pre-warped at f) of H(s) = 1 / (s² + r·s + 1): a 2-pole low-pass
 * whose "Resonance" r is 1/Q. It is a Butterworth only for r = √2 (the port's range is 0.1–1.41 and
 * its default, "default_middle", is 0.755). The rig loads it with `control=2000,0.707`, i.e.
 * Q = 1/0.707 = 1.414: +3.0 dB at 2 kHz (a Butterworth has −3.0 dB there) and a +3.6 dB peak near
 * 1.75 kHz. In exact arithmetic it equals shared/simulation/iir-filter.ts `lowPass(f, fs, 1/r)` (the cookbook
 * low-pass is the same bilinear design); `lowPass(2000, 48000)` (Q = 1/√2) is the plugin only
 * with r = √2. The rig's README measured this filter's click response (peak +5 samples, 0.148 for a
 * 0.9 click); these coefficients reproduce it (0.1482 at +5).
 */
import type { IirSection } from '../../shared/simulation/iir-filter';

const f32 = Math.fround;

export function swhButtlowIir(cutoffHz: number, resonance: number, sampleRate: number): IirSection {
  const f = f32(cutoffHz);
  const r = f32(resonance);
  const c = f32(1 / Math.tan((Math.PI * f) / sampleRate));
  const cc = f32(c * c);
  const rc = f32(r * c);
  const a1 = f32(1 / f32(f32(1 + rc) + cc));
  const b1 = f32(f32(-2 * f32(1 - cc)) * a1);
  const b2 = f32(-f32(f32(1 - rc) + cc) * a1);
  return { b: [a1, f32(2 * a1), a1], a: [1, -b1, -b2] };
}

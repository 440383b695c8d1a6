/**
 * Finds the pattern's clicks in a recording's audio: the audio is cross-correlated with the
 * pattern's click (a matched filter, by FFT in blocks: shared/dsp/cross-correlation.ts); each
 * cluster of correlation above the detection threshold is one arrival, timed at its strongest peak
 * (or at an earlier peak nearly as strong, the direct sound before a reflection) with sub-sample
 * precision on the band-limited interpolant (shared/dsp/subsample-peak.ts).
 */
import { crossCorrelateWindow } from '../dsp/cross-correlation';
import { argMaxAbs, refinePeak } from '../dsp/subsample-peak';
import { renderClick } from '../stimulus/click-train';
import { patternClickShape } from './av-pattern';

export interface ClickArrival {
  /** Time of the click's centre, seconds from the first audio sample. */
  timeS: number;
  /** Correlation peak over the correlation's noise level (RMS away from clicks), dB. */
  peakToNoiseDb: number;
}

/** Arrivals closer than this belong to one click (its reverberation). */
const CLUSTER_GAP_S = 0.3;
const BLOCK = 1 << 16;

export interface ClickDetection {
  arrivals: ClickArrival[];
  /** Audio level (peak, dBFS) and the correlation's noise level, for refusal messages. */
  peakDbfs: number;
}

export function detectClicks(samples: Float32Array, sampleRate: number): ClickDetection {
  const shape = patternClickShape(sampleRate);
  const half = Math.ceil((shape.lengthS / 2) * sampleRate);
  const template = new Float32Array(2 * half + 1);
  renderClick(template, shape, half);
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  const peakDbfs = peak > 0 ? 20 * Math.log10(peak) : -Infinity;
  if (samples.length < template.length * 4 || peak === 0) return { arrivals: [], peakDbfs };
  // r[k]: the click centred at sample k + half.
  const lags = samples.length - template.length + 1;
  const r = new Float32Array(lags);
  const step = BLOCK - template.length + 1;
  for (let start = 0; start < lags; start += step) {
    const length = Math.min(BLOCK, samples.length - start);
    if (length < template.length) break;
    const block = crossCorrelateWindow({ template, templateStart: 0, templateLength: template.length, signal: samples, signalStart: start, signalLength: length });
    r.set(block.subarray(0, Math.min(block.length, lags - start)), start);
  }
  // Noise: robust RMS of the correlation (clicks occupy a tiny fraction of it).
  const stride = Math.max(1, Math.floor(lags / 200000));
  const magnitudes: number[] = [];
  for (let i = 0; i < lags; i += stride) magnitudes.push(Math.abs(r[i]));
  magnitudes.sort((a, b) => a - b);
  const noise = magnitudes[magnitudes.length >> 1] / 0.6745 || 1e-12;
  let strongest = 0;
  for (let i = 0; i < lags; i++) strongest = Math.max(strongest, Math.abs(r[i]));
  const threshold = Math.max(10 * noise, 0.12 * strongest);
  const gap = Math.round(CLUSTER_GAP_S * sampleRate);
  const arrivals: ClickArrival[] = [];
  let i = 0;
  while (i < lags) {
    if (Math.abs(r[i]) < threshold) {
      i++;
      continue;
    }
    // A cluster: runs until `gap` samples pass below the threshold.
    const first = i;
    let last = i;
    for (let j = i; j < lags && j - last <= gap; j++) if (Math.abs(r[j]) >= threshold) last = j;
    let best = argMaxAbs(r, first, last + 1);
    // The direct sound comes first: an earlier peak within 20 ms at ≥ 70 % of the strongest wins.
    const early = argMaxAbs(r, Math.max(first, best - Math.round(0.02 * sampleRate)), Math.max(first, best - Math.round(0.0005 * sampleRate)));
    if (early >= 0 && Math.abs(r[early]) >= 0.7 * Math.abs(r[best]) && isLocalPeak(r, early)) best = early;
    const refined = best > 0 && best < lags - 1 ? refinePeak(r, best) : { position: best, value: r[best] };
    arrivals.push({ timeS: (refined.position + half) / sampleRate, peakToNoiseDb: 20 * Math.log10(Math.abs(refined.value) / noise) });
    i = last + gap + 1;
  }
  return { arrivals, peakDbfs };
}

function isLocalPeak(r: Float32Array, i: number): boolean {
  const a = Math.abs(r[i]);
  return i > 0 && i < r.length - 1 && a >= Math.abs(r[i - 1]) && a >= Math.abs(r[i + 1]);
}

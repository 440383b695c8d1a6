import { describe, expect, it } from 'vitest';
import { analyzeCapture, type FrequencyResponseOutput } from './analyze-capture';
import { fftPlan } from '../primitives/fft';
import {
  BANDS_PER_OCTAVE,
  defaultFftSize,
  estimateBandSpectra,
  LOWEST_BAND_HZ,
  meanLevelDb,
  medianCoherence,
  smoothResponse,
  type BandSpectra,
} from './frequency-response';
import { applyIir, highPass, iirMagnitudeDb, iirResponse, lowPass, peaking, type IirSection } from '../simulation/iir-filter';
import { generateLogSweep } from '../stimulus/log-sweep';
import { generatePinkNoise } from '../stimulus/pink-noise';
import { addNoiseAtSnr, applyImpulseResponse, delaySignal, driftSignal, pinkBackground, roomImpulseResponse, whiteBackground } from '../simulation/synthetic-path';
import { responseError, roomCapture } from '../simulation/room-captures';
import { generateClickTrain } from '../stimulus/click-train';
import { MIN_CLICKS_FOR_RESPONSE, NO_RESPONSE_WARNING } from './response-output';
import { renderVaryingClicks } from '../simulation/time-varying-path';
import { createRandom } from '../primitives/random';

const RATE = 48000;
const speaker: IirSection[] = [highPass(120, RATE), lowPass(9000, RATE), peaking(2500, RATE, 6, 2)];

function measured(reference: Float32Array, capture: Float32Array, smoothing: 0 | 3 | 12 = 12): FrequencyResponseOutput {
  const out = analyzeCapture(reference, capture, RATE, { smoothing });
  if (out.status !== 'ok' || !out.frequencyResponse) throw new Error(`no frequency response: ${out.error?.code}`);
  return out.frequencyResponse;
}

function maxErrorDb(fr: FrequencyResponseOutput, truthDb: (hz: number) => number, lowHz: number, highHz: number): number {
  const inBand = fr.points.filter((p) => p.hz >= lowHz && p.hz <= highHz);
  expect(inBand.length).toBeGreaterThan(100);
  return Math.max(...inBand.map((p) => Math.abs(p.db - truthDb(p.hz))));
}

describe('smoothing through a path whose phase turns (a 2-pole low-pass at 4 kHz), no noise', () => {
  const lowPass4k = [lowPass(4000, RATE)];
  /** The exact response averaged like the smoothing: mean of |H|² over ±1/(2N) octave in log frequency. */
  const exactSmoothedDb = (hz: number, fraction: number): number => {
    const steps = 200;
    let sum = 0;
    for (let k = 0; k <= steps; k++) sum += 10 ** (iirMagnitudeDb(lowPass4k, hz * 2 ** ((k / steps - 0.5) / fraction), RATE) / 10);
    return 10 * Math.log10(sum / (steps + 1));
  };
  const stimuli = {
    'pink noise': generatePinkNoise({ sampleRate: RATE, durationS: 10, seed: 1 }).samples,
    'log sweep': generateLogSweep({ sampleRate: RATE, durationS: 10 }).samples,
  };
  const responses = Object.fromEntries(
    Object.entries(stimuli).map(([name, x]) => [name, analyzeCapture(x, applyIir(lowPass4k, delaySignal(x, 600.4, x.length + 4800)), RATE).frequencyResponse]),
  );

  it.each(Object.keys(stimuli))('%s: coherence stays 1 and every smoothing matches the averaged exact response, 50 Hz–16 kHz', (name) => {
    const fr = responses[name];
    if (!fr) throw new Error('no frequency response');
    for (const fraction of [1, 3, 6, 12] as const) {
      const points = smoothResponse(fr, fraction).filter((p) => p.hz >= 50 * 2 ** (1 / (2 * fraction)) && p.hz <= 16000 / 2 ** (1 / (2 * fraction)));
      expect(points.length).toBeGreaterThan(50);
      for (const p of points) {
        expect(p.coherence, `1/${fraction} octave at ${p.hz.toFixed(0)} Hz`).toBeGreaterThan(0.995);
        expect(Math.abs(p.db - exactSmoothedDb(p.hz, fraction)), `1/${fraction} octave at ${p.hz.toFixed(0)} Hz`).toBeLessThan(0.1);
      }
    }
  });

  it('pink noise and a sweep give the same octave-smoothed curve', () => {
    const a = smoothResponse(responses['pink noise']!, 1);
    const b = smoothResponse(responses['log sweep']!, 1);
    for (const hz of [63, 125, 250, 500, 1000, 2000, 4000, 8000]) {
      const pa = a.find((p) => Math.abs(Math.log2(p.hz / hz)) < 1 / 96);
      const pb = b.find((p) => Math.abs(Math.log2(p.hz / hz)) < 1 / 96);
      expect(pa && pb, `${hz} Hz in both`).toBeTruthy();
      expect(Math.abs(pa!.db - pb!.db), `${hz} Hz`).toBeLessThan(0.05);
    }
  });

  it('a sweep is measured up to its top frequency (its last octave plays in the last window)', () => {
    const fr = responses['log sweep']!;
    expect(fr.bands[fr.bands.length - 1].hz).toBeGreaterThan(19000);
  });
});

describe('frequency response in a reverberant room (no noise)', () => {
  it.each([0.2, 0.5])('RT60 %s s: 1/3-octave levels match the room power response within 0.5 dB, coherence stays near 1', (rt60S) => {
    const room = roomImpulseResponse({ sampleRate: RATE, rt60S, directToReverbDb: -3, reflections: [{ delayMs: 2.1, gain: 0.6 }], seed: 5 });
    const x = generatePinkNoise({ sampleRate: RATE, durationS: 10, seed: 1 }).samples;
    const out = analyzeCapture(x, applyImpulseResponse(delaySignal(x, 600.4, x.length + RATE), room), RATE);
    const fr = out.frequencyResponse;
    if (!fr) throw new Error('no frequency response');
    expect(out.warnings.map((w) => w.code)).not.toContain('LOW_COHERENCE');
    expect(fr.medianCoherence).toBeGreaterThan(0.95);
    // The room's power response: |FFT of its impulse response|² averaged over each 1/3 octave.
    const n = 1 << 18;
    const padded = new Float64Array(n);
    padded.set(room.subarray(0, Math.min(room.length, n)));
    const spectrum = new Float64Array(n + 2);
    fftPlan(n).forwardReal(padded, 0, n, spectrum);
    const points = smoothResponse(fr, 3);
    for (const hz of [125, 250, 500, 1000, 2000, 4000, 8000, 12500]) {
      let power = 0;
      let count = 0;
      for (let k = Math.ceil((hz * 2 ** (-1 / 6) * n) / RATE); k <= Math.floor((hz * 2 ** (1 / 6) * n) / RATE); k++) {
        power += spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
        count++;
      }
      const p = points.reduce((best, q) => (Math.abs(Math.log(q.hz / hz)) < Math.abs(Math.log(best.hz / hz)) ? q : best));
      expect(Math.abs(p.db - 10 * Math.log10(power / count)), `${hz} Hz`).toBeLessThan(0.5);
      expect(p.coherence, `${hz} Hz`).toBeGreaterThan(0.9);
    }
  });
});

describe('a capture that ends before the stimulus does', () => {
  it.each([0, 50])('%s ppm drift, capture cut 1.5 s short: the missing part is not averaged in as silence', (ppm) => {
    const x = generatePinkNoise({ sampleRate: RATE, durationS: 10, seed: 2 });
    const full = x.samples.length + 4800;
    const played = ppm === 0 ? delaySignal(x.samples, 600.4, full) : driftSignal(x.samples, 600.4, ppm, full);
    const capture = played.slice(0, x.endFrame + 600 - Math.round(1.5 * RATE));
    const out = analyzeCapture(x.samples, capture, RATE);
    const fr = out.frequencyResponse;
    if (!fr) throw new Error(`no frequency response: ${out.error?.code}`);
    const points = fr.points.filter((p) => p.hz >= 100 && p.hz <= 12000);
    expect(Math.max(...points.map((p) => Math.abs(p.db)))).toBeLessThan(0.2);
    expect(Math.min(...points.map((p) => p.coherence))).toBeGreaterThan(0.99);
  });
});

describe('frequency response where the path is far below the noise', () => {
  it.each(['pink', 'white'])('4th-order low-pass at 1 kHz, %s noise 40 dB down: right where coherent, no raised floor or coherence where only noise is left', (background) => {
    const filter = [lowPass(1000, RATE), lowPass(1000, RATE)];
    const x = generatePinkNoise({ sampleRate: RATE, durationS: 10, seed: 1 });
    const length = x.samples.length + 4800;
    const clean = applyIir(filter, delaySignal(x.samples, 600.4, length));
    const capture = addNoiseAtSnr(clean, background === 'pink' ? pinkBackground(length, 3) : whiteBackground(length, 3), 40, x.startFrame + 600, x.endFrame + 600);
    const fr = analyzeCapture(x.samples, capture, RATE).frequencyResponse;
    if (!fr) throw new Error('no frequency response');
    const points = smoothResponse(fr, 3);
    const at = (hz: number) => points.reduce((best, q) => (Math.abs(Math.log(q.hz / hz)) < Math.abs(Math.log(best.hz / hz)) ? q : best));
    for (const hz of [200, 500, 1000]) expect(Math.abs(at(hz).db - iirMagnitudeDb(filter, at(hz).hz, RATE)), `${hz} Hz`).toBeLessThan(0.7);
    // At 8 and 16 kHz the path is 75–114 dB down: noise only. Per-bin |Gxy|² carries a noise bias of
    // about Gxx·Gnn, which read -50 dB with γ² = 1/averages (0.08) before it was removed.
    for (const hz of [8000, 16000]) {
      expect(at(hz).coherence, `${hz} Hz`).toBeLessThan(0.03);
      expect(at(hz).db, `${hz} Hz`).toBeLessThan(-56);
    }
  });
});

describe('frequency response against an analytic filter', () => {
  const noise = generatePinkNoise({ sampleRate: RATE, durationS: 10, seed: 3, levelDbfs: -26 });
  const length = noise.samples.length + 20000;
  const delay = 12345.6;

  it('pink noise at 25 dB SNR: within 0.3 dB of |H| from 100 Hz to 12 kHz (1/12 octave), coherence > 0.99', () => {
    const clean = applyIir(speaker, delaySignal(noise.samples, delay, length));
    const capture = addNoiseAtSnr(clean, pinkBackground(length, 5), 25, noise.startFrame + 12346, noise.endFrame + 12346);
    const fr = measured(noise.samples, capture);
    expect(maxErrorDb(fr, (hz) => iirMagnitudeDb(speaker, hz, RATE), 100, 12000)).toBeLessThan(0.3);
    expect(fr.medianCoherence as number).toBeGreaterThan(0.99);
    expect(fr.smoothing).toBe(12);
    expect(fr.averages).toBeGreaterThanOrEqual(8);
  });

  it('phase is the excess phase beyond the measured latency (within 5° of the filter\'s, less its delay)', () => {
    const capture = applyIir(speaker, delaySignal(noise.samples, delay, length));
    const out = analyzeCapture(noise.samples, capture, RATE, { smoothing: 48 });
    const fr = out.frequencyResponse as FrequencyResponseOutput;
    const latencyFrames = ((out.latency?.medianMs as number) / 1000) * RATE;
    const excessDelay = latencyFrames - delay; // the part of the latency the filter itself causes
    for (const p of fr.points.filter((x) => x.hz >= 300 && x.hz <= 8000)) {
      const [re, im] = iirResponse(speaker, p.hz, RATE);
      const expected = (Math.atan2(im, re) + 2 * Math.PI * p.hz * (excessDelay / RATE)) * (180 / Math.PI);
      const diff = ((((p.phaseDeg - expected) % 360) + 540) % 360) - 180;
      expect(Math.abs(diff), `${p.hz.toFixed(0)} Hz`).toBeLessThan(5);
    }
  });

  it('log sweep at 25 dB SNR: within 0.5 dB from 100 Hz to 12 kHz', () => {
    const sweep = generateLogSweep({ sampleRate: RATE, durationS: 8, levelDbfs: -14 });
    const clean = applyIir(speaker, delaySignal(sweep.samples, delay, sweep.samples.length + 20000));
    const capture = addNoiseAtSnr(clean, whiteBackground(clean.length, 6), 25, sweep.startFrame + 12346, sweep.endFrame + 12346);
    const fr = measured(sweep.samples, capture);
    expect(maxErrorDb(fr, (hz) => iirMagnitudeDb(speaker, hz, RATE), 100, 12000)).toBeLessThan(0.5);
  });

  it('100 ppm clock drift does not smear high frequencies (capture resampled along the drift line)', () => {
    const capture = applyIir(speaker, driftSignal(noise.samples, delay, 100, length));
    const fr = measured(noise.samples, capture);
    expect(maxErrorDb(fr, (hz) => iirMagnitudeDb(speaker, hz, RATE), 100, 15000)).toBeLessThan(0.3);
  });

  it('a gain of 0.5 reads -6.02 dB across the band; referenceLevelDb says so', () => {
    const capture = delaySignal(noise.samples, delay, length).map((v) => v * 0.5);
    const fr = measured(noise.samples, capture, 0);
    expect(maxErrorDb(fr, () => 20 * Math.log10(0.5), 30, 18000)).toBeLessThan(0.01);
    expect(fr.referenceLevelDb as number).toBeCloseTo(20 * Math.log10(0.5), 2);
  });

  it('coherence falls as noise rises (γ² ≈ SNR/(1+SNR) per band)', () => {
    const clean = delaySignal(noise.samples, delay, length);
    const high = medianCoherence({ bands: spectraOf(noise.samples, addNoiseAtSnr(clean, whiteBackground(length, 1), 20, noise.startFrame + 12346, noise.endFrame + 12346)).bands }) as number;
    const low = medianCoherence({ bands: spectraOf(noise.samples, addNoiseAtSnr(clean, whiteBackground(length, 1), 0, noise.startFrame + 12346, noise.endFrame + 12346)).bands }) as number;
    expect(high).toBeGreaterThan(low);
    expect(low).toBeLessThan(0.9);
  });

  function spectraOf(reference: Float32Array, capture: Float32Array): BandSpectra {
    const s = estimateBandSpectra(reference, capture, RATE, { startFrame: noise.startFrame, endFrame: noise.endFrame, lag: { interceptFrames: delay, slope: 0 } });
    if (!s) throw new Error('no spectra');
    return s;
  }
});

describe('click trains: the averaged per-click deconvolution, through analyzeCapture', () => {
  // A 60 s train (113–117 clicks averaged) through synthetic rooms of known IR, 1234.3 frames late,
  // seeded pink background noise; the truth is |FFT(IR)|² smoothed alike (responseError).
  const train = generateClickTrain({ sampleRate: RATE, durationS: 60 });
  const clickRoom = (rt60S: number, snrDb: number) => {
    const path = roomImpulseResponse({ sampleRate: RATE, rt60S, directToReverbDb: -3, reflections: [{ delayMs: 3.1, gain: 0.5 }], seed: 5 });
    const { capture, h } = roomCapture({ samples: train.samples, startFrame: 0, endFrame: train.samples.length }, path, 1234.3, snrDb);
    const out = analyzeCapture(train.samples, capture, RATE);
    if (out.status !== 'ok') throw new Error(`refused: ${out.error.code}`);
    const fr = out.frequencyResponse;
    if (!fr?.impulse) throw new Error(`no frequency response: ${out.warnings.map((w) => w.message).join('; ')}`);
    return { out, fr, impulse: fr.impulse, h };
  };

  it('a small room (decaying 60 dB in 0.15 s) at 30 dB SNR: the response within 0.9 dB of the truth over the clicks\' band to 12 kHz, bias within 0.1 dB, and T20 within 8 ms of 0.15 s', () => {
    const { out, fr, impulse, h } = clickRoom(0.15, 30);
    expect(impulse.method).toBe('click-averaging');
    expect(impulse.periodsAveraged).toBeNull();
    const measuredClicks = out.latency.events.filter((e) => e.status === 'ok').length;
    // Every measured click but the last few, whose 2.4 s after the arrival the capture does not hold.
    expect(impulse.eventsAveraged).toBeGreaterThan(measuredClicks - 8);
    expect(impulse.eventsAveraged).toBeLessThanOrEqual(measuredClicks);
    expect(fr.averages).toBe(impulse.eventsAveraged);
    // The train's spacings are 0.5 s ± 35 %: the shortest of those averaged is at least 0.325 s.
    expect(impulse.shortestSpacingMs).toBeGreaterThanOrEqual(325);
    expect(impulse.shortestSpacingMs).toBeLessThan(400);
    const e = responseError(fr.points, h, RATE, impulse.lowHz, 12000);
    expect(e.count).toBeGreaterThan(220);
    expect(e.maxDb).toBeLessThan(0.9);
    expect(Math.abs(e.biasDb)).toBeLessThan(0.1);
    // The quality figure: the averaged IR's far lags hold little (the noise and the neighbouring
    // clicks average down), so no point in the band is flagged.
    expect(fr.medianCoherence).toBeGreaterThan(0.95);
    expect(fr.points.filter((p) => p.hz >= impulse.lowHz && p.hz <= 12000 && p.lowQuality)).toEqual([]);
    expect(fr.distortion).toBeNull();
    // The room window ends well within the click spacing: decay times, the room's own.
    expect(fr.windows?.room.endMs).toBeLessThan(impulse.shortestSpacingMs as number);
    const t20 = (fr.decay ?? []).filter((b) => b.t20S !== null);
    expect(t20.length).toBeGreaterThanOrEqual(3);
    for (const b of t20) expect(Math.abs((b.t20S as number) - 0.15)).toBeLessThan(0.008);
    expect(out.warnings).toEqual([]);
  }, 30_000);

  it('a reverberant room (decaying 60 dB in 3.25 s) at 20 dB SNR: the response within 1 dB, but no decay times, with a warning that its ringing outlasts the click spacing', () => {
    const { out, fr, impulse, h } = clickRoom(3.25, 20);
    const e = responseError(fr.points, h, RATE, impulse.lowHz, 12000);
    expect(e.maxDb).toBeLessThan(1);
    expect(Math.abs(e.biasDb)).toBeLessThan(0.15);
    const roomMs = fr.windows?.room.endMs as number;
    expect(roomMs).toBeGreaterThan(impulse.shortestSpacingMs as number);
    expect(fr.decay).toBeNull();
    expect(out.warnings.map((w) => w.code)).toEqual(['NO_DECAY_TIMES']);
    expect(out.warnings.map((w) => w.message)).toEqual([
      `No decay times: the room rings for ${roomMs.toFixed(0)} ms (the room window), longer than the shortest spacing of the clicks averaged (${(impulse.shortestSpacingMs as number).toFixed(0)} ms), so each click's decay overlaps the next click. Measure decay times with pink noise or a sweep.`,
    ]);
  }, 30_000);

  it('enough clicks measured, but too few of them followed by the 2.4 s the response reads: no response, and the warning gives both counts', () => {
    const train = generateClickTrain({ sampleRate: RATE, durationS: 8 });
    // The recording stops 0.3 s after the train: the clicks of its last 2.4 s cannot be averaged.
    const { capture } = roomCapture({ samples: train.samples, startFrame: 0, endFrame: train.samples.length }, new Float32Array([1]), 480, 30);
    const out = analyzeCapture(train.samples, capture.subarray(0, train.samples.length + Math.round(0.3 * RATE)), RATE);
    expect(out.status).toBe('ok');
    expect(out.frequencyResponse).toBeNull();
    // Its own code: no response was measured, which is not a response of low coherence.
    expect(out.warnings.filter((w) => w.message.startsWith(NO_RESPONSE_WARNING)).map((w) => w.code)).toEqual(['NO_FREQUENCY_RESPONSE']);
    expect(out.warnings.map((w) => w.code)).not.toContain('LOW_COHERENCE');
    const message = out.warnings.find((w) => w.code === 'NO_FREQUENCY_RESPONSE')?.message ?? '';
    const counts = /; this one has (\d+), (\d+) of them with the 2\.4 s after the arrival captured\. Use a longer run/.exec(message);
    expect(counts, message).not.toBeNull();
    const [measured, usable] = [Number(counts?.[1]), Number(counts?.[2])];
    expect(measured).toBe(out.latency?.events.filter((e) => e.status === 'ok').length);
    expect(measured).toBeGreaterThanOrEqual(MIN_CLICKS_FOR_RESPONSE);
    expect(usable).toBeLessThan(MIN_CLICKS_FOR_RESPONSE);
    // At most the clicks that arrived 2.4 s or more before the capture's end.
    const endS = (train.samples.length + Math.round(0.3 * RATE)) / RATE;
    expect(usable).toBeGreaterThan(0);
    expect(usable).toBeLessThanOrEqual(out.latency?.events.filter((e) => e.status === 'ok' && e.timeS + 0.01 + 2.4 <= endS).length as number);
  });

  it('too few clicks: no response and a warning saying how many were measured and how many it takes (not a refusal)', () => {
    const short = generateClickTrain({ sampleRate: RATE, durationS: 5 });
    const { capture } = roomCapture({ samples: short.samples, startFrame: 0, endFrame: short.samples.length }, new Float32Array([1]), 480, 30);
    const out = analyzeCapture(short.samples, capture, RATE);
    expect(out.status).toBe('ok');
    expect(out.frequencyResponse).toBeNull();
    const measuredClicks = out.latency?.events.filter((e) => e.status === 'ok').length as number;
    expect(measuredClicks).toBeLessThan(MIN_CLICKS_FOR_RESPONSE);
    expect(out.warnings.filter((w) => w.message.startsWith(NO_RESPONSE_WARNING)).map((w) => [w.code, w.message])).toEqual([
      ['NO_FREQUENCY_RESPONSE', `No frequency response: a click train needs at least ${MIN_CLICKS_FOR_RESPONSE} clicks with a measured latency in the steady state for a response (with fewer, the neighbouring clicks stand in the impulse response within 20 dB of the arrival); this one has ${measuredClicks}. Use a longer run, and keep recording 2.4 s after the last click.`],
    ]);
    expect(out.warnings.map((w) => w.code)).not.toContain('LOW_COHERENCE');
  });
});

describe('no response for a click train whose latency alternates', () => {
  it('clicks arriving at random at 120 or 200 ms: no response, with NO_FREQUENCY_RESPONSE saying why (not LOW_COHERENCE)', () => {
    const train = generateClickTrain({ sampleRate: RATE, durationS: 12, seed: 6 });
    const coin = createRandom(3);
    const path = renderVaryingClicks(train.shape, train.clickFrames, train.samples.length + RATE, () => (coin.next() < 0.6 ? 5760 : 9600));
    const capture = addNoiseAtSnr(path.capture, whiteBackground(path.capture.length, 4), 30);
    const out = analyzeCapture(train.samples, capture, RATE);
    expect(out.status).toBe('ok');
    expect(out.latency?.modes?.map((m) => Math.round(m.medianMs))).toEqual([120, 200]);
    expect(out.frequencyResponse).toBeNull();
    expect(out.warnings.filter((w) => w.message.startsWith(NO_RESPONSE_WARNING))).toEqual([
      { code: 'NO_FREQUENCY_RESPONSE', message: 'No frequency response: the latency alternates between 2 levels from click to click, so no one alignment reads every click at its arrival.' },
    ]);
    expect(out.warnings.map((w) => w.code)).not.toContain('LOW_COHERENCE');
  });
});

describe('band spectra and smoothing', () => {
  const noise = generatePinkNoise({ sampleRate: RATE, durationS: 6, seed: 9 });
  const capture = applyIir(speaker, delaySignal(noise.samples, 100, noise.samples.length + 1000));
  const spectra = estimateBandSpectra(noise.samples, capture, RATE, { startFrame: noise.startFrame, endFrame: noise.endFrame, lag: { interceptFrames: 100, slope: 0 } }) as BandSpectra;

  it('assigns every in-band FFT bin to exactly one 1/48-octave band', () => {
    const binHz = RATE / spectra.fftSize;
    const bins = spectra.bands.reduce((n, b) => n + b.bins, 0);
    const expected = Math.floor(Math.min(noise.highHz, RATE / 2 - binHz) / binHz) - Math.ceil((LOWEST_BAND_HZ * 2 ** (-0.5 / BANDS_PER_OCTAVE)) / binHz) + 1;
    expect(Math.abs(bins - expected)).toBeLessThanOrEqual(2);
    for (let i = 1; i < spectra.bands.length; i++) {
      const ratio = Math.log2(spectra.bands[i].hz / spectra.bands[i - 1].hz) * BANDS_PER_OCTAVE;
      expect(Math.abs(ratio - Math.round(ratio))).toBeLessThan(1e-9); // on the 1/48-octave grid
    }
  });

  it('smoothing averages the bands: a 1/3-octave point is the mean |H|² and mean γ² of the bands within ±1/6 octave', () => {
    const points = smoothResponse(spectra, 3);
    const i = spectra.bands.findIndex((b) => b.hz > 1000);
    const inside = spectra.bands.filter((b) => Math.abs(Math.log2(b.hz / spectra.bands[i].hz)) <= 1 / 6 + 1e-12);
    const power = inside.reduce((acc, b) => acc + (b.gxyRe ** 2 + b.gxyIm ** 2) / b.gxx ** 2, 0) / inside.length;
    const coherence = inside.reduce((acc, b) => acc + Math.min(1, (b.gxyRe ** 2 + b.gxyIm ** 2) / (b.gxx * b.gyy)), 0) / inside.length;
    const point = points.find((p) => p.hz === spectra.bands[i].hz);
    expect(point?.db).toBeCloseTo(10 * Math.log10(power), 10);
    expect(point?.coherence).toBeCloseTo(coherence, 12);
    // Only the bands whose ±1/6 octave the spectrum covers: the response starts and ends 1/6 octave inside it.
    const first = Math.log2(spectra.bands[0].hz);
    const last = Math.log2(spectra.bands[spectra.bands.length - 1].hz);
    const covered = spectra.bands.filter((b) => Math.log2(b.hz) - 1 / 6 >= first - 1e-9 && Math.log2(b.hz) + 1 / 6 <= last + 1e-9);
    expect(points.map((p) => p.hz)).toEqual(covered.map((b) => b.hz));
  });

  it('no smoothing and 1/48 octave return the bands as they are; coarser smoothing is smoother', () => {
    expect(smoothResponse(spectra, 0)).toEqual(smoothResponse(spectra, 48));
    const roughness = (f: 0 | 1 | 3 | 12) => {
      const p = smoothResponse(spectra, f).filter((x) => x.hz > 200 && x.hz < 8000);
      return p.slice(1).reduce((acc, x, k) => acc + Math.abs(x.db - p[k].db), 0);
    };
    expect(roughness(1)).toBeLessThan(roughness(3));
    expect(roughness(3)).toBeLessThan(roughness(12));
  });

  it('meanLevelDb and medianCoherence read the bands; empty ranges give null', () => {
    expect(meanLevelDb(spectra, 500, 2000)).toBeCloseTo(10 * Math.log10(
      spectra.bands.filter((b) => b.hz >= 500 && b.hz <= 2000).reduce((a, b) => a + (b.gxyRe ** 2 + b.gxyIm ** 2) / b.gxx ** 2, 0) /
        spectra.bands.filter((b) => b.hz >= 500 && b.hz <= 2000).length,
    ), 10);
    expect(meanLevelDb(spectra, 30000, 40000)).toBeNull();
    // Bands where the capture is silent count as coherence 0 (a NaN would break the median).
    const silent = { bands: [1, 2, 3].map((i) => ({ hz: 1000 * i, bins: 1, gxx: 1, gyy: i === 2 ? 1 : 0, gxyRe: i === 2 ? 1 : 0, gxyIm: 0 })) };
    expect(medianCoherence(silent, 100, 10000)).toBe(0);
    expect(medianCoherence(spectra, 30000, 40000)).toBeNull();
  });

  it('defaultFftSize keeps about 8 averages, within 4096..65536', () => {
    expect(defaultFftSize(480000)).toBe(65536);
    expect(defaultFftSize(200000)).toBe(32768);
    expect(defaultFftSize(10000)).toBe(4096);
  });

  it('a span shorter than one segment gives null', () => {
    expect(estimateBandSpectra(noise.samples, capture, RATE, { startFrame: 0, endFrame: 1000, lag: { interceptFrames: 0, slope: 0 }, fftSize: 4096 })).toBeNull();
  });
});

describe('smoothResponse over a narrow band', () => {
  it('gives every band when the spectrum spans less than one smoothing window, and only whole windows otherwise', () => {
    const band = (hz: number) => ({ hz, bins: 4, gxx: 4, gyy: 16, gxyRe: 8, gxyIm: 0 });
    const narrow = { bands: [1000, 1100, 1200].map(band) }; // a quarter of an octave
    expect(smoothResponse(narrow, 1).map((p) => p.hz)).toEqual([1000, 1100, 1200]);
    const wide = { bands: Array.from({ length: 97 }, (_, i) => band(1000 * 2 ** (i / 48))) }; // two octaves
    const whole = smoothResponse(wide, 1);
    expect(whole[0].hz).toBeCloseTo(1000 * Math.SQRT2, 6);
    expect(whole[whole.length - 1].hz).toBeCloseTo(4000 / Math.SQRT2, 6);
    expect(whole.length).toBe(49);
  });
});

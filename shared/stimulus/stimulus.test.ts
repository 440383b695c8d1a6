import { describe, expect, it } from 'vitest';
import { generateClickTrain } from './click-train';
import { peakAbs, rms } from '../primitives/signal-level';
import {
  generateStimulus,
  parseStimulusComment,
  resolveStimulusSpec,
  STIMULUS_COMMENT_PREFIX,
  STIMULUS_DEFAULTS,
  STIMULUS_SIGNALS,
  stimulusComment,
  type StimulusSignal,
  type StimulusSpec,
} from './stimulus';

const RATES = [44100, 48000, 96000];

/** Bit-identical samples (a plain loop: deep equality over long typed arrays is slow). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

describe('resolveStimulusSpec', () => {
  for (const signal of STIMULUS_SIGNALS) {
    it(`${signal}: fills in 48 kHz, seed 1 and the signal's own duration and level`, () => {
      expect(resolveStimulusSpec({ signal })).toEqual({
        signal,
        sampleRate: 48000,
        durationS: STIMULUS_DEFAULTS[signal].durationS,
        seed: 1,
        levelDbfs: STIMULUS_DEFAULTS[signal].levelDbfs,
      });
    });
  }

  it('keeps every value it is given, and the boundaries of each range are accepted', () => {
    const spec: StimulusSpec = { signal: 'click', sampleRate: 96000, durationS: 3.5, seed: 4294967295, levelDbfs: -60 };
    expect(resolveStimulusSpec(spec)).toEqual(spec);
    expect(resolveStimulusSpec({ signal: 'click', sampleRate: 8000, durationS: 1, seed: 0, levelDbfs: 0 })).toMatchObject({ sampleRate: 8000, durationS: 1, seed: 0, levelDbfs: 0 });
    expect(resolveStimulusSpec({ signal: 'click', sampleRate: 384000, durationS: 3600 })).toMatchObject({ sampleRate: 384000, durationS: 3600 });
    expect(resolveStimulusSpec({ signal: 'sweep', durationS: 1.25 }).durationS).toBe(1.25);
    expect(resolveStimulusSpec({ signal: 'sweep', durationS: 600 }).durationS).toBe(600);
    expect(resolveStimulusSpec({ signal: 'pink', levelDbfs: -12.05 }).levelDbfs).toBe(-12.05);
  });

  const bad: Array<[string, Partial<StimulusSpec> & { signal: StimulusSignal }, RegExp]> = [
    ['an unknown signal', { signal: 'sine' as StimulusSignal }, /unknown signal "sine": use click, pink, sweep/],
    ['a rate below 8 kHz', { signal: 'click', sampleRate: 7999 }, /sample rate .*8000 to 384000 Hz, got 7999/],
    ['a rate above 384 kHz', { signal: 'click', sampleRate: 384001 }, /sample rate .*got 384001/],
    ['a fractional rate', { signal: 'pink', sampleRate: 44100.5 }, /sample rate must be an integer/],
    ['a duration under 1 s', { signal: 'click', durationS: 0.5 }, /duration must be 1 to 3600 s, got 0.5/],
    ['a duration over an hour', { signal: 'pink', durationS: 3601 }, /duration must be 1 to 3600 s, got 3601/],
    ['a NaN duration', { signal: 'click', durationS: NaN }, /duration must be 1 to 3600 s, got NaN/],
    ['a negative seed', { signal: 'click', seed: -1 }, /seed must be an integer 0..4294967295, got -1/],
    ['a fractional seed', { signal: 'click', seed: 1.5 }, /seed must be an integer .*got 1.5/],
    ['a seed beyond 32 bits', { signal: 'pink', seed: 2 ** 32 }, /seed .*got 4294967296/],
    ['a level above 0 dBFS', { signal: 'click', levelDbfs: 1 }, /level must be -60 to 0 dBFS, got 1/],
    ['a level below -60 dBFS', { signal: 'sweep', levelDbfs: -61 }, /level must be -60 to 0 dBFS, got -61/],
    ['a NaN level', { signal: 'click', levelDbfs: NaN }, /level must be -60 to 0 dBFS, got NaN/],
    // The generators' own limits, which used to surface only from generateStimulus.
    ['a sweep too short for lead-in, sweep and tail', { signal: 'sweep', durationS: 1 }, /sweep must be 1.25 to 600 s long, got 1/],
    ['a sweep over 600 s', { signal: 'sweep', durationS: 601 }, /sweep must be 1.25 to 600 s long, got 601/],
    ['pink noise loud enough to clip', { signal: 'pink', levelDbfs: -6 }, /pink noise level must be below -12.04 dBFS RMS .*got -6/],
    ['pink noise at -12 dBFS (peaks just over full scale)', { signal: 'pink', levelDbfs: -12 }, /pink noise level .*got -12/],
  ];
  for (const [what, input, message] of bad) {
    it(`refuses ${what} with a RangeError naming it`, () => {
      expect(() => resolveStimulusSpec(input)).toThrow(RangeError);
      expect(() => resolveStimulusSpec(input)).toThrow(message);
    });
  }

  it('everything it accepts can be generated (no RangeError from the generators)', () => {
    const edges: Array<Partial<StimulusSpec> & { signal: StimulusSignal }> = [
      { signal: 'click', durationS: 1, sampleRate: 8000, levelDbfs: 0 },
      { signal: 'pink', durationS: 1, sampleRate: 8000, levelDbfs: -12.05 },
      { signal: 'sweep', durationS: 1.25, sampleRate: 8000, levelDbfs: 0 },
    ];
    for (const input of edges) {
      const spec = resolveStimulusSpec(input);
      const samples = generateStimulus(spec);
      expect(samples.length).toBe(Math.round(spec.durationS * spec.sampleRate));
      expect(peakAbs(samples)).toBeLessThanOrEqual(1);
    }
  });
});

describe('generateStimulus', () => {
  for (const rate of RATES) {
    for (const signal of STIMULUS_SIGNALS) {
      it(`${signal} at ${rate} Hz: duration·rate frames, finite, at the stated level`, () => {
        const spec = resolveStimulusSpec({ signal, sampleRate: rate, durationS: 2.5, levelDbfs: signal === 'pink' ? -24 : -10 });
        const x = generateStimulus(spec);
        expect(x).toBeInstanceOf(Float32Array);
        expect(x.length).toBe(Math.round(2.5 * rate));
        expect(x.every(Number.isFinite)).toBe(true);
        // Silent lead-in (0.25 s for every signal) and a quiet last sample.
        expect(peakAbs(x, 0, Math.round(0.2 * rate))).toBe(0);
        expect(x[x.length - 1]).toBe(0);
        if (signal === 'pink') {
          // RMS level over the noise (between lead-in and tail, fades excluded), peaks below full scale.
          const body = rms(x, Math.round(0.3 * rate), Math.round(2.2 * rate));
          expect(20 * Math.log10(body)).toBeCloseTo(-24, 0);
          expect(peakAbs(x)).toBeLessThan(1);
        } else {
          // Clicks and sweep: the level is the peak.
          expect(20 * Math.log10(peakAbs(x))).toBeGreaterThan(-10.5);
          expect(20 * Math.log10(peakAbs(x))).toBeLessThanOrEqual(-10 + 1e-4);
        }
      });
    }
  }

  it('is deterministic, and the seed changes clicks and noise (a sweep has none)', () => {
    for (const signal of STIMULUS_SIGNALS) {
      const a = generateStimulus(resolveStimulusSpec({ signal, durationS: 2, seed: 5 }));
      const again = generateStimulus(resolveStimulusSpec({ signal, durationS: 2, seed: 5 }));
      const other = generateStimulus(resolveStimulusSpec({ signal, durationS: 2, seed: 6 }));
      expect(sameBits(again, a)).toBe(true);
      expect(sameBits(other, a)).toBe(signal === 'sweep');
    }
  });

  it('the click signal is the click train generator with the same settings, sample for sample', () => {
    const spec = resolveStimulusSpec({ signal: 'click', sampleRate: 44100, durationS: 4, seed: 9, levelDbfs: -12 });
    const train = generateClickTrain({ sampleRate: 44100, durationS: 4, seed: 9, levelDbfs: -12 });
    expect(sameBits(generateStimulus(spec), train.samples)).toBe(true);
  });
});

describe('stimulusComment / parseStimulusComment', () => {
  it('round-trips every signal, including unusual values', () => {
    const specs: StimulusSpec[] = [
      resolveStimulusSpec({ signal: 'click' }),
      resolveStimulusSpec({ signal: 'pink', sampleRate: 96000, durationS: 12.5, seed: 4294967295, levelDbfs: -33.3 }),
      resolveStimulusSpec({ signal: 'sweep', sampleRate: 44100, durationS: 1.25, seed: 0, levelDbfs: 0 }),
    ];
    for (const spec of specs) {
      const comment = stimulusComment(spec);
      expect(comment.startsWith(STIMULUS_COMMENT_PREFIX)).toBe(true);
      expect(parseStimulusComment(comment)).toEqual(spec);
    }
  });

  it('fills in defaults for a comment that names only the signal', () => {
    expect(parseStimulusComment(`${STIMULUS_COMMENT_PREFIX}{"signal":"sweep"}`)).toEqual(resolveStimulusSpec({ signal: 'sweep' }));
  });

  it('returns null for anything that is not a valid stimulus comment', () => {
    const garbage: Array<string | undefined> = [
      undefined,
      '',
      'Recorded with Audacity',
      'latency-lab stimulus', // prefix without its trailing space
      `${STIMULUS_COMMENT_PREFIX}`,
      `${STIMULUS_COMMENT_PREFIX}{"signal":"click"`,
      `${STIMULUS_COMMENT_PREFIX}null`,
      `${STIMULUS_COMMENT_PREFIX}[]`,
      `${STIMULUS_COMMENT_PREFIX}42`,
      `${STIMULUS_COMMENT_PREFIX}{"signal":"sine"}`,
      `${STIMULUS_COMMENT_PREFIX}{"signal":"click","sampleRate":1000}`,
      // Numeric strings pass the range checks ("-6" >= -60) but are not numbers.
      `${STIMULUS_COMMENT_PREFIX}{"signal":"click","durationS":"10"}`,
      `${STIMULUS_COMMENT_PREFIX}{"signal":"click","levelDbfs":"-6"}`,
      `${STIMULUS_COMMENT_PREFIX}{"signal":"click","seed":null}`,
      `${STIMULUS_COMMENT_PREFIX}{"signal":"sweep","durationS":1}`,
      `${STIMULUS_COMMENT_PREFIX}{"signal":"pink","levelDbfs":-3}`,
      ` ${stimulusComment(resolveStimulusSpec({ signal: 'click' }))}`,
    ];
    for (const comment of garbage) expect(parseStimulusComment(comment), String(comment)).toBeNull();
  });
});

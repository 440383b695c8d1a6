/**
 * A synthetic "song" for music mode: 120 BPM, a kick on every beat, a snare on 2 and 4, hi-hats,
 * and a bass and a melody whose notes are drawn at random (seeded) so no two bars are the same —
 * like real music, it is not periodic, so a latency cannot be confused with a whole bar.
 * Stereo 16-bit WAV at 44.1 kHz (decodeAudioData resamples and the app mixes it to mono).
 */
import { createRandom } from '../../shared/primitives/random';
import { encodeWav } from '../../shared/io/wav-file';

export const MUSIC_BPM = 120;

export function musicFixtureWav(durationS = 20, sampleRate = 44100, seed = 5): Uint8Array {
  const n = Math.round(durationS * sampleRate);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  const random = createRandom(seed);
  const beat = 60 / MUSIC_BPM;
  const add = (start: number, length: number, f: (t: number) => number, pan = 0.5) => {
    const s = Math.round(start * sampleRate);
    for (let i = 0; i < Math.round(length * sampleRate) && s + i < n; i++) {
      const v = f(i / sampleRate);
      left[s + i] += v * (1 - pan);
      right[s + i] += v * pan;
    }
  };
  for (let k = 0; k * beat < durationS; k++) {
    const t = k * beat;
    // Kick: a falling sine with a click.
    add(t, 0.25, (u) => 0.8 * Math.exp(-u * 18) * Math.sin(2 * Math.PI * (50 + 90 * Math.exp(-u * 30)) * u));
    if (k % 2 === 1) add(t, 0.15, (u) => 0.35 * Math.exp(-u * 25) * (random.next() * 2 - 1));
    for (let h = 0; h < 2; h++) if (random.next() < 0.8) add(t + h * beat * 0.5 + beat * 0.25, 0.04, (u) => 0.12 * Math.exp(-u * 90) * (random.next() * 2 - 1), 0.7);
    const bassHz = 55 * 2 ** (Math.floor(random.next() * 12) / 12);
    add(t, beat * 0.9, (u) => 0.25 * Math.min(1, u * 200) * Math.exp(-u * 3) * Math.sin(2 * Math.PI * bassHz * u), 0.4);
    const notes = 1 + Math.floor(random.next() * 3);
    for (let m = 0; m < notes; m++) {
      const hz = 440 * 2 ** (Math.floor(random.next() * 24 - 7) / 12);
      add(t + (m * beat) / notes, beat / notes, (u) => 0.12 * Math.exp(-u * 6) * (Math.sin(2 * Math.PI * hz * u) + 0.3 * Math.sin(4 * Math.PI * hz * u)), 0.6);
    }
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
  for (let i = 0; i < n; i++) {
    left[i] *= 0.9 / peak;
    right[i] *= 0.9 / peak;
  }
  return encodeWav({ sampleRate, channels: [left, right] }, { format: 'pcm16' });
}

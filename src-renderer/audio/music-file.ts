/**
 * Music mode: the user's own track as the stimulus. The file is decoded at the measurement's
 * sample rate (decodeAudioData resamples), mixed to mono, cut to at most 60 s, brought to the chosen
 * peak level and framed by silence like the generated stimuli; web-audio-beat-detector finds its
 * tempo and beat grid (it spawns its own Blob worker, which the CSP allows).
 */
import { guess } from 'web-audio-beat-detector';
import { dbToAmplitude, peakAbs } from '../../shared/primitives/signal-level';
import type { BeatGrid } from './beat-events';

export const MUSIC_MAX_S = 60;
export const MUSIC_LEAD_IN_S = 0.25;
export const MUSIC_TAIL_S = 0.5;
/** Largest file accepted (a 60 s excerpt never needs more). */
export const MUSIC_MAX_FILE_BYTES = 200 * 1024 * 1024;

export class MusicFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MusicFileError';
  }
}

export interface DecodedMusic {
  /** Mono at `sampleRate`, at most MUSIC_MAX_S long, unscaled. */
  samples: Float32Array;
  sampleRate: number;
  /** Length of the whole file, seconds. */
  fileDurationS: number;
  channels: number;
}

/** Decodes `bytes` (not detached: a copy is decoded) at `sampleRate`, mono, capped. */
export async function decodeMusic(bytes: ArrayBuffer, sampleRate: number, fileName: string): Promise<DecodedMusic> {
  if (bytes.byteLength === 0) throw new MusicFileError(`"${fileName}" is empty.`);
  if (bytes.byteLength > MUSIC_MAX_FILE_BYTES) throw new MusicFileError(`"${fileName}" is larger than ${MUSIC_MAX_FILE_BYTES / 1024 / 1024} MB; use a shorter excerpt.`);
  let decoded: AudioBuffer;
  try {
    const ctx = new OfflineAudioContext(1, 1, sampleRate);
    decoded = await ctx.decodeAudioData(bytes.slice(0));
  } catch (error) {
    throw new MusicFileError(`"${fileName}" could not be decoded as audio (${error instanceof Error && error.message ? error.message : 'unsupported or corrupt file'}). Use a WAV, MP3, AAC, FLAC or Ogg file.`);
  }
  const length = Math.min(decoded.length, Math.round(MUSIC_MAX_S * sampleRate));
  if (length < sampleRate * 2) throw new MusicFileError(`"${fileName}" is shorter than 2 s; use at least a few bars of music.`);
  const samples = new Float32Array(length);
  for (let c = 0; c < decoded.numberOfChannels; c++) {
    const data = decoded.getChannelData(c);
    for (let i = 0; i < length; i++) samples[i] += data[i];
  }
  const scale = 1 / decoded.numberOfChannels;
  for (let i = 0; i < length; i++) samples[i] *= scale;
  if (peakAbs(samples) < 1e-5) throw new MusicFileError(`"${fileName}" is silent (in its first ${MUSIC_MAX_S} s).`);
  return { samples, sampleRate, fileDurationS: decoded.duration, channels: decoded.numberOfChannels };
}

/** The played reference: silence, the track at `levelDbfs` peak, silence. */
export function musicReference(music: Float32Array, sampleRate: number, levelDbfs: number): Float32Array {
  const lead = Math.round(MUSIC_LEAD_IN_S * sampleRate);
  const tail = Math.round(MUSIC_TAIL_S * sampleRate);
  const out = new Float32Array(lead + music.length + tail);
  const peak = peakAbs(music);
  const gain = peak > 0 ? dbToAmplitude(levelDbfs) / peak : 0;
  for (let i = 0; i < music.length; i++) out[lead + i] = music[i] * gain;
  return out;
}

/** Tempo and first beat of mono samples (web-audio-beat-detector needs an AudioBuffer). */
export async function detectBeatGrid(samples: Float32Array, sampleRate: number): Promise<BeatGrid> {
  const buffer = new AudioBuffer({ length: samples.length, numberOfChannels: 1, sampleRate });
  buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
  try {
    const { bpm, offset } = await guess(buffer);
    return { bpm, offsetS: offset };
  } catch (error) {
    throw new MusicFileError(`No steady beat was found (${error instanceof Error ? error.message : String(error)}); choose a track with a clear, steady rhythm.`);
  }
}

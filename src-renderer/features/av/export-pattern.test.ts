// The page's pattern export, run in Node on @napi-rs/webcodecs (the same WebCodecs interface the
// page has; FFmpeg's AAC and Opus encoders inside), decoded back through the page's own decode
// path and analysed: a perfect recording of the pattern reads 0 ms. e2e/av-export.e2e.ts exports in
// Chromium and also decodes the file with the ffmpeg command (a player's reading of the edit list).
import * as napi from '@napi-rs/webcodecs';
import { describe, expect, it } from 'vitest';
import { analyzeAvRecording } from '../../../shared/av/av-analysis';
import { BRIGHT_LEVEL, DARK_LEVEL, patternClickShape, patternEventTimes, patternFrameLevel, renderPatternAudio } from '../../../shared/av/av-pattern';
import { type CodecHost, decodeRecording } from './decode-recording';
import { avcCodecString, clickDelayFrames, type EncoderHost, exportPatternMp4, opusHead, PatternExportError } from './export-pattern';

const host = napi as unknown as EncoderHost;
const codecs = napi as unknown as CodecHost;

const small = { width: 320, height: 180, fps: 60, durationS: 8 } as const;

/** The first click's centre in mono 48 kHz PCM, seconds, by cross-correlation with the click itself (to a sample). */
function firstClickS(samples: Float32Array, startS: number): number {
  const reference = renderPatternAudio(patternEventTimes(8), 48000, 48000 * 2);
  // clickDelayFrames finds the first click (at 1 s) 0–100 ms late; search from 50 ms before it.
  const shifted = new Float32Array(reference.length);
  const leadFrames = 2400;
  const offsetFrames = Math.round(startS * 48000);
  for (let i = 0; i < shifted.length; i++) {
    const j = i - leadFrames - offsetFrames;
    shifted[i] = j >= 0 && j < samples.length ? samples[j] : 0;
  }
  return 1 + (clickDelayFrames(shifted, reference) - leadFrames) / 48000;
}

describe('exportPatternMp4 (the page’s pattern video)', () => {
  for (const audioCodec of ['aac', 'opus'] as const) {
    it(`${audioCodec}: H.264 frames at the pattern's levels and the clicks on time; a perfect recording reads 0 ms`, async () => {
      const progress: number[] = [];
      const out = await exportPatternMp4(host, { ...small, audioCodec }, (p) => progress.push(p.fraction));
      expect(out.audioCodec).toBe(audioCodec);
      expect(out.frameCount).toBe(480);
      expect(progress.at(-1)).toBe(1);
      expect(progress.every((f, i) => i === 0 || f >= progress[i - 1])).toBe(true);
      // The encoder delay found: FFmpeg's AAC primes 1024 samples, libopus looks ahead 312 at 48 kHz.
      expect(out.audioDelayFrames).toBe(audioCodec === 'aac' ? 1024 : 312);

      const decoded = await decodeRecording(new Blob([out.bytes]), codecs);
      const video = decoded.video!;
      expect(video.frameCount).toBe(480);
      // H.264 High profile (profile_idc 0x64; the encoder writes its constraint flags and level).
      expect(decoded.codec).toMatch(/^avc1\.64[0-9a-f]{4}$/);
      // Every frame's mean luma is the pattern's level to within 1.5 code values (H.264 of flat grey).
      const times = patternEventTimes(8);
      const cellsPerFrame = video.gridWidth * video.gridHeight;
      let worst = 0;
      for (let i = 0; i < video.frameCount; i++) {
        let sum = 0;
        for (let c = 0; c < cellsPerFrame; c++) sum += video.cells[i * cellsPerFrame + c];
        worst = Math.max(worst, Math.abs(sum / cellsPerFrame - Math.round(255 * patternFrameLevel(times, i, 60))));
      }
      expect(worst).toBeLessThan(1.5);
      // The sound through the page's decode path: the first click at 1 s to within 2 samples.
      const audio = decoded.audio!;
      expect(audio.sampleRate).toBe(48000);
      expect(Math.abs(firstClickS(audio.samples, audio.startS) - 1)).toBeLessThanOrEqual(2 / 48000);
      // The whole chain. Frame i is shown from i/fps to (i+1)/fps and holds the pattern's level at
      // the middle of that interval (patternFrameLevel), so a perfect recording of it — a camera
      // whose frame times are the middles of what it saw — reads 0 ms. The file's own frame times are
      // the starts of the intervals: read as a recording, it is half a frame (8.33 ms) "late".
      const options = { cameraOffsetMs: 0, timestampResolutionS: decoded.timestampResolutionS };
      const asFile = analyzeAvRecording(video, audio, options);
      const mid = analyzeAvRecording({ ...video, timestampsS: video.timestampsS!.map((t) => t + 0.5 / 60) }, audio, options);
      expect(asFile.status).toBe('ok');
      expect(mid.status, JSON.stringify(mid.status === 'refused' ? mid.error : null)).toBe('ok');
      if (asFile.status !== 'ok' || mid.status !== 'ok') return;
      console.log(`pattern export ${audioCodec}: ${(out.bytes.length / 1e3).toFixed(0)} kB, delay ${out.audioDelayFrames} samples; perfect recording ${mid.av!.offsetMs.toFixed(3)} ms over ${mid.av!.count} events; the file's frame times ${asFile.av!.offsetMs.toFixed(3)} ms`);
      expect(mid.av!.count).toBe(patternEventTimes(8).length);
      expect(Math.abs(mid.av!.offsetMs)).toBeLessThan(0.5);
      expect(Math.abs(asFile.av!.offsetMs - 1000 / 120)).toBeLessThan(0.5);
    }, 60_000);
  }

  it('cancels at once when asked, and refuses a length outside 5–600 s with the limits', async () => {
    const controller = new AbortController();
    const run = exportPatternMp4(host, { ...small, durationS: 30, audioCodec: 'aac' }, (p) => {
      if (p.framesEncoded > 30) controller.abort();
    }, controller.signal);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await expect(exportPatternMp4(host, { durationS: 601 })).rejects.toThrow(new PatternExportError("the pattern's length must be 5–600 s, not 601"));
    await expect(exportPatternMp4(host, { durationS: 10, width: 321 })).rejects.toThrow(/even number of pixels/);
  }, 60_000);

  it('the sound rendered a block at a time (as the export encodes it) is the sound rendered whole, clicks across block edges too', () => {
    const times = patternEventTimes(20);
    const whole = renderPatternAudio(times, 48000, 20 * 48000);
    const blocks = new Float32Array(whole.length);
    for (let start = 0; start < whole.length; start += 4800) blocks.set(renderPatternAudio(times, 48000, Math.min(4800, whole.length - start), start / 48000), start);
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i] - blocks[i]));
    expect(worst).toBeLessThan(1e-6);
    // Some click does straddle a block edge (the check above covers that case).
    const halfClickS = patternClickShape(48000).lengthS / 2;
    expect(times.some((t) => Math.floor((t - halfClickS) * 10) !== Math.floor((t + halfClickS) * 10))).toBe(true);
  });

  it('names the H.264 level the picture needs and writes an RFC 7845 Opus header', () => {
    expect(avcCodecString(1920, 1080, 60)).toBe('avc1.64002a');
    expect(avcCodecString(1920, 1080, 30)).toBe('avc1.640028');
    expect(avcCodecString(1280, 720, 30)).toBe('avc1.64001f');
    const head = opusHead(312, 48000);
    expect(new TextDecoder().decode(head.subarray(0, 8))).toBe('OpusHead');
    expect(Array.from(head.subarray(8, 19))).toEqual([1, 1, 312 & 255, 312 >> 8, 0x80, 0xbb, 0, 0, 0, 0, 0]);
    expect(DARK_LEVEL).toBeLessThan(BRIGHT_LEVEL);
  });
});

/**
 * Recordings nobody here wrote: the A/V pattern as a camera would see it (a display holding the
 * pattern's 60 fps frames, sampled at the camera's rate with an exposure of half a frame), handed to
 * ffmpeg as raw grey frames and a WAV, and made into a recording by ffmpeg: the screen scaled,
 * padded, rotated or cropped into a larger picture, grain added, frames dropped with their
 * timestamps kept, the sound delayed (adelay) or advanced (-itsoffset), encoded as H.264, HEVC or
 * VP9 with AAC or Opus in MP4 or WebM. Our decoder (mediabunny + @napi-rs/webcodecs) and the
 * analysis must find the known offset within the reported uncertainty.
 *
 * Truth: the player's clock runs 1000 ppm slow against the camera's (59.94 against 60 Hz, so the
 * camera samples the held frames at drifting phases, as a real camera does), it shows the pattern's
 * frames `d` = half a camera frame late and plays the clicks on the same clock, and the sound is
 * shifted by the audio delay: offset = audio delay − d.
 *
 * Needs ffmpeg (Debian: apt-get install ffmpeg). Without it the suite is skipped, unless CI=1, where
 * it fails saying so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeAvRecording } from '../../shared/av/av-analysis';
import { patternEventTimes, patternFrameLevel, renderPatternAudio } from '../../shared/av/av-pattern';
import { avAnalysisOutputSchema } from '../../shared/av/av-schema';
import { encodeWav } from '../../shared/io/wav-file';
import { decodeRecording } from './av-media';

const ffmpegFound = spawnSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' }).status === 0;
const required = process.env.CI === '1' || process.env.CI === 'true';

const dir = mkdtempSync(join(tmpdir(), 'av-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PATTERN_FPS = 60;
const SAMPLE_RATE = 48000;
const RAW_WIDTH = 64;
const RAW_HEIGHT = 36;
/** The player's clock against the camera's: pattern time p plays at camera time p · CLOCK. */
const CLOCK = 1.001;

interface Fixture {
  name: string;
  fps: number;
  durationS: number;
  /** ffmpeg video filters after the raw grey input (the screen into a picture). */
  videoFilter: string;
  /** Sound delay in ms (positive: adelay; negative: -itsoffset on the audio input). */
  audioDelayMs: number;
  /** Output arguments (codecs, container). */
  output: string[];
  extension: 'mp4' | 'webm';
  /** Uncertainty the result must reach, ms. */
  maxUncertaintyMs: number;
  /** Frames dropped (their timestamps kept): select expression, or none. */
  dropEvery?: number;
  /** The decoded codec string starts with this. */
  codec: string;
  /** Pixel format encoded. Default yuv420p. */
  pixelFormat?: string;
}

/** Raw grey frames of the display as the camera sees it: pattern frames held for 1/60 s, shown d late, averaged over half a camera frame around each frame's time. */
function renderFrames(fps: number, durationS: number): { raw: Uint8Array; count: number; displayDelayS: number } {
  const times = patternEventTimes(durationS + 2);
  const count = Math.round(durationS * fps);
  const displayDelayS = 0.5 / fps;
  const exposureS = 0.5 / fps;
  const raw = new Uint8Array(count * RAW_WIDTH * RAW_HEIGHT);
  const SUB = 16;
  for (let m = 0; m < count; m++) {
    let sum = 0;
    for (let k = 0; k < SUB; k++) {
      const t = m / fps - exposureS / 2 + ((k + 0.5) * exposureS) / SUB;
      const frame = Math.floor(((t - displayDelayS) / CLOCK) * PATTERN_FPS);
      sum += frame >= 0 ? patternFrameLevel(times, frame, PATTERN_FPS) : patternFrameLevel(times, 0, PATTERN_FPS);
    }
    raw.fill(Math.round((255 * sum) / SUB), m * RAW_WIDTH * RAW_HEIGHT, (m + 1) * RAW_WIDTH * RAW_HEIGHT);
  }
  return { raw, count, displayDelayS };
}

function makeRecording(f: Fixture): { path: string; truthMs: number } {
  const { raw, displayDelayS } = renderFrames(f.fps, f.durationS);
  const rawPath = join(dir, `${f.fps}.gray`);
  writeFileSync(rawPath, raw);
  const audioPath = join(dir, 'pattern.wav');
  const clickTimes = patternEventTimes(f.durationS + 2).map((t) => t * CLOCK);
  writeFileSync(audioPath, encodeWav({ sampleRate: SAMPLE_RATE, channels: [renderPatternAudio(clickTimes, SAMPLE_RATE, Math.round(f.durationS * SAMPLE_RATE))] }));
  const path = join(dir, `${f.name.replace(/[^a-z0-9]+/gi, '-')}.${f.extension}`);
  const video = [f.dropEvery ? `select='not(eq(mod(n\\,${f.dropEvery})\\,${f.dropEvery - 1}))'` : null, f.videoFilter, `format=${f.pixelFormat ?? 'yuv420p'}`].filter(Boolean).join(',');
  const args = [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'gray', '-video_size', `${RAW_WIDTH}x${RAW_HEIGHT}`, '-framerate', String(f.fps), '-i', rawPath,
    ...(f.audioDelayMs < 0 ? ['-itsoffset', String(f.audioDelayMs / 1000)] : []), '-i', audioPath,
    '-map', '0:v', '-map', '1:a',
    '-vf', video,
    ...(f.audioDelayMs > 0 ? ['-af', `adelay=${f.audioDelayMs}:all=1`] : []),
    ...(f.dropEvery ? ['-fps_mode', 'vfr'] : []),
    ...f.output,
    path,
  ];
  const run = spawnSync('ffmpeg', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ffmpeg failed (${run.status}): ${run.stderr}`);
  return { path, truthMs: f.audioDelayMs - 1000 * displayDelayS };
}

const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-c:a', 'aac', '-b:a', '128k'];
const fixtures: Fixture[] = [
  {
    name: 'H.264 + AAC, 240 fps, the screen a third of a 640x360 picture with grain, sound 37 ms late',
    fps: 240, durationS: 12, extension: 'mp4', audioDelayMs: 37, maxUncertaintyMs: 2.5, codec: 'avc1',
    videoFilter: 'scale=300:170,pad=640:360:250:120:color=0x282828,noise=alls=8:allf=t',
    output: h264,
  },
  {
    name: 'HEVC + AAC, 120 fps, the screen rotated 7 degrees, sound 45 ms early',
    fps: 120, durationS: 12, extension: 'mp4', audioDelayMs: -45, maxUncertaintyMs: 4, codec: 'hev1',
    videoFilter: 'scale=240:136,pad=480:270:120:67:color=0x202020,rotate=7*PI/180:c=0x202020,noise=alls=4:allf=t',
    output: ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', '-c:a', 'aac', '-b:a', '128k'],
  },
  {
    name: 'HEVC Main 10 (10-bit, as phones record HDR) + AAC, 60 fps, sound 64 ms late',
    fps: 60, durationS: 16, extension: 'mp4', audioDelayMs: 64, maxUncertaintyMs: 6, codec: 'hev1', pixelFormat: 'yuv420p10le',
    videoFilter: 'scale=240:136,pad=480:270:200:100:color=0x202020',
    output: ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', '-c:a', 'aac', '-b:a', '128k'],
  },
  {
    name: 'H.264 + AAC, 120 fps with every 7th frame dropped (variable frame rate, timestamps kept), sound 20 ms late',
    fps: 120, durationS: 12, extension: 'mp4', audioDelayMs: 20, maxUncertaintyMs: 4, codec: 'avc1', dropEvery: 7,
    videoFilter: 'scale=320:180,pad=640:360:100:60:color=0x303030',
    output: h264,
  },
  {
    name: 'H.264 with B-frames + AAC, 60 fps, the screen cut off at the picture\'s edge, sound 83 ms late',
    fps: 60, durationS: 16, extension: 'mp4', audioDelayMs: 83, maxUncertaintyMs: 6, codec: 'avc1',
    videoFilter: 'scale=400:226,pad=640:360:0:0:color=0x303030,crop=560:300:100:40',
    output: ['-c:v', 'libx264', '-preset', 'veryfast', '-bf', '3', '-crf', '18', '-c:a', 'aac', '-b:a', '128k'],
  },
  {
    name: 'VP9 + Opus in WebM, 60 fps, sound 12 ms late',
    fps: 60, durationS: 16, extension: 'webm', audioDelayMs: 12, maxUncertaintyMs: 6, codec: 'vp09',
    videoFilter: 'scale=320:180,pad=480:270:80:45:color=0x303030',
    output: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M', '-c:a', 'libopus', '-b:a', '96k'],
  },
];

describe.skipIf(!ffmpegFound && !required)('recordings made by ffmpeg', () => {
  it('ffmpeg is installed (apt-get install ffmpeg)', () => {
    expect(ffmpegFound).toBe(true);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s: the known offset lies within the reported uncertainty', async (_name, f) => {
    const { path, truthMs } = makeRecording(f);
    const decoded = await decodeRecording(path);
    expect(decoded.codec.startsWith(f.codec), decoded.codec).toBe(true);
    expect(decoded.audio).not.toBeNull();
    const made = Math.round(f.durationS * f.fps);
    expect(decoded.video.frameCount).toBe(made - (f.dropEvery ? Math.floor(made / f.dropEvery) : 0));
    const output = analyzeAvRecording(decoded.video, decoded.audio, { cameraOffsetMs: 0, timestampResolutionS: decoded.timestampResolutionS });
    expect(() => avAnalysisOutputSchema.parse(output)).not.toThrow();
    expect(output.status, JSON.stringify(output.error)).toBe('ok');
    const av = output.av!;
    const error = av.offsetMs - truthMs;
    console.log(`${f.name}: truth ${truthMs.toFixed(2)} ms, measured ${av.offsetMs.toFixed(2)} ± ${av.uncertaintyMs.toFixed(2)} ms (error ${error.toFixed(2)}; ${av.count} events, ${decoded.video.frameCount} frames, ${decoded.codec}, screen ${(100 * av.screen.width).toFixed(0)} × ${(100 * av.screen.height).toFixed(0)} %) ${JSON.stringify(av.uncertaintyBudget)} ${output.warnings.map((w) => w.code).join(' ')}`);
    expect(Math.abs(error)).toBeLessThanOrEqual(av.uncertaintyMs);
    expect(av.uncertaintyMs).toBeLessThanOrEqual(f.maxUncertaintyMs);
  }, 120_000);

  it('decoding stops when cancelled, with an AbortError', async () => {
    const { path } = makeRecording({ ...fixtures[0], name: 'cancel', durationS: 6 });
    const controller = new AbortController();
    let progressCalls = 0;
    const decoding = decodeRecording(path, () => {
      progressCalls++;
      controller.abort();
    }, controller.signal);
    await expect(decoding).rejects.toMatchObject({ name: 'AbortError' });
    expect(progressCalls).toBeGreaterThanOrEqual(1);
  }, 120_000);
});

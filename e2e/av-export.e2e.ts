/**
 * "Export pattern video" on the A/V page, in Chromium: a 10 s pattern is encoded in the page
 * (WebCodecs H.264; Debian's Chromium has no AAC encoder, so its sound is Opus, which the page
 * says), downloaded, and checked three ways against the pattern's truth:
 *  - in Node (@napi-rs/webcodecs, the CLI's decoder): every frame, and the flash-to-click offset
 *    of a perfect recording (frame times at the middle of what each frame shows) is 0 within a
 *    fraction of a millisecond;
 *  - by the ffmpeg command (what a player does with the MP4's edit list and Opus PreSkip): the first
 *    click at 1 s to within 2 samples;
 *  - back through the page's own decode path (mediabunny + Chromium's WebCodecs decoders) and
 *    analysis: the file's own frame times are the starts of the frames, so it reads half a frame
 *    (8.3 ms) late, and nothing else.
 * And Cancel midway stops a 10 min export with nothing downloaded. Waits for states, not for times.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { analyzeAvRecording } from '../shared/av/av-analysis';
import { patternEventTimes, patternFrameLevel, renderPatternAudio } from '../shared/av/av-pattern';
import { decodeRecording } from '../src-main/cli/av-media';
import { clickDelayFrames } from '../src-renderer/features/av/export-pattern';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-export-e2e-'));
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const DURATION_S = 10;

/** The first click's centre in mono 48 kHz sound starting at `startS`, seconds (to a sample). */
function firstClickS(samples: Float32Array, startS: number): number {
  const reference = renderPatternAudio(patternEventTimes(DURATION_S), 48000, 2 * 48000);
  const leadFrames = 2400;
  const shifted = new Float32Array(reference.length);
  const offsetFrames = Math.round(startS * 48000);
  for (let i = 0; i < shifted.length; i++) {
    const j = i - leadFrames - offsetFrames;
    shifted[i] = j >= 0 && j < samples.length ? samples[j] : 0;
  }
  return 1 + (clickDelayFrames(shifted, reference) - leadFrames) / 48000;
}

function parseOffset(text: string): { offsetMs: number; uncertaintyMs: number } {
  const m = /^([+−]?)(\d+\.\d) ms ± (\d+\.\d) ms$/.exec(text.trim());
  if (!m) throw new Error(`not an offset with its uncertainty: "${text}"`);
  return { offsetMs: (m[1] === '−' ? -1 : 1) * Number(m[2]), uncertaintyMs: Number(m[3]) };
}

test('the pattern exported from the page is 1080p60 H.264, its clicks exactly under its flashes, and reads back through the page', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'A/V sync' }).click();
  const codecs = page.getByTestId('av-export-codecs');
  await expect(codecs).not.toHaveText(/Checking/);
  const codecNote = (await codecs.textContent()) ?? '';
  const expectedAudio = /AAC sound, which TVs play/.test(codecNote) ? 'aac' : 'opus';
  if (expectedAudio === 'opus') expect(codecNote).toMatch(/no AAC encoder, so the file will have H\.264 video and Opus sound.*some TVs do not play Opus in an MP4.*latency-lab av-pattern --out pattern\.mp4 --duration 60/);
  await page.getByLabel('Video length').selectOption(String(DURATION_S));
  const downloadEvent = page.waitForEvent('download', { timeout: 240_000 });
  await page.getByRole('button', { name: 'Export pattern video' }).click();
  await expect(page.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  const download = await downloadEvent;
  expect(download.suggestedFilename()).toBe(`latency-lab-av-pattern-${DURATION_S}s-1080p60.mp4`);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const done = page.getByTestId('av-export-done');
  await expect(done).toBeVisible();
  await expect(done).toContainText(expectedAudio === 'aac' ? 'H.264 video with AAC sound, which TVs play.' : 'H.264 video with Opus sound. Some TVs do not play Opus in an MP4');

  // In Node: the frames and the sound as the CLI's decoder reads them.
  const decoded = await decodeRecording(file);
  expect(decoded.codec).toMatch(/^avc1\.64[0-9a-f]{4}$/);
  expect([decoded.video.width, decoded.video.height, decoded.video.frameCount]).toEqual([1920, 1080, DURATION_S * 60]);
  const times = patternEventTimes(DURATION_S);
  const cellsPerFrame = decoded.video.gridWidth * decoded.video.gridHeight;
  let worstLevel = 0;
  for (let i = 0; i < decoded.video.frameCount; i++) {
    let sum = 0;
    for (let c = 0; c < cellsPerFrame; c++) sum += decoded.video.cells[i * cellsPerFrame + c];
    worstLevel = Math.max(worstLevel, Math.abs(sum / cellsPerFrame - Math.round(255 * patternFrameLevel(times, i, 60))));
    expect(Math.abs(decoded.video.timestampsS![i] - i / 60)).toBeLessThan(1e-4);
  }
  expect(worstLevel).toBeLessThan(1.5);
  const audio = decoded.audio!;
  const nodeClickS = firstClickS(audio.samples, audio.startS);
  const options = { cameraOffsetMs: 0, timestampResolutionS: decoded.timestampResolutionS };
  const perfect = analyzeAvRecording({ ...decoded.video, timestampsS: decoded.video.timestampsS!.map((t) => t + 0.5 / 60) }, audio, options);
  expect(perfect.status).toBe('ok');

  // By the ffmpeg command, as a player reads the file.
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a', '-f', 'f32le', '-ac', '1', '-ar', '48000', '-'], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const ffmpegClickS = firstClickS(new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4), 0);

  // Back through the page's own decode path and analysis.
  await page.getByLabel('Choose a video file').setInputFiles(file);
  const headline = page.getByTestId('av-offset');
  await expect(headline).toBeVisible({ timeout: 120_000 });
  const shown = parseOffset((await headline.textContent()) ?? '');
  console.log(
    `A/V export e2e: ${(fs.statSync(file).size / 1e6).toFixed(2)} MB, ${decoded.codec} + ${expectedAudio}; first click at ${((nodeClickS - 1) * 1e3).toFixed(3)} ms (Node), ` +
      `${((ffmpegClickS - 1) * 1e3).toFixed(3)} ms (ffmpeg) from 1 s; perfect recording ${perfect.av!.offsetMs.toFixed(3)} ms over ${perfect.av!.count} events; ` +
      `the page reads the file as ${shown.offsetMs} ± ${shown.uncertaintyMs} ms`,
  );
  expect(Math.abs(nodeClickS - 1)).toBeLessThanOrEqual(2 / 48000);
  expect(Math.abs(ffmpegClickS - 1)).toBeLessThanOrEqual(2 / 48000);
  expect(perfect.av!.count).toBe(times.length);
  expect(Math.abs(perfect.av!.offsetMs)).toBeLessThan(0.5);
  expect(Math.abs(shown.offsetMs - 1000 / 120)).toBeLessThanOrEqual(0.5);
});

test('Cancel stops an export midway in Chromium: nothing is downloaded and the page can export again', async ({ page }) => {
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'A/V sync' }).click();
  await expect(page.getByTestId('av-export-codecs')).not.toHaveText(/Checking/);
  await page.getByLabel('Video length').selectOption('600');
  await page.getByRole('button', { name: 'Export pattern video' }).click();
  // Wait until frames are being encoded (not merely the sound), then cancel.
  await expect(page.getByText(/^Encoding the pattern video: \d+ % \([1-9]\d* of 36000 frames\)$/)).toBeVisible();
  await page.getByRole('button', { name: 'Cancel export' }).click();
  await expect(page.getByRole('progressbar', { name: 'Export progress' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export pattern video' })).toBeEnabled();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(downloads).toEqual([]);
});

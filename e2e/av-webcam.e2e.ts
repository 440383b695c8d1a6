/**
 * The A/V page's webcam path in Chromium with fake capture devices: the camera plays a Y4M of a
 * simulated recording of the pattern (30 fps, 320 × 180) and the microphone a WAV of its sound,
 * both made at test time. Fake devices are not synchronised (each loops its own file), so this
 * checks the flow, not the accuracy: the user's click starts the camera, Record and Stop make a
 * MediaRecorder file, and that file goes through the same decode and analysis as a dropped one,
 * ending in a result with its uncertainty or a refusal with its reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { simulateAvCamera } from '../shared/simulation/av-camera';
import { cameraWav, cameraY4m } from './support/av-fixtures';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-webcam-'));
const video = path.join(dir, 'camera.y4m');
const audio = path.join(dir, 'camera.wav');
const rec = simulateAvCamera({ seed: 62, durationS: 14, cameraFps: 30, width: 320, height: 180, videoLatencyS: 0.03, audioLatencyS: 0.08, displayPpm: 1000 });
cameraY4m(video, rec, 30);
cameraWav(audio, rec);

test.use({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`, `--use-file-for-fake-audio-capture=${audio}`],
    ignoreDefaultArgs: ['--mute-audio'],
  },
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('webcam: record the fake camera and microphone, then a result with its uncertainty or a refusal with its reason', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'A/V sync' }).click();
  await page.getByRole('button', { name: 'Use the webcam…' }).click();
  await page.getByRole('button', { name: 'Record' }).click();
  // Wait for 12 s of recorded media (the recorder's one-second chunks), not for a time.
  await expect(page.getByText('Recording: 12 s')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Stop and analyse' }).click();
  const result = page.getByTestId('av-offset');
  const refusal = page.getByRole('alert').filter({ hasText: 'No result: the recording was refused' });
  await expect(result.or(refusal)).toBeVisible({ timeout: 120_000 });
  if (await result.isVisible()) {
    await expect(result).toHaveText(/^[+−]?\d+\.\d ms ± \d+\.\d ms$/);
    console.log(`webcam e2e: result ${await result.textContent()}`);
  } else {
    // A specific refusal: a code the analysis gives and advice for it.
    await expect(refusal.locator('code')).toHaveText(/^(NO_PATTERN|NO_CLICKS|TOO_FEW_EVENTS|FRAME_RATE_TOO_LOW|VARIABLE_FRAME_RATE|SCREEN_TOO_SMALL|OVER_EXPOSED|NO_AUDIO)$/);
    await expect(refusal).toContainText('What to do:');
    console.log(`webcam e2e: refused ${await refusal.textContent()}`);
  }
  // The recording came from the webcam, so the report names no file.
  await expect(page.getByRole('heading', { name: /A\/V offset|A\/V recording refused/ }).last()).toBeVisible();
});

/**
 * The A/V page with a dropped recording, in Chromium: a simulated camera recording of the pattern
 * (a display with a known video latency and pixel response, sound with a known latency, 2 m away;
 * 60 fps, 640 × 360, H.264 + AAC, made at test time by support/av-fixtures.ts) is chosen on the
 * page, decoded in the page with WebCodecs, analysed in the worker; the offset shown holds the
 * simulation's truth within the uncertainty shown beside it. Then it is saved, found in the library
 * with its offset ± uncertainty, reopened on the A/V page, and exported as HTML.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { cameraMp4 } from './support/av-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-e2e-'));
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Serious or critical accessibility problems of the page as it is, light and dark (axe-core). */
async function axeProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const results = await new AxeBuilder({ page }).analyze();
    for (const v of results.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') problems.push(`${theme}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    }
  }
  return problems;
}

/** "+42.1 ms ± 1.3 ms" → numbers (the page writes − as U+2212). */
function parseOffset(text: string): { offsetMs: number; uncertaintyMs: number } {
  const m = /^([+−]?)(\d+\.\d) ms ± (\d+\.\d) ms$/.exec(text.trim());
  if (!m) throw new Error(`not an offset with its uncertainty: "${text}"`);
  return { offsetMs: (m[1] === '−' ? -1 : 1) * Number(m[2]), uncertaintyMs: Number(m[3]) };
}

test('a dropped camera recording gives the true offset within the uncertainty shown; saved, listed, reopened, exported', async ({ page }) => {
  const file = path.join(dir, 'camera.mp4');
  const rec = await cameraMp4(file, { seed: 61, durationS: 12, cameraFps: 60, width: 640, height: 360, videoLatencyS: 0.04, audioLatencyS: 0.115, distanceM: 2, displayPpm: 1000 });
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'A/V sync' }).click();
  await expect(page.getByRole('heading', { name: 'A/V offset (lip sync)' })).toBeVisible();
  await page.getByLabel('Speaker to camera (m)').fill('2');
  await page.getByLabel('Title (optional)').fill('Simulated TV and soundbar');
  await page.getByLabel('Choose a video file').setInputFiles(file);
  const headline = page.getByTestId('av-offset');
  await expect(headline).toBeVisible({ timeout: 120_000 });
  const shown = parseOffset((await headline.textContent()) ?? '');
  // The page rounds to 0.1 ms; the truth must lie within the uncertainty (plus that rounding).
  console.log(`A/V e2e: true ${rec.trueOffsetMs.toFixed(2)} ms, shown ${shown.offsetMs} ± ${shown.uncertaintyMs} ms`);
  expect(Math.abs(shown.offsetMs - rec.trueOffsetMs)).toBeLessThanOrEqual(shown.uncertaintyMs + 0.1);
  // Uncalibrated at 60 fps: half a frame (8.3 ms) is in it, besides the statistical and display-hold parts.
  expect(shown.uncertaintyMs).toBeLessThanOrEqual(15);
  await expect(page.getByText('ITU-R BT.1359-1 (detectability)')).toBeVisible();
  await expect(page.getByText(/^The camera is not calibrated: ± half a frame is in the uncertainty/)).toBeVisible();
  expect(await axeProblems(page)).toEqual([]);

  await page.getByRole('button', { name: 'Save to library' }).click();
  await expect(page.getByRole('button', { name: 'Saved to the library' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Library' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Simulated TV and soundbar' });
  await expect(row).toContainText(`${(await headline.textContent())?.trim()}`);
  await row.getByRole('button', { name: 'Open “Simulated TV and soundbar”' }).click();
  await expect(page.getByTestId('av-offset')).toHaveText((await headline.textContent()) ?? '');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export HTML' }).click();
  const html = fs.readFileSync(await (await download).path(), 'utf8');
  expect(html).toContain('Latency Lab A/V report');
  expect(html).toContain('Simulated TV and soundbar');
});

test('a file the page cannot read is refused with the reason and what to do', async ({ page }) => {
  const file = path.join(dir, 'notes.mp4');
  fs.writeFileSync(file, 'this is not a video');
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'A/V sync' }).click();
  await page.getByLabel('Choose a video file').setInputFiles(file);
  const refusal = page.getByRole('alert').filter({ hasText: 'No result: the recording was refused' });
  await expect(refusal).toBeVisible({ timeout: 60_000 });
  await expect(refusal).toContainText('NO_VIDEO');
  await expect(refusal).toContainText('What to do: Choose the camera recording');
});

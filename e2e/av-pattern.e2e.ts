/**
 * The A/V page's pattern player in Chromium: Play shows the pattern over the whole page (full
 * screen where the browser grants it), its canvas goes from the dark level to the bright flash of
 * the pattern's first event and back, in step with the clicks it plays, and Esc stops it.
 * Waits for states of the canvas, not for times.
 */
import { expect, type Page, test } from '@playwright/test';
import { BRIGHT_LEVEL, DARK_LEVEL } from '../shared/av/av-pattern';

const canvasLevel = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="av-pattern-stage"] canvas') as HTMLCanvasElement;
    return canvas.getContext('2d')!.getImageData(0, 0, 1, 1).data[0] / 255;
  });

test('the pattern plays full screen, flashes from the dark to the bright level, and Esc stops it', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'A/V sync' }).click();
  await page.getByRole('button', { name: 'Play full screen' }).click();
  await expect(page.getByTestId('av-pattern-stage')).toBeVisible();
  // Before the first flash (1 s in): the dark level.
  await expect.poll(() => canvasLevel(page), { timeout: 30_000 }).toBeCloseTo(Math.round(255 * DARK_LEVEL) / 255, 2);
  // The first flash's hold: the bright level.
  await expect.poll(() => canvasLevel(page), { timeout: 30_000, intervals: [20] }).toBeCloseTo(Math.round(255 * BRIGHT_LEVEL) / 255, 2);
  // And back down after it.
  await expect.poll(() => canvasLevel(page), { timeout: 30_000, intervals: [20] }).toBeCloseTo(Math.round(255 * DARK_LEVEL) / 255, 2);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('av-pattern-stage')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Play full screen' })).toBeVisible();
});

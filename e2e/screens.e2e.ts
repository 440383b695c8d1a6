/**
 * Screenshots of every screen, light and dark, with an accessibility scan (axe-core) of each, on
 * real results from the deterministic in-browser audio loop (support/audio-loop.ts): measure setup,
 * level check, baseline, recording, long run, music, Results (ok with all charts, refused, empty),
 * the export panel, the library list and comparison, and settings showing validation errors.
 *
 * Headful when there is a display (CI: `xvfb-run -a npx playwright test …`), headless otherwise
 * (support/chromium.ts wantHeadful). Viewport 1280×800; a taller page is shot screen by screen
 * (*-2.png, *-3.png, …). Saved to e2e/artifacts/screens/ with axe.json (gitignored; CI keeps them
 * as artifacts). A screen with a `serious` or `critical` axe violation fails the test (after every
 * screen has been taken); moderate and minor ones are printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { installAudioLoop, type LoopConfig } from './support/audio-loop';
import { wantHeadful } from './support/chromium';
import { LOOP_DELAY_FRAMES, loopFilters } from './support/loop-filter';
import { chooseSignal, measureNav, resultsNav, startAndWaitForResults } from './support/measure-ui';
import { musicFixtureWav } from './support/music-fixture';

const SCREENS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts', 'screens');
const THEMES = ['light', 'dark'] as const;

test.use({ headless: !wantHeadful(), viewport: { width: 1280, height: 800 } });

interface AxeScan {
  screen: string;
  theme: string;
  violations: number;
  passes: number;
  /** Checks axe could not decide (e.g. contrast over overlapping elements): listed, not failed. */
  incomplete: string[];
  /** Each undecided node with axe's reason. */
  review: Array<{ id: string; target: string; reason: string }>;
}

interface AxeFinding {
  screen: string;
  theme: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const findings: AxeFinding[] = [];
const scans: AxeScan[] = [];
const taken: string[] = [];

test.afterAll(() => {
  const byImpact = (impact: string) => findings.filter((f) => f.impact === impact);
  console.log(`screens: ${taken.length} screenshots in ${path.relative(process.cwd(), SCREENS)}/ (${wantHeadful() ? 'headful' : 'headless'})`);
  for (const impact of ['critical', 'serious', 'moderate', 'minor']) {
    for (const f of byImpact(impact)) console.log(`axe ${impact}: ${f.screen} (${f.theme}) ${f.id}: ${f.help} — ${f.targets.slice(0, 4).join(', ')}${f.targets.length > 4 ? ', …' : ''}`);
  }
  console.log(`axe: ${byImpact('critical').length} critical, ${byImpact('serious').length} serious, ${byImpact('moderate').length} moderate, ${byImpact('minor').length} minor`);
  console.log(`axe: ${scans.length} scans, ${Math.min(...scans.map((s) => s.passes))}–${Math.max(...scans.map((s) => s.passes))} rules passed per scan; needs review: ${[...new Set(scans.flatMap((s) => s.incomplete))].join(', ') || 'none'}`);
  fs.writeFileSync(path.join(SCREENS, 'axe.json'), JSON.stringify({ taken, findings, scans }, null, 2));
});

/** Scrolls to `top` and waits until the page has painted there. */
const scrollTo = (page: Page, top: number) =>
  page.evaluate((y) => new Promise((resolve) => {
    window.scrollTo(0, y);
    requestAnimationFrame(() => requestAnimationFrame(resolve));
  }), top);

/**
 * Screenshots of the page as it is now, light and dark, each scanned with axe. A page taller than
 * the viewport is shot screen by screen as a user scrolls (`-2`, `-3`, …): a full-page shot of a
 * headful window is cut off at the height of the X screen (1024 px under `xvfb-run -a`).
 */
async function capture(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  const viewportHeight = page.viewportSize()?.height ?? 800;
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let part = 1, top = 0; top < height; part++, top += viewportHeight) {
      await scrollTo(page, top);
      const file = `${name}-${theme}${part === 1 ? '' : `-${part}`}.png`;
      await page.screenshot({ path: path.join(SCREENS, file) });
      taken.push(file);
    }
    await scrollTo(page, 0);
    const results = await new AxeBuilder({ page }).analyze();
    scans.push({ screen: name, theme, violations: results.violations.length, passes: results.passes.length, incomplete: results.incomplete.map((r) => r.id),
      review: results.incomplete.flatMap((r) => r.nodes.map((n) => ({ id: r.id, target: n.target.join(' '), reason: [...n.any, ...n.all, ...n.none].map((c) => c.message).join(' ') }))),
    });
    for (const v of results.violations) {
      findings.push({ screen: name, theme, id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) });
    }
    const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect.soft(blocking.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name} (${theme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openApp(page: Page, options: Partial<LoopConfig> = {}): Promise<void> {
  const config: LoopConfig = { delayFrames: LOOP_DELAY_FRAMES, filters: loopFilters(), silent: false, ...options };
  await page.addInitScript(installAudioLoop, config);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'New measurement' })).toBeVisible();
  await expect(page.getByLabel('Microphone (input)')).toHaveValue('loop-mic');
}

const CHARTS = [/^Latency over time$/, /^Latency distribution$/, /^Correlation peak$/, /^Frequency response,/];

async function saveToLibrary(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save to library' }).click();
  await expect(page.getByText(/^Saved to the library/)).toBeVisible();
}

test('every screen, light and dark, with an accessibility scan', async ({ page, context }) => {
  test.setTimeout(10 * 60_000);
  fs.rmSync(SCREENS, { recursive: true, force: true });

  await test.step('measure setup', async () => {
    await openApp(page);
    await page.getByRole('combobox', { name: 'Compare with' }).selectOption('speaker-jbl-flip-6');
    await expect(page.getByText(/^Source:/)).toBeVisible();
    await page.getByLabel('Setup description').fill('JBL Flip 6 over Bluetooth, mic 1 m away');
    await capture(page, 'measure-setup');
  });

  await test.step('level check', async () => {
    await page.getByRole('button', { name: 'Start level check' }).click();
    await expect(page.getByRole('meter', { name: 'Input peak level' })).toBeVisible();
    await page.getByRole('button', { name: /Measure noise floor/ }).click();
    await expect(page.getByText(/dBFS RMS$/)).toBeVisible({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Play test burst' }).click();
    await expect(page.getByRole('button', { name: 'Play test burst' })).toBeEnabled({ timeout: 30_000 });
    // The in-browser loop has no noise: the burst's SNR says so rather than giving a figure over a −∞ floor.
    await expect(page.locator('.level-check dt', { hasText: 'Test burst SNR' }).locator('xpath=following-sibling::dd')).toHaveText(/^(no measurable noise in the burst|\d+\.\d dB)$/);
    await expect(page.getByTestId('meter-max')).toHaveText(/Highest true peak since reset: −\d+\.\d dBFS/);
    await capture(page, 'measure-level-check');
    await page.getByRole('button', { name: 'Stop level check' }).click();
  });

  await test.step('baseline', async () => {
    await page.getByRole('button', { name: 'Measure baseline (10 s)' }).click();
    await expect(page.getByText(/^Baseline measured: /)).toBeVisible({ timeout: 60_000 });
    await capture(page, 'measure-baseline');
  });

  await test.step('recording, then results with every chart', async () => {
    await chooseSignal(page, 'Pink noise', 12, -20);
    const done = startAndWaitForResults(page);
    await expect(page.getByRole('status').filter({ hasText: /Playing and recording — \d+ s left/ })).toBeVisible();
    await capture(page, 'measure-recording');
    await done;
    for (const chart of CHARTS) await expect(page.getByRole('figure', { name: chart })).toBeVisible();
    await capture(page, 'results-ok');
  });

  await test.step('export panel', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect(page.getByRole('heading', { name: 'Export' })).toBeFocused();
    await capture(page, 'results-export');
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await saveToLibrary(page);
  });

  await test.step('a sweep for the comparison', async () => {
    await measureNav(page).click();
    await chooseSignal(page, 'Log sweep');
    await page.getByLabel('Number of sweeps').fill('1');
    await startAndWaitForResults(page);
    await expect(page.getByRole('figure', { name: /^Frequency response,/ })).toBeVisible();
    await saveToLibrary(page);
  });

  await test.step('long run', async () => {
    await measureNav(page).click();
    await page.getByLabel('Run', { exact: true }).selectOption('long');
    await page.getByLabel('Run length').fill('0.5');
    await page.getByRole('button', { name: 'Start long run' }).click();
    await expect(page.locator('.long-run dd').first()).toHaveText(/^\d+ of \d+$/, { timeout: 40_000 });
    await expect(page.getByRole('figure', { name: /^Latency over time$/ })).toBeVisible();
    await capture(page, 'measure-long-run');
    await expect(resultsNav(page)).toHaveAttribute('aria-current', 'page', { timeout: 90_000 });
    await saveToLibrary(page);
  });

  await test.step('music', async () => {
    await measureNav(page).click();
    await page.getByLabel('Run', { exact: true }).selectOption('single');
    await page.getByRole('radio', { name: 'Your own music' }).check();
    await page.getByLabel('Music file').setInputFiles({ name: 'groove.wav', mimeType: 'audio/wav', buffer: Buffer.from(musicFixtureWav()) });
    await expect(page.getByRole('status').filter({ hasText: /groove.wav: .* BPM/ })).toBeVisible({ timeout: 30_000 });
    await capture(page, 'measure-music');
  });

  // A second tab of the same browser profile (same library) whose loop is silent.
  const silent = await context.newPage();
  await test.step('results: empty', async () => {
    await openApp(silent, { silent: true });
    await resultsNav(silent).click();
    await expect(silent.getByRole('heading', { name: 'No measurement open' })).toBeVisible();
    await capture(silent, 'results-empty');
  });

  await test.step('results: refused', async () => {
    await measureNav(silent).click();
    await chooseSignal(silent, 'Click train', 5);
    await startAndWaitForResults(silent);
    await expect(silent.getByRole('heading', { name: /^No latency figure/ })).toBeVisible();
    await capture(silent, 'results-refused');
    await saveToLibrary(silent);
    await silent.close();
  });

  await test.step('library list', async () => {
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    await expect(page.getByText('4 measurements')).toBeVisible();
    await capture(page, 'library-list');
  });

  await test.step('library compare', async () => {
    const rows = page.getByRole('row').filter({ hasText: /Pink noise|Log sweep/ });
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Compare selected (2/2)' }).click();
    await expect(page.getByRole('heading', { name: 'Comparing A and B' })).toBeFocused();
    await capture(page, 'library-compare');
  });

  await test.step('settings with errors', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Video latency (ms)', { exact: true }).fill('-5');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByText(/^The video latency cannot be negative/)).toBeVisible();
    await page.getByLabel('Maximum (ms)', { exact: true }).fill('-20');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await expect(page.locator('[aria-invalid="true"]')).not.toHaveCount(0);
    await capture(page, 'settings-errors');
  });
});

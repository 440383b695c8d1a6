/**
 * The measure flow and the Results page driven as a user would, by role and label: shared by the
 * in-browser loop suite, the real-audio suite and the screenshots.
 */
import { expect, type Page } from '@playwright/test';

export type SignalName = 'Click train' | 'Pink noise' | 'Log sweep';

export async function chooseSignal(page: Page, name: SignalName, seconds?: number, levelDbfs?: number): Promise<void> {
  await page.getByRole('radio', { name, exact: true }).check();
  if (seconds !== undefined) await page.getByLabel('Run length').fill(String(seconds));
  // The spin button: the level check's "Level advice" list is labelled "Level…" too.
  if (levelDbfs !== undefined) await page.getByRole('spinbutton', { name: /^Level/ }).fill(String(levelDbfs));
}

export const resultsNav = (page: Page) => page.getByRole('button', { name: 'Results', exact: true });
export const measureNav = (page: Page) => page.getByRole('button', { name: 'Measure', exact: true });

/** Clicks Start measurement and waits until the app has switched to Results. */
export async function startAndWaitForResults(page: Page, timeout = 120_000): Promise<void> {
  await page.getByRole('button', { name: 'Start measurement' }).click();
  await expect(resultsNav(page)).toHaveAttribute('aria-current', 'page', { timeout });
}

/** "−3.20" (the app's typographic minus) → −3.2. */
export const parseShownNumber = (text: string): number => Number(text.replace(/\u2212/g, '-').replace(/[^\d.+-]/g, ''));

export interface ShownResult {
  refused: boolean;
  /** Median latency as shown (0.01 ms). */
  medianMs: number | null;
  /** Median added over the baseline as shown, when a baseline was subtracted. */
  addedMs: number | null;
  /** The baseline the added latency is over, as shown. */
  baselineMs: number | null;
  confidencePercent: number | null;
  /** The app's word for it: high, medium, low. */
  confidenceLabel: string | null;
  /** Warning codes the Results page lists. */
  warnings: string[];
}

/** What the Results page shows for the open measurement: headline, statistics table, warnings. */
export async function readShownResult(page: Page): Promise<ShownResult> {
  const headline = page.getByTestId('headline');
  await expect(headline).toBeVisible();
  const warningsRegion = page.getByRole('region', { name: /^\d+ warnings?$/ });
  const warnings = (await warningsRegion.count()) > 0 ? (await warningsRegion.getByRole('listitem').allInnerTexts()).map((t) => t.trim().split(/\s+/)[0]) : [];
  if (await page.getByRole('heading', { name: /^No latency figure/ }).isVisible()) {
    return { refused: true, medianMs: null, addedMs: null, baselineMs: null, confidencePercent: null, confidenceLabel: null, warnings };
  }
  const text = await headline.innerText();
  const median = page.getByRole('row', { name: /^Median\b/ }).getByRole('cell');
  const cells = await median.allInnerTexts();
  // "Added over the baseline of 6.50 ms" (the headline is then the added latency, the total beside it).
  const baseline = /[Aa]dded over the baseline of\s+([\u2212\d.-]+) ms/.exec(text);
  // innerText is as rendered: the figure labels are in capitals.
  const confidence = /Confidence\s+(\d+) %\s*(high|medium|low)/i.exec(text);
  expect(confidence, `the confidence in the headline: ${text}`).not.toBeNull();
  return {
    refused: false,
    medianMs: parseShownNumber(cells[0]),
    addedMs: cells.length > 1 ? parseShownNumber(cells[1]) : null,
    baselineMs: baseline ? parseShownNumber(baseline[1]) : null,
    confidencePercent: confidence ? Number(confidence[1]) : null,
    confidenceLabel: confidence?.[2].toLowerCase() ?? null,
    warnings,
  };
}

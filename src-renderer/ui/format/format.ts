/**
 * Number and date formatting shared by the results, library and settings screens. The words for
 * signal kinds, statistics and outcomes are in shared/report/labels.ts, shared with the HTML report.
 */

const MINUS = '\u2212';

/** A number with fixed decimals and a typographic minus ("−3.20"). */
export function formatNumber(value: number, digits = 2): string {
  const text = value.toFixed(digits);
  if (/^-0\.?0*$/.test(text)) return text.slice(1);
  return text.startsWith('-') ? MINUS + text.slice(1) : text;
}

/** "123.45 ms". */
export const formatMs = (value: number, digits = 2): string => `${formatNumber(value, digits)} ms`;

/** "+1.20 ms", "−3.40 ms", "0.00 ms". */
export function formatSignedMs(value: number, digits = 2): string {
  const text = formatNumber(value, digits);
  return `${value > 0 && !/^0\.?0*$/.test(text) ? '+' : ''}${text} ms`;
}

/** "91 %" from 0.91. */
export const formatPercent = (fraction: number): string => `${Math.round(fraction * 100)} %`;

/** "−68.4 dB" style with a unit. */
export const formatDb = (value: number, unit = 'dB', digits = 1): string => `${formatNumber(value, digits)} ${unit}`;

/** A local date and time: "1 Mar 2026, 13:34". Falls back to the raw text for invalid dates. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** How much trust a confidence (0–1) deserves, in one word. */
export function confidenceLabel(confidence: number): 'high' | 'medium' | 'low' {
  return confidence >= 0.8 ? 'high' : confidence >= 0.5 ? 'medium' : 'low';
}

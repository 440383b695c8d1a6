/**
 * Text and numbers in the HTML report. Every string that comes from the report is user data and
 * goes through escapeHtml (esc); only numbers formatted here and fixed text are written unescaped.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML content and quoted attribute values. Control characters (other than tab,
 * newline and carriage return), which HTML does not allow, become U+FFFD.
 */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export const esc = escapeHtml;

/** Fixed decimals, without "-0.000". Non-finite values (never in a valid report) become an em dash. */
export function num(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—';
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** With an explicit sign: "+1.2", "-1.2", "0.0". */
export function signed(value: number, digits: number): string {
  const text = num(value, digits);
  return /^[0.]+$/.test(text) || text.startsWith('-') || text === '—' ? text : `+${text}`;
}

export const ms = (value: number, digits = 3): string => `${num(value, digits)} ms`;

/** "2026-03-01T12:34:56.789Z" → "2026-03-01 12:34:56 UTC" (the stored time, not the reader's zone). */
export function formatDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]} ${m[3].toUpperCase() === 'Z' ? 'UTC' : `UTC${m[3]}`}`;
}

/** A table of label/value pairs; values are HTML already (escaped by the caller). */
export function keyValueTable(rows: Array<[string, string]>, className = 'kv'): string {
  return `<table class="${className}"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

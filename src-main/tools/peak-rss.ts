/**
 * Peak resident memory of a process, measured correctly. `process.resourceUsage().maxRSS`
 * (getrusage) is wrong for a process spawned by a large one: on Linux the child is forked before
 * it execs node, and the fork's resident set — the whole parent's — counts towards its maxRSS (a
 * child of a 400 MB parent reports 385 MiB; alone, 39 MiB). `VmHWM` in /proc/self/status is the
 * high-water mark of the process image after exec, which is what a user running the command sees.
 * Where there is no /proc, maxRSS is the fallback.
 */
import { readFileSync } from 'node:fs';

/** The VmHWM line of a /proc/<pid>/status text, in KiB; null when absent. */
export function parseVmHwmKib(status: string): number | null {
  const match = /^VmHWM:\s*(\d+)\s*kB$/m.exec(status);
  return match ? Number(match[1]) : null;
}

/** This process's peak resident set so far, in KiB. */
export function peakRssKib(): number {
  try {
    return parseVmHwmKib(readFileSync('/proc/self/status', 'utf8')) ?? process.resourceUsage().maxRSS;
  } catch {
    return process.resourceUsage().maxRSS;
  }
}

/**
 * JavaScript for `node -e` or a wrapper module (CommonJS or ESM): when the process exits, it
 * writes one line `PEAK_RSS_KIB <n>` to stderr, computed as peakRssKib() does.
 */
export const PEAK_RSS_REPORTER = `process.on('exit', () => { let kib = process.resourceUsage().maxRSS; try { const m = /^VmHWM:\\s*(\\d+)\\s*kB$/m.exec(process.getBuiltinModule('node:fs').readFileSync('/proc/self/status', 'utf8')); if (m) kib = Number(m[1]); } catch {} process.stderr.write('\\nPEAK_RSS_KIB ' + kib + '\\n'); });`;

/** The figure PEAK_RSS_REPORTER wrote into `stderr`, in KiB; null when there is none. */
export function parsePeakRssKib(stderr: string): number | null {
  const match = /PEAK_RSS_KIB (\d+)/.exec(stderr);
  return match ? Number(match[1]) : null;
}

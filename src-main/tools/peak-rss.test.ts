import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PEAK_RSS_REPORTER, parsePeakRssKib, parseVmHwmKib, peakRssKib } from './peak-rss';

describe('peak RSS of a child process', () => {
  it('reads VmHWM from a status text, and nothing from one without it', () => {
    expect(parseVmHwmKib('Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   40432 kB\nVmRSS:\t 40000 kB\n')).toBe(40432);
    expect(parseVmHwmKib('Name:\tnode\n')).toBeNull();
    expect(parsePeakRssKib('some output\nPEAK_RSS_KIB 1234\n')).toBe(1234);
    expect(parsePeakRssKib('no figure')).toBeNull();
  });

  it("reports the child's own peak, not the resident set of the parent it was forked from", () => {
    // Hold ~200 MiB here, touched so that it is resident, then spawn a child that allocates ~64 MiB.
    const held = new Float64Array(25e6).fill(1);
    const child = spawnSync(process.execPath, ['-e', `${PEAK_RSS_REPORTER} const a = new Float64Array(8e6).fill(2); if (a[5] !== 2) process.exit(3);`], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    const kib = parsePeakRssKib(child.stderr) as number;
    expect(held[12345]).toBe(1);
    expect(peakRssKib()).toBeGreaterThan(190 * 1024); // this process does hold the 200 MiB
    // A node process with 64 MiB of data: well under the parent's 200 MiB, and at least the 64.
    expect(kib).toBeGreaterThan(64 * 1024);
    expect(kib).toBeLessThan(180 * 1024);
  }, 30000);
});

/**
 * Peak memory of reading a large multichannel capture: `npm run bench:memory` (or
 * `node out/cli/memory-bench.mjs [--mib 1000] [--channels 64]`). Not a unit test: it writes a
 * capture of that size (200 MiB by default) to the temporary folder.
 *
 * The capture is pcm8 (the format that grows most when decoded: 4 bytes of float per byte of file),
 * with a delayed click train on channel 1 and quiet noise on the others. Each figure is the peak
 * resident set (VmHWM, see peak-rss.ts: getrusage counted the forking parent) of a fresh Node process that
 *   - reads the file and decodes every channel as floats (decodeWav: what the CLI did before),
 *   - reads the file and decodes only channel 1 (decodeWavChannel: what the CLI does now),
 *   - runs the whole `latency-lab analyze --capture-channel 1 --json` (reading, decoding, analysis).
 * Results are printed as a table and written to bench-results/memory.json. `--cli FILE` measures
 * another build of the CLI bundle as well (e.g. an older commit's out/cli/latency-lab.mjs), for a
 * before/after comparison on the same file.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeWav, decodeWavChannel, encodeWav } from '../../shared/io/wav-file';
import { PEAK_RSS_REPORTER, parsePeakRssKib, peakRssKib } from './peak-rss';
import { createRandom } from '../../shared/primitives/random';
import { generateStimulus, resolveStimulusSpec } from '../../shared/stimulus/stimulus';

const RATE = 48000;
const DELAY_FRAMES = 2400;
const SELF = fileURLToPath(import.meta.url);

/** Child mode: decode `file` one way and print the peak RSS in KiB (see peak-rss.ts). */
function child(mode: string, file: string): void {
  const bytes = readFileSync(file);
  const frames = mode === 'all' ? decodeWav(bytes).channels.reduce((n, c) => n + c.length, 0) : decodeWavChannel(bytes, 0).samples.length;
  process.stdout.write(`${JSON.stringify({ frames })}\nPEAK_RSS_KIB ${peakRssKib()}\n`);
}

/** Writes a pcm8 capture of about `mib` MiB with `channels` channels, streamed in blocks. */
function writeCapture(path: string, mib: number, channels: number, reference: Float32Array): number {
  const frames = Math.floor((mib * 2 ** 20) / channels);
  const header = encodeWav({ sampleRate: RATE, channels: Array.from({ length: channels }, () => new Float32Array(0)) }, { format: 'pcm8' });
  const view = new DataView(header.buffer);
  view.setUint32(4, header.length - 8 + frames * channels + ((frames * channels) & 1), true);
  view.setUint32(header.length - 4, frames * channels, true);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    const random = createRandom(5);
    const blockFrames = 65536;
    const block = new Uint8Array(blockFrames * channels);
    for (let start = 0; start < frames; start += blockFrames) {
      const n = Math.min(blockFrames, frames - start);
      for (let i = 0; i < n; i++) {
        const frame = start + i;
        const source = frame - DELAY_FRAMES;
        const x = source >= 0 && source < reference.length ? 0.8 * reference[source] : 0;
        block[i * channels] = Math.max(0, Math.min(255, Math.round(x * 128 + random.gaussian() * 0.5) + 128));
        for (let c = 1; c < channels; c++) block[i * channels + c] = 128 + random.int(3) - 1;
      }
      writeSync(fd, block, 0, n * channels);
    }
    if ((frames * channels) & 1) writeSync(fd, new Uint8Array(1));
  } finally {
    closeSync(fd);
  }
  return frames;
}

function peakOf(args: string[]): { maxRssKiB: number; stdout: string; status: number | null } {
  // The CLI runs inside a tiny wrapper that prints its own peak RSS when it exits.
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  const kib = parsePeakRssKib(result.stdout + result.stderr);
  if (kib === null) throw new Error(`no peak RSS from ${args.join(' ')}: ${result.stderr}`);
  return { maxRssKiB: kib, stdout: result.stdout, status: result.status };
}

function main(): void {
  const { values } = parseArgs({ options: { mib: { type: 'string' }, channels: { type: 'string' }, child: { type: 'string' }, file: { type: 'string' }, cli: { type: 'string' } }, strict: true });
  if (values.child) return child(values.child, values.file as string);
  const mib = Number(values.mib ?? 200);
  const channels = Number(values.channels ?? 64);
  if (!(mib > 0 && mib <= 1024) || !(Number.isInteger(channels) && channels >= 1 && channels <= 64)) throw new Error('--mib must be 1..1024 and --channels 1..64');
  const dir = mkdtempSync(join(tmpdir(), 'latency-lab-memory-'));
  try {
    const frames = Math.floor((mib * 2 ** 20) / channels);
    const durationS = Math.min(3600, Math.max(1, Math.floor(frames / RATE)));
    const reference = generateStimulus(resolveStimulusSpec({ signal: 'click', durationS, sampleRate: RATE }));
    writeFileSync(join(dir, 'ref.wav'), encodeWav({ sampleRate: RATE, channels: [reference] }, { format: 'pcm16' }));
    const capture = join(dir, 'capture.wav');
    writeCapture(capture, mib, channels, reference);
    console.log(`Peak memory (peak RSS, VmHWM) reading a ${mib} MiB pcm8 capture, ${channels} channels, ${frames} frames (${(frames / RATE).toFixed(0)} s at ${RATE / 1000} kHz)\n`);
    const rows: Array<{ what: string; peakMiB: number }> = [];
    const mibOf = (kib: number): number => kib / 1024;
    rows.push({ what: 'read + decodeWav (every channel as floats)', peakMiB: mibOf(peakOf([SELF, '--child', 'all', '--file', capture]).maxRssKiB) });
    rows.push({ what: 'read + decodeWavChannel (channel 1 only)', peakMiB: mibOf(peakOf([SELF, '--child', 'one', '--file', capture]).maxRssKiB) });
    const clis: Array<[string, string]> = [['latency-lab analyze', fileURLToPath(new URL('./latency-lab.mjs', import.meta.url))]];
    if (values.cli) clis.push([`${values.cli} analyze`, values.cli]);
    for (const [label, bundle] of clis) {
      const wrapper = `process.argv = [process.argv[0], ${JSON.stringify(bundle)}, ...process.argv.slice(1)]; ${PEAK_RSS_REPORTER} await import(${JSON.stringify(pathToFileURL(bundle).href)});`;
      const cli = peakOf(['--input-type=module', '-e', wrapper, 'analyze', '--reference', join(dir, 'ref.wav'), '--capture', capture, '--capture-channel', '1', '--json']);
      const latency = (JSON.parse(cli.stdout) as { latency?: { medianMs: number } }).latency?.medianMs;
      rows.push({ what: `${label} --capture-channel 1 (whole process; median ${latency?.toFixed(3) ?? 'refused'} ms)`, peakMiB: mibOf(cli.maxRssKiB) });
    }
    const width = Math.max(...rows.map((r) => r.what.length));
    console.log(`| ${'what'.padEnd(width)} | peak RSS |\n|:${'-'.repeat(width + 1)}|---------:|`);
    for (const r of rows) console.log(`| ${r.what.padEnd(width)} | ${`${r.peakMiB.toFixed(0)} MiB`.padStart(8)} |`);
    const resultsDir = fileURLToPath(new URL('../../bench-results/', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'memory.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, fileMiB: mib, channels, frames, rows }, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();

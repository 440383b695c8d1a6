/**
 * Several outputs and several speakers on the REAL OS audio path (e2e/audio/pulse-rig.sh), through
 * the command a user runs (`latency-lab generate` and `latency-lab analyze`, the built CLI bundle).
 *
 * The rig's `latlab_pair` sink is a stereo pair on one clock: a LADSPA stereo echo (tap_stereo_echo,
 * no feedback, no dry signal) delays its left channel by LATLAB_PAIR_LEFT_MS and its right by
 * LATLAB_PAIR_RIGHT_MS, both into the null sink whose monitor is recorded. The two channels of the
 * recording summed are one microphone hearing both speakers.
 *
 * 1. Several outputs: `generate --outputs 2` plays channel k on speaker k (paplay of the two-channel
 *    reference into the pair). The per-output latencies differ by exactly the plugin's delay
 *    difference (both channels share one stream, so the PulseAudio path's own latency cancels):
 *    `offsetFromFirstMs` within 0.2 ms of it, each output's drift and the relative drift within
 *    10 ppm of zero (one clock), and the sync verdict right for the default ±10 ms tolerance and
 *    for a tolerance wider than the offset.
 * 2. One stream on the same pair: `--speakers 2` must refuse with SAME_CLOCK — two speakers on one
 *    clock keep a fixed distance, as a reflection does, and one microphone position cannot tell them
 *    apart — while `--speakers 1` finds one of the two arrivals.
 *
 * Without the rig the test is skipped with the commands that start it; with
 * LATLAB_REQUIRE_AUDIO_RIG=1 (CI) it fails instead.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { decodeWav, encodeWav } from '../shared/io/wav-file';
import { ladspaControls, RIG_RATE, RIG_SINKS, RIG_SOURCE, rigForSpec } from './support/pulse-rig';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli', 'latency-lab.mjs');
const TOLERANCE_MS = 0.2;
const DRIFT_TOLERANCE_PPM = 10;
/** Recorded after the playback ends: longer than the path's latency (about 0.6 s on the rig). */
const TAIL_S = 1.5;
/**
 * PulseAudio's timeline slips now and then on a busy machine (e2e/audio/README.md): a run in which the
 * analysis itself reports a latency jump or dropouts is played again, this many times at most. The
 * tolerances are never widened.
 */
const MAX_TRIES = 4;
const SLIP_WARNINGS = ['LATENCY_JUMP', 'DROPOUTS'];

const rig = rigForSpec('rig-outputs.e2e.ts');

const cli = (...args: string[]): string => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:cli first`);
  try {
    return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  } catch (error) {
    // analyze exits 1 when it refuses; its JSON is still the answer.
    const e = error as { status?: number; stdout?: string };
    if (e.status === 1 && e.stdout) return e.stdout;
    throw error;
  }
};

/** The WAV's size now, for waiting until the recorder has written a given length. */
const framesIn = (file: string): number => (fs.existsSync(file) ? Math.max(0, fs.statSync(file).size - 100) / 8 : 0);

/**
 * Plays `reference` into the pair sink while recording the rig's source, and returns the
 * recording's two channels summed (one microphone hearing both speakers).
 */
async function playThroughPair(reference: string, dir: string): Promise<string> {
  const env = rig.env;
  const raw = path.join(dir, `${path.basename(reference, '.wav')}-recorded.wav`);
  const recorder = spawn('parecord', [`--device=${RIG_SOURCE}`, '--format=float32le', `--rate=${RIG_RATE}`, '--channels=2', '--file-format=wav', raw], { env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => recorder.once('exit', () => resolve()));
  try {
    await expect.poll(() => framesIn(raw), { message: 'parecord writing the recording' }).toBeGreaterThan(RIG_RATE / 10);
    execFileSync('paplay', [`--device=${RIG_SINKS.pair}`, reference], { env, timeout: 180_000 });
    const played = framesIn(raw);
    await expect.poll(() => framesIn(raw), { message: 'the tail after the playback' }).toBeGreaterThan(played + TAIL_S * RIG_RATE);
  } finally {
    recorder.kill('SIGINT');
    await exited;
  }
  const recorded = decodeWav(fs.readFileSync(raw));
  expect(recorded.sampleRate).toBe(RIG_RATE);
  const [left, right] = recorded.channels;
  const mic = new Float32Array(left.length);
  for (let i = 0; i < mic.length; i++) mic[i] = left[i] + right[i];
  const out = path.join(dir, `${path.basename(reference, '.wav')}-mic.wav`);
  fs.writeFileSync(out, encodeWav({ sampleRate: RIG_RATE, channels: [mic] }, { format: 'float32' }));
  return out;
}

interface OutputsJson {
  status: string;
  outputs: Array<{ channel: number; status: string; warnings: Array<{ code: string }>; latency?: { medianMs: number }; drift?: { ppm: number } | null; offsetFromFirstMs?: number | null; levelDb?: number | null }>;
  sync: { withinTolerance: boolean; maxSpreadMs: number; pairs: Array<{ channel: number; relativeDriftPpm: number | null }> } | null;
}

test('a stereo pair on the real OS path: per-output offsets to 0.2 ms, no drift, and one stream on it refused as same-clock', async () => {
  rig.assertUsable();
  test.setTimeout(10 * 60_000);
  const controls = ladspaControls(rig.env, RIG_SINKS.pair);
  const [leftMs, , rightMs] = controls;
  const expectedOffsetMs = rightMs - leftMs;
  expect(Math.abs(expectedOffsetMs)).toBeGreaterThan(10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latlab-rig-outputs-'));
  try {
    // 1. Several outputs: channel 1 on the left speaker, channel 2 on the right.
    const reference = path.join(dir, 'outputs.wav');
    cli('generate', '--signal', 'click', '--outputs', '2', '--duration', '24', '--seed', '5', '--out', reference);
    expect(decodeWav(fs.readFileSync(reference)).channels).toHaveLength(2);
    const attempts: string[][] = [];
    let mic = '';
    let strict: OutputsJson | null = null;
    while (attempts.length < MAX_TRIES) {
      mic = await playThroughPair(reference, dir);
      const result = JSON.parse(cli('analyze', '--reference', reference, '--capture', mic, '--json')) as OutputsJson;
      const slips = result.outputs.flatMap((o) => o.warnings.map((w) => w.code)).filter((c) => SLIP_WARNINGS.includes(c));
      attempts.push(slips);
      if (slips.length === 0) {
        strict = result;
        break;
      }
    }
    if (!strict) throw new Error(`every one of ${MAX_TRIES} runs through the rig slipped (warnings per run: ${JSON.stringify(attempts)})`);
    expect(strict.status).toBe('ok');
    expect(strict.outputs.map((o) => o.status)).toEqual(['ok', 'ok']);
    const [first, second] = strict.outputs;
    expect(Math.abs((second.latency!.medianMs - first.latency!.medianMs) - expectedOffsetMs)).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs(second.offsetFromFirstMs! - expectedOffsetMs)).toBeLessThan(TOLERANCE_MS);
    for (const o of strict.outputs) {
      expect(Math.abs(o.drift?.ppm ?? 0)).toBeLessThan(DRIFT_TOLERANCE_PPM);
      // Each speaker plays its channel at the reference's level (no gain on the rig).
      expect(Math.abs(o.levelDb!)).toBeLessThan(0.5);
    }
    expect(Math.abs(strict.sync!.pairs[0].relativeDriftPpm ?? 0)).toBeLessThan(DRIFT_TOLERANCE_PPM);
    expect(strict.sync!.withinTolerance).toBe(false);
    expect(Math.abs(strict.sync!.maxSpreadMs - Math.abs(expectedOffsetMs))).toBeLessThan(TOLERANCE_MS);
    const lenient = JSON.parse(cli('analyze', '--reference', reference, '--capture', mic, '--json', '--sync-tolerance-ms', String(Math.abs(expectedOffsetMs) + 5))) as OutputsJson;
    expect(lenient.sync!.withinTolerance).toBe(true);

    // 2. One stream on the same pair: two arrivals on one clock.
    const click = path.join(dir, 'click.wav');
    cli('generate', '--signal', 'click', '--duration', '20', '--seed', '6', '--out', click);
    // A slip shows in the one-speaker analysis as a jump, a part of the run or missing clicks.
    type Speakers = { status: string; reason?: string; speakers: Array<{ latencyMs: number; dropouts: number }>; warnings?: Array<{ code: string }> };
    let micOne = '';
    let one: Speakers | null = null;
    for (let i = 0; i < MAX_TRIES && one === null; i++) {
      micOne = await playThroughPair(click, dir);
      const result = JSON.parse(cli('analyze', '--reference', click, '--capture', micOne, '--speakers', '1', '--json')) as Speakers;
      const slips = result.status !== 'ok' ? [result.reason ?? 'refused'] : [...(result.warnings ?? []).map((w) => w.code).filter((c) => c === 'LATENCY_JUMP' || c === 'PARTIAL_RUN'), ...(result.speakers[0].dropouts > 0 ? ['DROPOUTS'] : [])];
      attempts.push(slips);
      if (slips.length === 0) one = result;
    }
    if (!one) throw new Error(`every one of ${MAX_TRIES} runs of one stream through the rig slipped (per run: ${JSON.stringify(attempts)})`);
    const two = JSON.parse(cli('analyze', '--reference', click, '--capture', micOne, '--speakers', '2', '--json')) as Speakers;
    expect(two.status).toBe('refused');
    expect(two.reason).toBe('SAME_CLOCK');
    // The one speaker found is one of the two arrivals; the plain analysis of the same capture
    // refuses: two arrivals of equal strength.
    const found = one.speakers[0].latencyMs;
    const plain = JSON.parse(cli('analyze', '--reference', click, '--capture', micOne, '--json')) as { status: string; error?: { code: string } };
    expect(plain.status).toBe('refused');
    expect(plain.error?.code).toBe('AMBIGUOUS_PEAK');
    console.log(JSON.stringify({ attempts, pair: { leftMs, rightMs }, outputs: strict.outputs.map((o) => ({ channel: o.channel, latencyMs: o.latency?.medianMs, driftPpm: o.drift?.ppm, levelDb: o.levelDb })), speakers: { two: two.reason, one: found } }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

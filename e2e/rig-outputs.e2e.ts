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
import { ladspaControls, RIG_RATE, RIG_SINKS, RIG_SOURCE, RIG_START_COMMANDS, rigStatus } from './support/pulse-rig';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli', 'latency-lab.mjs');
const TOLERANCE_MS = 0.2;
const DRIFT_TOLERANCE_PPM = 10;
/** Recorded after the playback ends: longer than the path's latency (about 0.6 s on the rig). */
const TAIL_S = 1.5;

const REQUIRED = process.env.LATLAB_REQUIRE_AUDIO_RIG === '1';
const rig = rigStatus();
const HOW_TO_START = `Start it with: ${RIG_START_COMMANDS} — then run the e2e again (LATLAB_REQUIRE_AUDIO_RIG=1 turns this skip into a failure).`;
const SKIP_REASON = `Real-audio rig not running: ${rig.problem}. ${HOW_TO_START}`;
if (rig.problem !== null && !REQUIRED && process.env.TEST_WORKER_INDEX === undefined) console.log(`rig-outputs.e2e.ts will be skipped. ${SKIP_REASON}`);
test.skip(rig.problem !== null && !REQUIRED, SKIP_REASON);

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
  outputs: Array<{ channel: number; status: string; latency?: { medianMs: number }; drift?: { ppm: number } | null; offsetFromFirstMs?: number | null; levelDb?: number | null }>;
  sync: { withinTolerance: boolean; maxSpreadMs: number; pairs: Array<{ channel: number; relativeDriftPpm: number | null }> } | null;
}

test('a stereo pair on the real OS path: per-output offsets to 0.2 ms, no drift, and one stream on it refused as same-clock', async () => {
  if (rig.problem) throw new Error(`LATLAB_REQUIRE_AUDIO_RIG=1 but the real-audio rig is not usable: ${rig.problem}. ${HOW_TO_START}`);
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
    const mic = await playThroughPair(reference, dir);
    const strict = JSON.parse(cli('analyze', '--reference', reference, '--capture', mic, '--json')) as OutputsJson;
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
    const micOne = await playThroughPair(click, dir);
    const two = JSON.parse(cli('analyze', '--reference', click, '--capture', micOne, '--speakers', '2', '--json')) as { status: string; reason?: string; found?: Array<{ latencyMs: number }> };
    expect(two.status).toBe('refused');
    expect(two.reason).toBe('SAME_CLOCK');
    const one = JSON.parse(cli('analyze', '--reference', click, '--capture', micOne, '--speakers', '1', '--json')) as { status: string; speakers: Array<{ latencyMs: number }> };
    expect(one.status).toBe('ok');
    // The arrival found is one of the two speakers: the path latency plus its channel's delay, so the
    // plain one-speaker analysis of the same capture lands on the same place or the other speaker's.
    const found = one.speakers[0].latencyMs;
    const plain = JSON.parse(cli('analyze', '--reference', click, '--capture', micOne, '--json')) as { status: string; latency?: { medianMs: number } };
    if (plain.status === 'ok') {
      const apart = Math.abs(found - plain.latency!.medianMs);
      expect(Math.min(apart, Math.abs(apart - Math.abs(expectedOffsetMs)))).toBeLessThan(TOLERANCE_MS);
    }
    console.log(JSON.stringify({ pair: { leftMs, rightMs }, outputs: strict.outputs.map((o) => ({ channel: o.channel, latencyMs: o.latency?.medianMs, driftPpm: o.drift?.ppm, levelDb: o.levelDb })), speakers: { two: two.reason, one: found } }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

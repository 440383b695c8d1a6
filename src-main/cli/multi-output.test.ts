/**
 * Integration tests of several outputs in one run (issue 11): `generate --outputs K` and `analyze`
 * with the K-channel reference, and `analyze --speakers N` (one signal on several speakers),
 * through the bundled CLI (out/cli/latency-lab.mjs, `npm run build:cli`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../shared/io/wav-file';
import { renderMultiOutputCapture, type SimulatedOutput } from '../../shared/simulation/multi-output-capture';
import { generateMultiOutputReference, parseMultiOutputComment } from '../../shared/stimulus/multi-output';
import { generateClickTrain } from '../../shared/stimulus/click-train';
import { multiOutputSchema, multiSpeakerSchema } from '../../shared/report/multi-output-schema';
import { parseReportText, type Report } from '../../shared/report/report-schema';
import { GROUP_CSV_HEADER } from '../../shared/report/report-csv';
import { CLI, expectUsageError, type Run, runCli } from './cli-test-support';

let dir: string;
const cli = (...args: string[]): Promise<Run> => runCli(dir, ...args);

const OUTPUTS: SimulatedOutput[] = [
  { latencyMs: 210, driftPpm: 40, jitterMs: 1, gainDb: 0, dropoutRate: 0 },
  { latencyMs: 160, driftPpm: -40, jitterMs: 1, gainDb: -4, dropoutRate: 0.05 },
];
let truthMs: number[];
const SPEAKERS: SimulatedOutput[] = [
  { latencyMs: 230, driftPpm: -30, jitterMs: 0, gainDb: -5, dropoutRate: 0 },
  { latencyMs: 190, driftPpm: 30, jitterMs: 0, gainDb: 0, dropoutRate: 0 },
];
let speakerTruthMs: number[];

const medianOf = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:cli\` before these tests (npm test does).`);
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-multi-'));
  const generated = await cli('generate', '--signal', 'click', '--outputs', '2', '--duration', '60', '--out', 'ref2.wav');
  expect(generated.code, generated.stderr).toBe(0);
  expect(generated.stdout).toMatch(/clicks for 2 outputs/);
  const ref = decodeWav(readFileSync(join(dir, 'ref2.wav')));
  const spec = parseMultiOutputComment(ref.info?.ICMT);
  if (!spec) throw new Error('ref2.wav has no multi-output comment');
  const { shape, clickFrames } = generateMultiOutputReference(spec);
  const { capture, trueLagFrames } = renderMultiOutputCapture({
    shape, clickFrames, lengthFrames: ref.channels[0].length + spec.sampleRate, outputs: OUTPUTS, seed: 21, snrDb: 30,
  });
  truthMs = trueLagFrames.map((lags) => (medianOf(lags.filter((x): x is number => x !== null)) / spec.sampleRate) * 1000);
  writeFileSync(join(dir, 'mic.wav'), encodeWav({ sampleRate: spec.sampleRate, channels: [capture] }));
  // One click train on two wireless speakers 40 ms apart, and on one speaker alone.
  const clicks = await cli('generate', '--signal', 'click', '--duration', '30', '--out', 'ref1.wav');
  expect(clicks.code, clicks.stderr).toBe(0);
  const train = generateClickTrain({ sampleRate: spec.sampleRate, durationS: 30, seed: 1 });
  const two = renderMultiOutputCapture({ shape: train.shape, clickFrames: [train.clickFrames, train.clickFrames], lengthFrames: train.samples.length + spec.sampleRate, outputs: SPEAKERS, seed: 23, snrDb: 30 });
  speakerTruthMs = two.trueLagFrames.map((lags) => (medianOf(lags.filter((x): x is number => x !== null)) / spec.sampleRate) * 1000);
  writeFileSync(join(dir, 'mic-speakers.wav'), encodeWav({ sampleRate: spec.sampleRate, channels: [two.capture] }));
  const one = renderMultiOutputCapture({ shape: train.shape, clickFrames: [train.clickFrames], lengthFrames: train.samples.length + spec.sampleRate, outputs: [SPEAKERS[0]], seed: 25, snrDb: 30 });
  writeFileSync(join(dir, 'mic-one.wav'), encodeWav({ sampleRate: spec.sampleRate, channels: [one.capture] }));
  // The same two channels without the multi-output comment: an ordinary stereo file.
  writeFileSync(join(dir, 'plain2.wav'), encodeWav({ sampleRate: spec.sampleRate, channels: ref.channels }));
}, 120000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('latency-lab with several outputs', () => {
  it('generate --outputs K writes one channel per output, the clicks taking turns', () => {
    const ref = decodeWav(readFileSync(join(dir, 'ref2.wav')));
    expect(ref.channels).toHaveLength(2);
    expect(ref.info?.ICMT).toMatch(/^latency-lab multi-output stimulus /);
    // No frame holds sound on both channels.
    let both = 0;
    for (let i = 0; i < ref.channels[0].length; i++) if (ref.channels[0][i] !== 0 && ref.channels[1][i] !== 0) both++;
    expect(both).toBe(0);
  });

  it('analyze --json with the K-channel reference reports every output and their sync', async () => {
    const run = await cli('analyze', '--reference', 'ref2.wav', '--capture', 'mic.wav', '--json', '--sync-tolerance-ms', '40');
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      status: string;
      outputs: Array<{ channel: number; latency: { medianMs: number; dropouts: number }; drift: { ppm: number }; levelDb: number; offsetFromFirstMs: number }>;
      sync: { toleranceMs: number; withinTolerance: boolean; pairs: Array<{ channel: number; relativeDriftPpm: number; relativeDriftMsPerMinute: number }> };
    };
    expect(multiOutputSchema.safeParse(out).error).toBeUndefined();
    expect(out.status).toBe('ok');
    expect(out.outputs.map((o) => o.channel)).toEqual([1, 2]);
    out.outputs.forEach((o, k) => {
      expect(Math.abs(o.latency.medianMs - truthMs[k])).toBeLessThan(0.2);
      expect(Math.abs(o.drift.ppm - OUTPUTS[k].driftPpm)).toBeLessThan(10);
      expect(o.levelDb).toBeCloseTo(OUTPUTS[k].gainDb, 0);
    });
    expect(out.outputs[1].latency.dropouts).toBeGreaterThan(0);
    expect(out.outputs[1].offsetFromFirstMs).toBeCloseTo(out.outputs[1].latency.medianMs - out.outputs[0].latency.medianMs, 9);
    // 50 ms apart: beyond the 40 ms tolerance asked for.
    expect(out.sync.toleranceMs).toBe(40);
    expect(out.sync.withinTolerance).toBe(false);
    expect(Math.abs(out.sync.pairs[0].relativeDriftPpm + 80)).toBeLessThan(15);
  }, 120000);

  it('analyze prints a line per output as text, and refuses what a multi-output run does not support yet', async () => {
    const text = await cli('analyze', '--reference', 'ref2.wav', '--capture', 'mic.wav');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Output 1 {2}latency 2\d\d\.\d\d ms/m);
    expect(text.stdout).toMatch(/^Output 2 {2}latency 1\d\d\.\d\d ms/m);
    expect(text.stdout).toMatch(/beyond ±10 ms/);
    // About 50 ms apart: better than the 120–200 ms multi-room variance, worse than the ±12 ms dual-link figure.
    expect(text.stdout).toMatch(/^Claim {5}Measured spread between the speakers \d+\.\d ms is better than the claimed '120–200 ms'/m);
    expect(text.stdout).toMatch(/^Claim {5}Measured spread between the speakers \d+\.\d ms is worse than the claimed 'up to 12 ms'/m);
    expectUsageError(await cli('analyze', '--reference', 'ref2.wav', '--capture', 'mic.wav', '--baseline-ms', '10'), /--baseline-ms is not supported with a multi-output reference/);
    expectUsageError(await cli('generate', '--signal', 'pink', '--outputs', '2', '--out', 'x.wav'), /--outputs works with --signal click only/);
    expectUsageError(await cli('generate', '--signal', 'click', '--outputs', '9', '--out', 'x.wav'), /--outputs/);
  }, 120000);

  it('a two-channel reference without the multi-output comment is analysed as before: channel 1, with a warning', async () => {
    const run = await cli('analyze', '--reference', 'plain2.wav', '--capture', 'mic.wav', '--json');
    const out = JSON.parse(run.stdout) as { outputs?: unknown; warnings: Array<{ code: string }> };
    expect(out.outputs).toBeUndefined();
    expect(out.warnings.map((w) => w.code)).toContain('STEREO_INPUT');
  }, 120000);

  it('analyze --speakers N reports each speaker in order of arrival and their spread, or refuses with the reason', async () => {
    const run = await cli('analyze', '--reference', 'ref1.wav', '--capture', 'mic-speakers.wav', '--speakers', '2', '--json');
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { status: string; speakers: Array<{ latencyMs: number; levelDb: number; driftPpm: number }>; syncSpreadMs: number };
    expect(multiSpeakerSchema.safeParse(out).error).toBeUndefined();
    expect(out.status).toBe('ok');
    // In order of arrival: the second speaker (190 ms) first.
    const order = [1, 0];
    out.speakers.forEach((s, k) => {
      expect(Math.abs(s.latencyMs - speakerTruthMs[order[k]])).toBeLessThan(0.2);
      expect(Math.abs(s.driftPpm - SPEAKERS[order[k]].driftPpm)).toBeLessThan(10);
      expect(s.levelDb).toBeCloseTo(SPEAKERS[order[k]].gainDb, 0);
    });
    expect(Math.abs(out.syncSpreadMs - (speakerTruthMs[0] - speakerTruthMs[1]))).toBeLessThan(0.2);
    const text = await cli('analyze', '--reference', 'ref1.wav', '--capture', 'mic-speakers.wav', '--speakers', '2');
    expect(text.stdout).toMatch(/^Speaker 1 latency 19\d\.\d\d ms/m);
    // One speaker heard, two asked for: exit 1 with the reason.
    const refused = await cli('analyze', '--reference', 'ref1.wav', '--capture', 'mic-one.wav', '--speakers', '2', '--json');
    expect(refused.code).toBe(1);
    expect((JSON.parse(refused.stdout) as { status: string; reason: string }).status).toBe('refused');
    expect(multiSpeakerSchema.safeParse(JSON.parse(refused.stdout)).error).toBeUndefined();
    expectUsageError(await cli('analyze', '--reference', 'ref2.wav', '--capture', 'mic.wav', '--speakers', '2'), /--speakers is for one signal on several speakers/);
  }, 120000);
});

describe('analyze --report with several outputs or speakers (report schemaVersion 4)', () => {
  const load = (name: string): Report => parseReportText(readFileSync(join(dir, name), 'utf8'));

  it('several outputs: the report holds every output, the tolerance asked for and the verdicts', async () => {
    const run = await cli('analyze', '--reference', 'ref2.wav', '--capture', 'mic.wav', '--report', 'outputs.json', '--sync-tolerance-ms', 'rooms', '--title', 'Two outputs');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('\nReport    written to outputs.json\n');
    const report = load('outputs.json');
    expect(report.schemaVersion).toBe(5);
    expect(report.title).toBe('Two outputs');
    expect(report.signal.kind).toBe('click');
    const group = report.group;
    if (group?.kind !== 'outputs') throw new Error('no outputs group in the report');
    expect(group.outputs.map((o) => o.channel)).toEqual([1, 2]);
    expect(group.tolerance).toEqual({ toleranceMs: 40, source: 'rooms' });
    group.result.outputs.forEach((o, k) => expect(Math.abs((o.latency?.medianMs ?? Number.NaN) - truthMs[k])).toBeLessThan(0.2));
    // About 50 ms apart: beyond ±40 ms, better than the claimed 120–200 ms variance.
    expect(group.verdicts?.tolerance.outcome).toBe('beyond');
    expect(group.verdicts?.claims[0]).toMatchObject({ claimId: 'statement-multi-room-bluetooth-variance', outcome: 'better' });
    // And beyond the ±12 ms a dual-link transmitter is said to keep two units within.
    expect(group.verdicts?.claims[1]).toMatchObject({ claimId: 'statement-dual-link-divergence-12', outcome: 'worse' });
    // The ordinary analysis of the whole train is kept for readers of one output.
    expect(report.analysis.status).toBe('ok');
    // The report command turns it into the same outputs as any other.
    const html = await cli('report', 'outputs.json', '--html', 'outputs.html', '--csv-events', 'outputs.csv', '--csv-group', 'outputs-group.csv');
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(join(dir, 'outputs.html'), 'utf8')).toMatch(/Several outputs/);
    const table = readFileSync(join(dir, 'outputs-group.csv'), 'utf8').split('\n');
    expect(table[0]).toBe(GROUP_CSV_HEADER);
    // One row per output, at the latency the report holds.
    const outputRows = table.filter((line) => line.startsWith('output,'));
    expect(outputRows).toHaveLength(group.result.outputs.length);
    group.result.outputs.forEach((o, k) => expect(Number(outputRows[k].split(',')[3])).toBeCloseTo(o.latency?.medianMs ?? Number.NaN, 3));
    expect(table.some((line) => line.startsWith('spread,'))).toBe(true);
    // A report of one output has no such table: refused with the reason, nothing written.
    const oneOutput = await cli('analyze', '--reference', 'ref1.wav', '--capture', 'mic-one.wav', '--report', 'one-output.json');
    expect(oneOutput.code, oneOutput.stderr).toBe(0);
    const single = await cli('report', 'one-output.json', '--csv-group', 'none.csv');
    expectUsageError(single, /--csv-group: the report is of one output/);
    expect(existsSync(join(dir, 'none.csv'))).toBe(false);
  }, 120000);

  it('one stream on N speakers: the report holds the speakers, or the refusal with what was found', async () => {
    const run = await cli('analyze', '--reference', 'ref1.wav', '--capture', 'mic-speakers.wav', '--speakers', '2', '--report', 'speakers.json', '--sync-tolerance-ms', '45.5');
    expect(run.code, run.stderr).toBe(0);
    const group = load('speakers.json').group;
    if (group?.kind !== 'speakers' || group.result.status !== 'ok') throw new Error('no speakers result in the report');
    expect(group.speakers).toBe(2);
    expect(group.tolerance).toEqual({ toleranceMs: 45.5, source: 'custom' });
    expect(Math.abs(group.result.syncSpreadMs - (speakerTruthMs[0] - speakerTruthMs[1]))).toBeLessThan(0.2);
    expect(group.verdicts?.tolerance.outcome).toBe('within');

    const refused = await cli('analyze', '--reference', 'ref1.wav', '--capture', 'mic-one.wav', '--speakers', '2', '--report', 'one.json');
    expect(refused.code).toBe(1);
    const one = load('one.json').group;
    expect(one?.kind === 'speakers' && one.result.status).toBe('refused');
    expect(one?.verdicts).toBeNull();
  }, 120000);

  it('refuses a bad tolerance, --speakers 1 with --report, and an existing report file', async () => {
    expectUsageError(await cli('analyze', '--reference', 'ref2.wav', '--capture', 'mic.wav', '--sync-tolerance-ms', 'ears'), /--sync-tolerance-ms/);
    expectUsageError(await cli('analyze', '--reference', 'ref1.wav', '--capture', 'mic-one.wav', '--speakers', '1', '--report', 'r1.json'), /needs --speakers 2 or more/);
    // Checked before the analysis: nothing is analysed for a report that could not be written.
    const exists = await cli('analyze', '--reference', 'ref2.wav', '--capture', 'mic.wav', '--report', 'outputs.json');
    expectUsageError(exists, /exists/);
    expect(exists.stdout).toBe('');
  }, 120000);
});

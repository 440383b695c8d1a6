/**
 * Integration tests of the `latency-lab` command: each test runs the bundled CLI
 * (out/cli/latency-lab.mjs, built by `npm run build:cli`) as a user would, in a temp folder, on
 * WAV files with a known answer. Timing is not asserted here (the benchmark does that).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisOutput } from '../../shared/claims/judge';
import { findClaim, loadClaimsCatalogue } from '../../shared/claims/claims-catalogue';
import { generateClickTrain } from '../../shared/stimulus/click-train';
import { parseReportText, type Report } from '../../shared/report/report-schema';
import { generateStimulus, parseStimulusComment, resolveStimulusSpec, STIMULUS_SIGNALS, type StimulusSignal } from '../../shared/stimulus/stimulus';
import { addNoiseAtSnr, delaySignal, renderClickCapture, whiteBackground } from '../../shared/simulation/synthetic-path';
import { decodeWav, encodeWav, type WavAudio, type WavSampleFormat } from '../../shared/io/wav-file';
import { CLI, expectUsageError, ROOT, type Run, runCli } from './cli-test-support';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const RATE = 48000;
const DELAY_MS = 123.456;
const DELAY_FRAMES = (DELAY_MS / 1000) * RATE;
/** Electrical delay of the loopback channel in the dual-channel capture. */
const LOOPBACK_MS = 3.25;

let dir: string;

const cli = (...args: string[]): Promise<Run> => runCli(dir, ...args);

/** stdout is exactly one line holding one JSON object. */
function parseJson(run: Run): AnalysisOutput {
  expect(run.stdout.endsWith('\n')).toBe(true);
  expect(run.stdout.slice(0, -1).split('\n')).toHaveLength(1);
  const value = JSON.parse(run.stdout) as unknown;
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as AnalysisOutput;
}

/** Runs `analyze … --json`, expecting a result (exit 0). */
async function analyzeOk(...args: string[]): Promise<AnalysisOutput> {
  const run = await cli('analyze', ...args, '--json');
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  const output = parseJson(run);
  expect(output.status).toBe('ok');
  return output;
}

const writeWav = (name: string, sampleRate: number, channels: Float32Array[], format: WavSampleFormat = 'float32'): void =>
  writeFileSync(join(dir, name), encodeWav({ sampleRate, channels }, { format }));
const readWav = (name: string): WavAudio => decodeWav(readFileSync(join(dir, name)));

/** Float32 arrays with identical bits. */
function sameSamples(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A click capture through a pure fractional delay, with white noise at `snrDb` over the clicks. */
function clickCapture(rate: number, durationS: number, delayMs: number, snrDb: number, seed: number): Float32Array {
  const train = generateClickTrain({ sampleRate: rate, durationS, seed: 1 });
  const length = train.samples.length + Math.round(0.5 * rate);
  const delayFrames = (delayMs / 1000) * rate;
  const clean = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: length, delayFrames }).capture;
  const first = train.clickFrames[0] + Math.round(delayFrames);
  const last = train.clickFrames[train.clickFrames.length - 1] + Math.round(delayFrames);
  return addNoiseAtSnr(clean, whiteBackground(length, seed), snrDb, first, last);
}

const CLICK_S = 4;
const CONTINUOUS_S = 3;
let clickFrames: number[];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:cli\` before these tests (npm test does).`);
  const built = statSync(CLI).mtimeMs;
  const newer = ['src-main/cli/latency-lab.ts', 'src-main/cli/analyze-command.ts', 'src-main/cli/generate-command.ts', 'shared/analysis/analyze-capture.ts']
    .filter((f) => statSync(join(ROOT, f)).mtimeMs > built);
  if (newer.length > 0) console.warn(`out/cli/latency-lab.mjs is older than ${newer.join(', ')}: run \`npm run build:cli\` to test the current code.`);

  dir = mkdtempSync(join(tmpdir(), 'latency-lab-cli-'));
  // The references come from the CLI itself, as a user's would.
  const generated = await Promise.all([
    cli('generate', '--signal', 'click', '--duration', String(CLICK_S), '--out', 'ref-click.wav'),
    cli('generate', '--signal', 'pink', '--duration', String(CONTINUOUS_S), '--out', 'ref-pink.wav'),
    cli('generate', '--signal', 'sweep', '--duration', String(CONTINUOUS_S), '--out', 'ref-sweep.wav'),
  ]);
  for (const run of generated) expect(run.code, run.stderr).toBe(0);

  clickFrames = generateClickTrain({ sampleRate: RATE, durationS: CLICK_S, seed: 1 }).clickFrames;
  const clickCap = clickCapture(RATE, CLICK_S, DELAY_MS, 30, 101);
  writeWav('cap-click.wav', RATE, [clickCap]);
  // Noise and sweep: a pure delay with gain 1 (a flat path), light background noise.
  for (const signal of ['pink', 'sweep'] as const) {
    const reference = readWav(`ref-${signal}.wav`).channels[0];
    const length = reference.length + Math.round(0.5 * RATE);
    const delayed = delaySignal(reference, DELAY_FRAMES, length);
    writeWav(`cap-${signal}.wav`, RATE, [addNoiseAtSnr(delayed, whiteBackground(length, 102), 40)]);
  }
  // Dual channel: microphone on channel 1, electrical loopback (the reference as played) on channel 2.
  const mic = clickCapture(RATE, CLICK_S, LOOPBACK_MS + DELAY_MS, 30, 103);
  const loopback = clickCapture(RATE, CLICK_S, LOOPBACK_MS, 60, 104);
  writeWav('stereo.wav', RATE, [mic, loopback]);
  // Captures the analysis must refuse.
  writeWav('silent.wav', RATE, [new Float32Array(clickCap.length)]);
  writeWav('noise-only.wav', RATE, [whiteBackground(clickCap.length, 105).map((v) => 0.05 * v)]);
  writeWav('clipped.wav', RATE, [clickCap.map((v) => Math.max(-1, Math.min(1, 4 * v)))]);
  writeWav('cap-44k.wav', 44100, [clickCapture(44100, CLICK_S, DELAY_MS, 30, 106)]);
  // Files that are not readable WAVs.
  mkdirSync(join(dir, 'folder.wav'));
  writeFileSync(join(dir, 'empty.wav'), new Uint8Array(0));
  writeFileSync(join(dir, 'truncated.wav'), readFileSync(join(dir, 'cap-click.wav')).subarray(0, 1000));
  writeFileSync(join(dir, 'notes.wav'), 'Measured the Flip 6 at 2 m, see photo.\n');
}, 60_000);

afterAll(() => {
  if (!dir) return;
  // Every file the CLI wrote was written atomically: no temp file may be left behind.
  const temps = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
  rmSync(dir, { recursive: true, force: true });
  expect(temps).toEqual([]);
});

// ------------------------------------------------------------------------------------------------

describe.concurrent('generate', () => {
  const LEVELS: Record<StimulusSignal, number> = { click: -10, pink: -20, sweep: -10 };
  for (const rate of [44100, 48000, 96000]) {
    for (const signal of STIMULUS_SIGNALS) {
      it(`${signal} at ${rate} Hz: exactly the stimulus the app plays, float32, with its spec in the INFO comment`, async () => {
        const out = `gen-${signal}-${rate}.wav`;
        // A negative level as a separate argument ("--level -10"), as users type it.
        const run = await cli('generate', '--signal', signal, '--rate', String(rate), '--duration', '1.5', '--seed', '7', '--level', String(LEVELS[signal]), '--out', out);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toBe('');
        expect(run.stdout).toBe(`Wrote ${out}: ${signal}, 1.5 s at ${rate} Hz, ${LEVELS[signal]} dBFS, seed 7 (float32).\n`);
        const wav = readWav(out);
        expect(wav.sampleRate).toBe(rate);
        expect(wav.format).toBe('float32');
        expect(wav.channels).toHaveLength(1);
        expect(wav.channels[0].length).toBe(1.5 * rate);
        const spec = resolveStimulusSpec({ signal, sampleRate: rate, durationS: 1.5, seed: 7, levelDbfs: LEVELS[signal] });
        expect(parseStimulusComment(wav.info?.ICMT)).toEqual(spec);
        expect(wav.info?.ISFT).toBe(`Latency Lab ${VERSION}`);
        expect(sameSamples(wav.channels[0], generateStimulus(spec))).toBe(true);
      });
    }
  }

  it('defaults: 48 kHz, seed 1 and the signal\'s own duration and level', async () => {
    const run = await cli('generate', '--signal', 'click', '--out', 'default.wav');
    expect(run.code, run.stderr).toBe(0);
    const wav = readWav('default.wav');
    const spec = resolveStimulusSpec({ signal: 'click' });
    expect(parseStimulusComment(wav.info?.ICMT)).toEqual(spec);
    expect(wav.channels[0].length).toBe(spec.durationS * 48000);
    expect(sameSamples(wav.channels[0], generateStimulus(spec))).toBe(true);
  });

  it('the click reference written for the analyze tests is the click train the captures were rendered from', () => {
    expect(sameSamples(readWav('ref-click.wav').channels[0], generateClickTrain({ sampleRate: RATE, durationS: CLICK_S, seed: 1 }).samples)).toBe(true);
  });

  it('--format pcm16 and pcm24 write PCM, rounded from the same samples', async () => {
    const spec = resolveStimulusSpec({ signal: 'sweep', durationS: 2 });
    const expected = generateStimulus(spec);
    for (const [format, step] of [['pcm16', 1 / 32768], ['pcm24', 1 / 8388608]] as const) {
      const run = await cli('generate', '--signal', 'sweep', '--duration', '2', '--format', format, '--out', `sweep-${format}.wav`);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`\\(${format}\\)\\.\\n$`));
      const wav = readWav(`sweep-${format}.wav`);
      expect(wav.format).toBe(format);
      expect(wav.channels[0].length).toBe(expected.length);
      expect(parseStimulusComment(wav.info?.ICMT)).toEqual(spec);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(wav.channels[0][i] - expected[i]));
      expect(worst).toBeLessThanOrEqual(step / 2 + 1e-9);
      expect(worst).toBeGreaterThan(0);
    }
  });

  it('refuses to overwrite without --force (one line, file untouched); --force replaces it', async () => {
    const first = await cli('generate', '--signal', 'click', '--duration', '2', '--seed', '1', '--out', 'keep.wav');
    expect(first.code).toBe(0);
    const before = readFileSync(join(dir, 'keep.wav'));
    const again = await cli('generate', '--signal', 'click', '--duration', '2', '--seed', '2', '--out', 'keep.wav');
    expectUsageError(again, /^latency-lab: keep\.wav already exists; use --force to replace it$/);
    expect(readFileSync(join(dir, 'keep.wav')).equals(before)).toBe(true);
    const forced = await cli('generate', '--signal', 'click', '--duration', '2', '--seed', '2', '--out', 'keep.wav', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const wav = readWav('keep.wav');
    expect(parseStimulusComment(wav.info?.ICMT)?.seed).toBe(2);
    expect(sameSamples(wav.channels[0], generateStimulus(resolveStimulusSpec({ signal: 'click', durationS: 2, seed: 2 })))).toBe(true);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['an unknown --signal', ['--signal', 'sine', '--out', 'bad.wav'], /unknown --signal "sine": use click, pink, sweep/],
    ['no --signal', ['--out', 'bad.wav'], /generate needs --signal click\|pink\|sweep/],
    ['no --out', ['--signal', 'click'], /generate needs --out FILE\.wav/],
    ['--duration abc', ['--signal', 'click', '--duration', 'abc', '--out', 'bad.wav'], /--duration expects a number, got "abc"/],
    ['--rate 1000', ['--signal', 'click', '--rate', '1000', '--out', 'bad.wav'], /--rate must be between 8000 and 384000, got 1000/],
    ['--rate 44100.5', ['--signal', 'click', '--rate', '44100.5', '--out', 'bad.wav'], /--rate expects a whole number/],
    ['--seed -1', ['--signal', 'click', '--seed', '-1', '--out', 'bad.wav'], /--seed must be between 0 and 4294967295, got -1/],
    ['--level 3', ['--signal', 'click', '--level', '3', '--out', 'bad.wav'], /--level must be between -60 and 0, got 3/],
    ['--format mp3', ['--signal', 'click', '--format', 'mp3', '--out', 'bad.wav'], /unknown --format "mp3": use float32, pcm16, pcm24, pcm32/],
    // These reached the generators and used to end as "internal error" (exit 3).
    ['a sweep too short for its lead-in and tail', ['--signal', 'sweep', '--duration', '1', '--out', 'bad.wav'], /sweep must be 1\.25 to 600 s long, got 1/],
    ['pink noise loud enough to clip', ['--signal', 'pink', '--level', '-6', '--out', 'bad.wav'], /pink noise level must be below -12\.04 dBFS RMS/],
    ['an unknown option', ['--signal', 'click', '--out', 'bad.wav', '--loud'], /Unknown option '--loud' \(latency-lab --help for usage\)/],
    ['a stray argument', ['--signal', 'click', '--out', 'bad.wav', 'extra'], /Unexpected argument 'extra'/],
    ['an option without its value', ['--signal', 'click', '--out'], /--out/],
    ['a folder that does not exist', ['--signal', 'click', '--out', join('no-such-folder', 'x.wav')], /cannot write no-such-folder.x\.wav: the folder no-such-folder does not exist/],
  ];
  for (const [what, args, message] of bad) {
    it(`${what}: exit 2 with one clear line, and no file`, async () => {
      expectUsageError(await cli('generate', ...args), message);
      expect(existsSync(join(dir, 'bad.wav'))).toBe(false);
    });
  }
});

// ------------------------------------------------------------------------------------------------

describe.concurrent('analyze: click train with a known fractional delay', () => {
  let click: AnalysisOutput;
  beforeAll(async () => {
    click = await analyzeOk('--reference', 'ref-click.wav', '--capture', 'cap-click.wav');
  });

  it('--json prints one object: median within 0.005 ms of the true delay, every event timed, confident', () => {
    expect(click.stimulus).toEqual({ kind: 'click', sampleRate: RATE, events: clickFrames.length, durationS: CLICK_S });
    const l = click.latency as NonNullable<AnalysisOutput['latency']>;
    expect(Math.abs(l.medianMs - DELAY_MS)).toBeLessThan(0.005);
    expect(Math.abs(l.meanMs - DELAY_MS)).toBeLessThan(0.005);
    expect(l.count).toBe(clickFrames.length);
    expect(l).toMatchObject({ eventsTotal: clickFrames.length, dropouts: 0, lowConfidence: 0, notCaptured: 0 });
    expect(l.medianCi95Ms?.[0]).toBeLessThanOrEqual(l.medianMs);
    expect(l.events).toHaveLength(clickFrames.length);
    l.events.forEach((e, i) => {
      expect(e.timeS).toBeCloseTo(clickFrames[i] / RATE, 9);
      expect(e.status).toBe('ok');
      expect(Math.abs((e.latencyMs as number) - DELAY_MS)).toBeLessThan(0.02);
      expect(e.confidence).toBeGreaterThan(0.9);
      expect(e.confidence).toBeLessThanOrEqual(1);
    });
    expect(click.confidence).toBeGreaterThan(0.9);
    expect(Number.isFinite(click.drift?.ppm)).toBe(true);
    expect(Math.abs(click.drift?.ppm as number)).toBeLessThan(2);
    // A 4 s train holds fewer clicks than a click train's response averages: none, and the one warning says why.
    expect(click.frequencyResponse).toBeNull();
    expect(click.polarityInverted).toBe(false);
    expect(click.polarity).toBe('normal');
    expect(click.warnings).toEqual([{ code: 'NO_FREQUENCY_RESPONSE', message: expect.stringMatching(/^No frequency response: a click train needs at least 10 clicks with a measured latency in the steady state for a response \(with fewer, the neighbouring clicks stand in the impulse response within 20 dB of the arrival\); this one has \d\. /) }]);
    // Without a baseline, the lip-sync offset is the total latency.
    expect(click.lipSync?.basis).toBe('total');
    for (const v of click.lipSync?.verdicts ?? []) expect(v.offsetMs).toBeCloseTo(l.medianMs, 9);
    expect(click.added).toBeUndefined();
    expect(click.verdict).toBeUndefined();
  });

  it('--baseline-ms 20 adds "added" = measured − 20, which the lip-sync offset then uses', async () => {
    const out = await analyzeOk('--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--baseline-ms', '20');
    const l = out.latency as NonNullable<AnalysisOutput['latency']>;
    expect(out.added?.baselineMs).toBe(20);
    expect(out.added?.medianMs).toBeCloseTo(l.medianMs - 20, 9);
    expect(out.added?.maxMs).toBeCloseTo(l.maxMs - 20, 9);
    expect(out.added?.count).toBe(l.count);
    expect(out.lipSync?.basis).toBe('added');
    expect(out.lipSync?.verdicts[0].offsetMs).toBeCloseTo(l.medianMs - 20, 9);
  });

  it('--method speaker-jbl-flip-6 (up to 156 ms max) adds a verdict consistent with the numbers', async () => {
    const out = await analyzeOk('--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--method', 'speaker-jbl-flip-6');
    const l = out.latency as NonNullable<AnalysisOutput['latency']>;
    const v = out.verdict?.claim;
    expect(out.verdict?.basis).toBe('total');
    expect(v).toMatchObject({ claimId: 'speaker-jbl-flip-6', statistic: 'max', outcome: 'within', expectation: findClaim('speaker-jbl-flip-6')?.expectation });
    expect(v?.measuredMs).toBe(l.maxMs);
    expect(v?.marginMs).toBeCloseTo(156 - l.maxMs, 9);
    expect(v?.summary).toMatch(/123\.5 ms/);
  });

  it('a claim the measurement misses is "worse" with a negative margin; with a baseline it judges the added latency', async () => {
    const out = await analyzeOk('--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--method', 'statement-developer-mode-sub-30', '--baseline-ms', '20');
    const added = out.added as NonNullable<AnalysisOutput['added']>;
    expect(out.verdict?.basis).toBe('added');
    expect(out.verdict?.claim).toMatchObject({ statistic: 'median', outcome: 'worse' });
    expect(out.verdict?.claim.measuredMs).toBe(added.medianMs);
    expect(out.verdict?.claim.marginMs).toBeCloseTo(30 - added.medianMs, 9);
  });

  it('--method with an unknown id, or together with --profile: exit 2', async () => {
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--method', 'nonsense'), /unknown --method "nonsense"; run "latency-lab methods" for the list/);
    writeFileSync(join(dir, 'profile-any.json'), JSON.stringify({ type: 'up-to', name: 'x', maxMs: 100 }));
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--method', 'speaker-jbl-flip-6', '--profile', 'profile-any.json'), /either --method or --profile/);
  });

  it('--profile with a custom range profile is compared like a catalogue claim', async () => {
    writeFileSync(join(dir, 'profile-range.json'), JSON.stringify({ type: 'range', name: 'Living room soundbar', minMs: 100, maxMs: 150, description: 'Over HDMI ARC' }));
    const out = await analyzeOk('--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--profile', 'profile-range.json');
    const l = out.latency as NonNullable<AnalysisOutput['latency']>;
    expect(out.verdict?.claim).toMatchObject({ claimId: 'custom-living-room-soundbar', claimName: 'Living room soundbar', statistic: 'median', outcome: 'within' });
    expect(out.verdict?.claim.marginMs).toBeCloseTo(150 - l.medianMs, 9);
  });

  it('--profile in the form the usage shows ({"name", "minMs"?, "maxMs"}, no "type") works', async () => {
    writeFileSync(join(dir, 'profile-upto.json'), JSON.stringify({ name: 'Kitchen speaker', maxMs: 100 }));
    const upTo = await analyzeOk('--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--profile', 'profile-upto.json');
    expect(upTo.verdict?.claim).toMatchObject({ claimId: 'custom-kitchen-speaker', outcome: 'worse', expectation: { type: 'up-to', maxMs: 100, statistic: 'median' } });
    writeFileSync(join(dir, 'profile-min.json'), JSON.stringify({ name: 'Den', minMs: 130, maxMs: 200, statistic: 'mean' }));
    const range = await analyzeOk('--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--profile', 'profile-min.json');
    expect(range.verdict?.claim).toMatchObject({ outcome: 'better', statistic: 'mean', expectation: { type: 'range', minMs: 130, maxMs: 200 } });
  });

  it('a bad profile is exit 2 naming the problem: invalid values, not JSON, missing file', async () => {
    writeFileSync(join(dir, 'profile-bad.json'), JSON.stringify({ type: 'range', name: 'Backwards', minMs: 150, maxMs: 100 }));
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--profile', 'profile-bad.json'),
      /^latency-lab: profile profile-bad\.json is invalid: maximum \(100 ms\) is below minimum \(150 ms\)$/);
    writeFileSync(join(dir, 'profile-text.json'), 'name: Kitchen\nmax: 100\n');
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--profile', 'profile-text.json'),
      /profile profile-text\.json is not valid JSON: /);
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--profile', 'nowhere.json'),
      /cannot read profile nowhere\.json: no such file/);
  });

  it('--video-latency-ms shifts the A/V offset of every lip-sync verdict (negative values too)', async () => {
    const median = (click.latency as NonNullable<AnalysisOutput['latency']>).medianMs;
    for (const video of [40, -20]) {
      const out = await analyzeOk('--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--video-latency-ms', String(video));
      expect(out.lipSync?.videoLatencyMs).toBe(video);
      expect(out.lipSync?.verdicts.length).toBe(click.lipSync?.verdicts.length);
      out.lipSync?.verdicts.forEach((v, i) => {
        expect(v.offsetMs).toBeCloseTo(median - video, 9);
        expect(v.standardId).toBe(click.lipSync?.verdicts[i].standardId);
      });
    }
  });

  it('text output: latency with median, events, confidence and the lip-sync lines', async () => {
    const run = await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--method', 'speaker-jbl-flip-6', '--video-latency-ms', '40');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const text = run.stdout;
    expect(text).toMatch(/^Latency {3}median 123\.45\d ms {2}\(95% CI /);
    expect(text).toContain(`Events    ${clickFrames.length} of ${clickFrames.length} measured  (click, 48000 Hz)`);
    expect(text).toMatch(/\nConfidence (0\.9\d|1\.00)\n/);
    expect(text).toContain('\nPolarity  normal (the impulse response is positive at the arrival)\n');
    expect(text).toMatch(/\nClaim {5}JBL Flip 6.*up to 156 ms/);
    expect(text).toMatch(/\n {10}WITHIN: /);
    expect(text).toContain('Lip sync  A/V offset 83.5 ms (total latency − video 40.0 ms)');
    for (const v of click.lipSync?.verdicts ?? []) expect(text).toMatch(new RegExp(`(PASS|FAIL)  ${v.standardName.replace(/[().]/g, '\\$&')}`));
    expect(text).not.toContain('{');
  });
});

describe.concurrent('analyze: pink noise and sweep through a flat path', () => {
  const flat = (out: AnalysisOutput): void => {
    const fr = out.frequencyResponse;
    if (!fr) throw new Error('no frequency response');
    expect(fr.smoothing).toBe(12);
    expect(fr.micCalibration).toBeNull();
    for (const p of fr.points) {
      expect(Object.keys(p).sort()).toEqual(['coherence', 'db', 'hz', 'phaseDeg']);
      expect([p.hz, p.db, p.phaseDeg, p.coherence].every(Number.isFinite)).toBe(true);
    }
    const band = fr.points.filter((p) => p.hz >= 100 && p.hz <= 10000);
    expect(band.length).toBeGreaterThan(50);
    for (const p of band) {
      expect(Math.abs(p.db), `${p.hz.toFixed(0)} Hz`).toBeLessThan(0.5);
      expect(p.coherence).toBeGreaterThan(0.95);
    }
    expect(fr.medianCoherence).toBeGreaterThan(0.95);
  };

  it('pink noise: latency within 0.005 ms and a flat response (|dB| < 0.5, 100 Hz–10 kHz)', async () => {
    const out = await analyzeOk('--reference', 'ref-pink.wav', '--capture', 'cap-pink.wav');
    expect(out.stimulus?.kind).toBe('noise');
    expect(Math.abs((out.latency?.medianMs as number) - DELAY_MS)).toBeLessThan(0.005);
    expect(out.confidence).toBeGreaterThan(0.9);
    flat(out);
  });

  it('sweep: latency within 0.005 ms and a flat response (|dB| < 0.5, 100 Hz–10 kHz)', async () => {
    const out = await analyzeOk('--reference', 'ref-sweep.wav', '--capture', 'cap-sweep.wav');
    expect(out.stimulus).toMatchObject({ kind: 'sweep', events: 1 });
    expect(Math.abs((out.latency?.medianMs as number) - DELAY_MS)).toBeLessThan(0.005);
    flat(out);
  });

  it('--mic-cal subtracts the microphone\'s correction (log-frequency interpolation) from every point', async () => {
    const plain = await analyzeOk('--reference', 'ref-pink.wav', '--capture', 'cap-pink.wav');
    writeFileSync(join(dir, 'umik.txt'), '"Sens Factor =-1.2dB, AGain =18dB, SERNO: 7001234"\n20\t0.0\n1000\t3.0\n20000\t-2.0\n');
    const calibrated = await analyzeOk('--reference', 'ref-pink.wav', '--capture', 'cap-pink.wav', '--mic-cal', 'umik.txt');
    const a = plain.frequencyResponse?.points ?? [];
    const b = calibrated.frequencyResponse?.points ?? [];
    expect(b.map((p) => p.hz)).toEqual(a.map((p) => p.hz));
    expect(calibrated.frequencyResponse?.micCalibration).toEqual({ applied: true, sensitivityDb: -1.2, serial: '7001234' });
    // The file's correction at a frequency, by hand: 3 dB at 1 kHz, falling to 0 dB at 20 Hz and -2 dB at 20 kHz.
    const correction = (hz: number): number => (hz <= 1000 ? (3 * Math.log(hz / 20)) / Math.log(50) : 3 - (5 * Math.log(hz / 1000)) / Math.log(20));
    for (const target of [1000, 5000]) {
      const i = a.reduce((best, p, k) => (Math.abs(Math.log(p.hz / target)) < Math.abs(Math.log(a[best].hz / target)) ? k : best), 0);
      expect(b[i].db - a[i].db).toBeCloseTo(-correction(a[i].hz), 9);
      expect(b[i].phaseDeg).toBe(a[i].phaseDeg); // the file has no phase column
    }
  });

  it('a malformed calibration file is exit 2 naming its line', async () => {
    writeFileSync(join(dir, 'bad-cal.txt'), '* UMIK-1 calibration\n20 0.0\n1000 abc\n20000 -2.0\n');
    expectUsageError(await cli('analyze', '--reference', 'ref-pink.wav', '--capture', 'cap-pink.wav', '--mic-cal', 'bad-cal.txt'),
      /^latency-lab: microphone calibration bad-cal\.txt: line 3: "abc" is not a number$/);
  });
});

describe.concurrent('analyze: dual channel (loopback on one channel of the capture)', () => {
  it('--reference-channel 2 measures the microphone (channel 1) relative to the loopback', async () => {
    const out = await analyzeOk('--capture', 'stereo.wav', '--reference-channel', '2');
    expect(out.stimulus?.kind).toBe('click');
    expect(Math.abs((out.latency?.medianMs as number) - DELAY_MS)).toBeLessThan(0.005);
    // The 4 s train's few clicks give no response; that is the one warning.
    expect(out.warnings).toEqual([{ code: 'NO_FREQUENCY_RESPONSE', message: expect.stringMatching(/^No frequency response: a click train needs at least 10 clicks .*; this one has \d\./) }]);
  });

  it('the channels swapped give the negative latency, with a warning to check the assignment', async () => {
    const out = await analyzeOk('--capture', 'stereo.wav', '--reference-channel', '1');
    expect(Math.abs((out.latency?.medianMs as number) + DELAY_MS)).toBeLessThan(0.005);
    expect(out.warnings.map((w) => w.code)).toContain('NEGATIVE_LATENCY');
  });

  it('a channel the file does not have, a mono capture, or both reference options: exit 2', async () => {
    expectUsageError(await cli('analyze', '--capture', 'stereo.wav', '--reference-channel', '3'), /--reference-channel 3: stereo\.wav has 2 channel\(s\)/);
    expectUsageError(await cli('analyze', '--capture', 'cap-click.wav', '--reference-channel', '1'), /--reference-channel needs a capture with two or more channels; cap-click\.wav has 1/);
    expectUsageError(await cli('analyze', '--capture', 'stereo.wav', '--reference-channel', '2', '--capture-channel', '2'), /must differ/);
    expectUsageError(await cli('analyze', '--capture', 'stereo.wav', '--reference', 'ref-click.wav', '--reference-channel', '2'), /either --reference or --reference-channel/);
    expectUsageError(await cli('analyze', '--capture', 'stereo.wav', '--reference-channel', '0'), /--reference-channel must be between 1 and 64, got 0/);
  });
});

describe.concurrent('analyze: refusals (exit 1)', () => {
  const cases: Array<[string, string[], string]> = [
    ['a silent capture', ['--reference', 'ref-click.wav', '--capture', 'silent.wav'], 'SILENT_CAPTURE'],
    ['a capture of noise only', ['--reference', 'ref-click.wav', '--capture', 'noise-only.wav'], 'NO_STIMULUS'],
    ['a 44.1 kHz capture of a 48 kHz reference', ['--reference', 'ref-click.wav', '--capture', 'cap-44k.wav'], 'SAMPLE_RATE_MISMATCH'],
    ['a clipped capture', ['--reference', 'ref-click.wav', '--capture', 'clipped.wav'], 'CLIPPED'],
  ];
  for (const [what, args, code] of cases) {
    it(`${what}: ${code}, as JSON and as text with the advice`, async () => {
      const json = await cli('analyze', ...args, '--json');
      expect(json.code, json.stderr).toBe(1);
      expect(json.stderr).toBe('');
      const out = parseJson(json);
      expect(out.status).toBe('refused');
      expect(out.error?.code).toBe(code);
      expect(out.error?.message.length).toBeGreaterThan(20);
      expect(out.error?.advice.length).toBeGreaterThan(20);
      expect(out.latency).toBeUndefined();
      expect(out.verdict).toBeUndefined();

      const text = await cli('analyze', ...args);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(`REFUSED  ${code}\n  ${out.error?.message}\n  What to do: ${out.error?.advice}`);
      expect(text.stdout).not.toContain('Latency');
    });
  }

  it('the sample-rate refusal names both rates', async () => {
    const out = parseJson(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-44k.wav', '--json'));
    expect(out.error?.message).toBe('The reference is at 48000 Hz and the capture at 44100 Hz.');
  });
});

describe.concurrent('analyze: unreadable inputs (exit 2, one line)', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a missing capture', ['--capture', 'missing.wav'], /^latency-lab: cannot read capture missing\.wav: no such file$/],
    ['a directory', ['--capture', 'folder.wav'], /^latency-lab: capture folder\.wav is a directory, not a file$/],
    ['an empty file', ['--capture', 'empty.wav'], /^latency-lab: capture empty\.wav: The file is empty \(0 bytes\)/],
    ['a truncated WAV', ['--capture', 'truncated.wav'], /^latency-lab: capture truncated\.wav: The 'data' chunk at byte \d+ declares \d+ bytes but only \d+ remain: the file is truncated/],
    ['a text file named .wav', ['--capture', 'notes.wav'], /^latency-lab: capture notes\.wav: Not a WAV file: it does not start with a RIFF\/WAVE header \(first bytes: 4D 65 61 73\)\.$/],
  ];
  for (const [what, capture, message] of cases) {
    it(what, async () => {
      expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', ...capture, '--json'), message);
    });
  }

  it('an unreadable reference is named as the reference', async () => {
    expectUsageError(await cli('analyze', '--reference', 'notes.wav', '--capture', 'cap-click.wav'), /^latency-lab: reference notes\.wav: Not a WAV file/);
  });

  it('missing --capture or --reference, and bad option values', async () => {
    expectUsageError(await cli('analyze'), /analyze needs --capture CAP\.wav/);
    expectUsageError(await cli('analyze', '--capture', 'cap-click.wav'), /analyze needs --reference REF\.wav, or --reference-channel N/);
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--smoothing', '5'), /--smoothing must be one of 0, 1, 2, 3, 6, 12, 24, 48/);
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--weighting', 'scot'), /unknown --weighting "scot": use phat or none/);
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--baseline-ms', '12ms'), /--baseline-ms expects a number, got "12ms"/);
  });
});

describe.concurrent('analyze --report', () => {
  const readReport = (name: string): Report => parseReportText(readFileSync(join(dir, name), 'utf8'));

  it('writes a report parseReportText accepts, with the settings, the signal (from the generated reference) and the same analysis as --json', async () => {
    const before = Date.now();
    const run = await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--json', '--report', 'report.json',
      '--baseline-ms', '20', '--method', 'speaker-jbl-flip-6', '--video-latency-ms', '15', '--smoothing', '6', '--title', 'Flip 6, living room', '--setup', 'JBL Flip 6 over Bluetooth from an Echo Studio');
    expect(run.code, run.stderr).toBe(0);
    const output = parseJson(run);
    const report = readReport('report.json');
    expect(report.software).toEqual({ name: 'latency-lab', version: VERSION, source: 'cli' });
    expect(report.title).toBe('Flip 6, living room');
    expect(report.id).toMatch(/^[0-9a-f-]{36}$/);
    // Made while the command ran (a behaviour, not a time limit; the clock's millisecond may round down).
    expect(Date.parse(report.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(report.createdAt)).toBeLessThanOrEqual(Date.now());
    expect(report.settings).toEqual({
      mode: 'single', inputDevice: null, outputDevice: null, setupDescription: 'JBL Flip 6 over Bluetooth from an Echo Studio',
      claimId: 'speaker-jbl-flip-6', claim: findClaim('speaker-jbl-flip-6'), baselineMs: 20, videoLatencyMs: 15, maxLatencyMs: 2000,
      weighting: 'phat', smoothing: 6, micCalibrationFile: null, captureSettings: null,
    });
    expect(report.signal).toEqual({ kind: 'click', sampleRate: RATE, durationS: CLICK_S, levelDbfs: -6, seed: 1, referenceFile: 'ref-click.wav', captureFile: 'cap-click.wav' });
    expect(report.analysis).toEqual(output);
    expect(report.notes).toBe('');
  });

  it('refuses to overwrite an existing file without --force (before analysing); --force replaces it', async () => {
    writeFileSync(join(dir, 'existing.json'), 'notes from last week\n');
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--report', 'existing.json'), /^latency-lab: existing\.json already exists; use --force to replace it$/);
    expect(readFileSync(join(dir, 'existing.json'), 'utf8')).toBe('notes from last week\n');
    const forced = await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--report', 'existing.json', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('\nReport    written to existing.json\n');
    const report = readReport('existing.json');
    expect(report.title).toBe('cap-click.wav');
    expect(report.settings).toMatchObject({ claimId: null, claim: null, baselineMs: null, smoothing: 12 });
  });

  it('a dual-channel report: mode dual-channel, the signal a file, no reference file; the mic calibration file is named', async () => {
    writeFileSync(join(dir, 'flat-cal.txt'), '20 0\n20000 0\n');
    const run = await cli('analyze', '--capture', 'stereo.wav', '--reference-channel', '2', '--report', 'dual.json', '--mic-cal', 'flat-cal.txt');
    expect(run.code, run.stderr).toBe(0);
    const report = readReport('dual.json');
    expect(report.settings).toMatchObject({ mode: 'dual-channel', micCalibrationFile: 'flat-cal.txt' });
    expect(report.signal).toEqual({ kind: 'file', sampleRate: RATE, durationS: readWav('stereo.wav').channels[0].length / RATE, levelDbfs: null, seed: null, referenceFile: null, captureFile: 'stereo.wav' });
    expect(report.title).toBe('stereo.wav');
  });

  it('a refused analysis is reported too (exit 1)', async () => {
    const run = await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'silent.wav', '--report', 'refused.json');
    expect(run.code).toBe(1);
    const report = readReport('refused.json');
    expect(report.analysis).toMatchObject({ status: 'refused', error: { code: 'SILENT_CAPTURE' } });
  });

  it('a reference whose INFO comment has numbers as strings is treated as a plain file (used to be an internal error)', async () => {
    const reference = readWav('ref-click.wav');
    writeFileSync(join(dir, 'odd-ref.wav'), encodeWav(reference, { info: { ICMT: 'latency-lab stimulus {"signal":"click","durationS":6,"levelDbfs":"-6"}' } }));
    const run = await cli('analyze', '--reference', 'odd-ref.wav', '--capture', 'cap-click.wav', '--report', 'odd.json');
    expect(run.code, run.stderr).toBe(0);
    expect(readReport('odd.json').signal).toMatchObject({ kind: 'file', levelDbfs: null, seed: null });
  });

  it('a --title or --setup too long for a report is exit 2 before analysing (used to be an internal error)', async () => {
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--report', 'long.json', '--title', 'x'.repeat(201)), /--title is 201 characters long; at most 200/);
    expectUsageError(await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--report', 'long.json', '--setup', 'y'.repeat(501)), /--setup is 501 characters long; at most 500/);
    expect(existsSync(join(dir, 'long.json'))).toBe(false);
  });

  it('a report into a missing folder is exit 2, but the result is still printed', async () => {
    const run = await cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--json', '--report', join('nowhere', 'r.json'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^latency-lab: cannot write report nowhere.r\.json: the folder nowhere does not exist$/);
    expect(JSON.parse(run.stdout).status).toBe('ok');
  });
});

// ------------------------------------------------------------------------------------------------

describe.concurrent('methods, --version, --help, usage errors', () => {
  it('methods lists every catalogue id', async () => {
    const run = await cli('methods');
    expect(run.code).toBe(0);
    const ids = loadClaimsCatalogue().claims.map((c) => c.id);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(run.stdout).toMatch(new RegExp(`^  ${id} `, 'm'));
    expect(run.stdout).toContain('latency-lab analyze ... --method ID');
  });

  it('methods --json prints the claims array', async () => {
    const run = await cli('methods', '--json');
    expect(run.code).toBe(0);
    expect(run.stdout.slice(0, -1).split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toEqual(loadClaimsCatalogue().claims);
  });

  it('--version and -v print package.json\'s version', async () => {
    for (const flag of ['--version', '-v']) expect(await cli(flag)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('--help, -h, help and a command\'s --help print the usage and exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['help'], ['generate', '--help'], ['analyze', '-h']]) {
      const run = await cli(...args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/^latency-lab \d+\.\d+\.\d+: measure/);
      expect(run.stdout).toContain('Usage:');
      expect(run.stdout).toContain('Exit codes:');
    }
  });

  it('no command prints the usage on stderr and exits 2', async () => {
    const run = await cli();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage:');
  });

  it('an unknown command or option: exit 2 with one line', async () => {
    expectUsageError(await cli('measure'), /^latency-lab: unknown command "measure"; use generate, analyze or methods/);
    expectUsageError(await cli('methods', '--yaml'), /Unknown option '--yaml'/);
    // A value that starts with a dash but is not a number is still an error, on one line.
    expectUsageError(await cli('analyze', '--capture', '-x.wav'), /'--capture' argument is ambiguous/);
  });
});

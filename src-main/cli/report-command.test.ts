/**
 * Integration tests of `latency-lab report`: the bundled CLI (out/cli/latency-lab.mjs, built by
 * `npm run build:cli`) turns reports that `latency-lab analyze --report` wrote into HTML and CSV
 * files, in a temp folder, as a user would run it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportText, type Report } from '../../shared/report/report-schema';
import { addNoiseAtSnr, delaySignal, whiteBackground } from '../../shared/simulation/synthetic-path';
import { decodeWav, encodeWav } from '../../shared/io/wav-file';
import { decodeFloat32Base64 } from '../../shared/analysis/response-output';
import { CLI, expectUsageError, ROOT, type Run, runCli } from './cli-test-support';

const RATE = 48000;
const DELAY_MS = 57.5;

let dir: string;
let pinkReport: Report;
/** A 4 s click train: too few clicks for a response. */
let clickReport: Report;
/** A 20 s click train: a response, from its averaged clicks. */
let click20Report: Report;

const cli = (...args: string[]): Promise<Run> => runCli(dir, ...args);

const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const exists = (name: string): boolean => existsSync(join(dir, name));

/** Temp files the atomic writer might have left behind. */
const leftovers = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:cli\` before these tests (npm test does).`);
  const built = statSync(CLI).mtimeMs;
  const newer = ['src-main/cli/latency-lab.ts', 'src-main/cli/report-command.ts', 'shared/report/html/report-html.ts', 'shared/report/report-csv.ts']
    .filter((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).mtimeMs > built);
  if (newer.length > 0) console.warn(`out/cli/latency-lab.mjs is older than ${newer.join(', ')}: run \`npm run build:cli\` to test the current code.`);

  dir = mkdtempSync(join(tmpdir(), 'latency-lab-report-'));
  const generated = await Promise.all([
    cli('generate', '--signal', 'pink', '--duration', '3', '--out', 'ref-pink.wav'),
    cli('generate', '--signal', 'click', '--duration', '4', '--out', 'ref-click.wav'),
    cli('generate', '--signal', 'click', '--duration', '20', '--out', 'ref-click20.wav'),
  ]);
  for (const run of generated) expect(run.code, run.stderr).toBe(0);
  for (const signal of ['pink', 'click', 'click20']) {
    const reference = decodeWav(readFileSync(join(dir, `ref-${signal}.wav`))).channels[0];
    const length = reference.length + Math.round(0.3 * RATE);
    const capture = addNoiseAtSnr(delaySignal(reference, (DELAY_MS / 1000) * RATE, length), whiteBackground(length, 7), 35);
    writeFileSync(join(dir, `cap-${signal}.wav`), encodeWav({ sampleRate: RATE, channels: [capture] }));
  }
  const analyses = await Promise.all([
    cli('analyze', '--reference', 'ref-pink.wav', '--capture', 'cap-pink.wav', '--method', 'speaker-jbl-flip-6', '--baseline-ms', '4', '--report', 'pink.json', '--title', 'Flip 6 <b>&</b> "Echo"'),
    cli('analyze', '--reference', 'ref-click.wav', '--capture', 'cap-click.wav', '--report', 'click.json'),
    cli('analyze', '--reference', 'ref-click20.wav', '--capture', 'cap-click20.wav', '--report', 'click20.json'),
  ]);
  for (const run of analyses) expect(run.code, run.stderr).toBe(0);
  pinkReport = parseReportText(read('pink.json'));
  clickReport = parseReportText(read('click.json'));
  click20Report = parseReportText(read('click20.json'));
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('latency-lab report', () => {
  it('writes the HTML report and both CSVs, one stdout line per file', async () => {
    const run = await cli('report', 'pink.json', '--html', 'pink.html', '--csv-fr', 'pink-fr.csv', '--csv-events', 'pink-events.csv');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Wrote pink\.html: HTML report, \d+ KiB\.$/);
    expect(lines[1]).toMatch(/^Wrote pink-fr\.csv: frequency response CSV \(REW import, 3 columns\), \d+ KiB\.$/);
    expect(lines[2]).toMatch(/^Wrote pink-events\.csv: per-event latency CSV, [\d.]+ (?:bytes|KiB)\.$/);

    const html = read('pink.html');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<h1>Flip 6 &lt;b&gt;&amp;&lt;/b&gt; &quot;Echo&quot;</h1>');
    // With a baseline the headline is the added latency, the total beside it (issue 9).
    expect(html).toContain(`${pinkReport.analysis.added?.medianMs.toFixed(3)}</span> ms`);
    expect(html).toContain(`${pinkReport.analysis.latency?.medianMs.toFixed(3)}`);
    // Latency per event, histogram (a sentence when every event lies within a few µs, issue 9),
    // correlation peak (the analyze command stores it), frequency response; then the impulse-response
    // section: magnitude and phase of the room window, IR, ETC and step response.
    const narrow = html.includes('class="narrow-spread"');
    const [charts, impulse] = html.split('<section class="impulse-response">');
    expect(charts.split('<svg').length - 1).toBe(narrow ? 3 : 4);
    for (const id of ['chart-window-magnitude', 'chart-window-phase', 'chart-ir', 'chart-etc', 'chart-step']) expect(impulse).toContain(`<svg id="${id}"`);
    expect(html).toContain('<svg id="chart-correlation"');
    expect(html).toContain('latency-lab report');

    const fr = read('pink-fr.csv').trimEnd().split('\n');
    const data = fr.filter((l) => !l.startsWith('*'));
    expect(data).toHaveLength(pinkReport.analysis.frequencyResponse?.points.length ?? -1);
    for (const line of data) expect(line).toMatch(/^\d+\.\d+,-?\d+\.\d+,-?\d+\.\d+$/);

    const events = read('pink-events.csv').trimEnd().split('\n');
    expect(events[0]).toBe('time_s,latency_ms,confidence,status,peak_to_noise_db');
    expect(events).toHaveLength((pinkReport.analysis.latency?.events.length ?? -1) + 1);
    expect(leftovers()).toEqual([]);
  });

  it('--smoothing and --coherence shape the frequency response CSV', async () => {
    const run = await cli('report', 'pink.json', '--csv-fr', 'fr3.csv', '--smoothing', '3', '--coherence');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Wrote fr3\.csv: frequency response CSV \(with coherence, 4 columns\)/);
    const text = read('fr3.csv');
    expect(text).toContain('* Smoothing: 1/3 octave');
    for (const line of text.trimEnd().split('\n').filter((l) => !l.startsWith('*'))) expect(line.split(',')).toHaveLength(4);
    expectUsageError(await cli('report', 'pink.json', '--csv-fr', 'fr5.csv', '--smoothing', '5'), /--smoothing must be one of 0, 1, 2, 3, 6, 12, 24, 48/);
    expectUsageError(await cli('report', 'pink.json', '--html', 'x.html', '--coherence'), /apply to --csv-fr/);
    expect(exists('fr5.csv') || exists('x.html')).toBe(false);
  });

  it('a click-train report too short for a response gives HTML and events, and refuses --csv-fr, saying why, without writing anything', async () => {
    const ok = await cli('report', 'click.json', '--html', 'click.html', '--csv-events', 'click-events.csv');
    expect(ok.code, ok.stderr).toBe(0);
    // A pure delay has no spread: the histogram is the sentence 'all events within X µs' (issue 9).
    expect(read('click.html').split('<svg').length - 1).toBe(2);
    expect(read('click.html')).toMatch(/<p class="narrow-spread">All \d+ events within/);
    expect(read('click-events.csv').trimEnd().split('\n')).toHaveLength((clickReport.analysis.latency?.events.length ?? -1) + 1);

    const run = await cli('report', 'click.json', '--html', 'click2.html', '--csv-fr', 'click-fr.csv');
    expectUsageError(run, /--csv-fr: the report has no frequency response: a click train needs at least 10 clicks with a measured latency in the steady state for a response \(with fewer, the neighbouring clicks stand in the impulse response within 20 dB of the arrival\); this one has \d\. /);
    expect(exists('click2.html')).toBe(false);
    expect(exists('click-fr.csv')).toBe(false);
  });

  it('bad JSON: exit 2 with the report error, on one line', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"kind": "latency-lab-report",\n  oops\n}');
    expectUsageError(await cli('report', 'bad.json', '--html', 'bad.html'), /^latency-lab: bad\.json: not a Latency Lab report: the file is not valid JSON/);
    expect(exists('bad.html')).toBe(false);
  });

  it('JSON that is not a report, or an invalid or newer report: exit 2', async () => {
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ kind: 'something-else', schemaVersion: 1 }));
    expectUsageError(await cli('report', 'other.json', '--html', 'other.html'), /other\.json: not a Latency Lab report: "kind" is "something-else"/);
    writeFileSync(join(dir, 'array.json'), '[1, 2, 3]');
    expectUsageError(await cli('report', 'array.json', '--html', 'other.html'), /not a Latency Lab report: the file is not a JSON object/);
    const invalid = JSON.parse(read('pink.json')) as Record<string, unknown>;
    delete invalid.analysis;
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify(invalid));
    // zod's own wording, in English: the bundle keeps only its English messages (build-cli.mjs).
    expectUsageError(await cli('report', 'invalid.json', '--html', 'other.html'), /the report is invalid: analysis: Invalid input: expected object, received undefined/);
    writeFileSync(join(dir, 'newer.json'), JSON.stringify({ ...invalid, schemaVersion: 99 }));
    expectUsageError(await cli('report', 'newer.json', '--html', 'other.html'), /schemaVersion 99, newer than this Latency Lab understands/);
    expect(exists('other.html')).toBe(false);
  });

  it('usage errors: no output option, no report, two reports, a missing file, unknown options', async () => {
    expectUsageError(await cli('report', 'pink.json'), /report needs at least one output: --html OUT\.html, --csv-fr OUT\.csv, --csv-events OUT\.csv, --csv-group OUT\.csv or --ir-wav OUT\.wav/);
    expectUsageError(await cli('report', '--html', 'x.html'), /report needs a report file/);
    expectUsageError(await cli('report', 'pink.json', 'click.json', '--html', 'x.html'), /report takes one report file, got 2/);
    expectUsageError(await cli('report', 'missing.json', '--html', 'x.html'), /cannot read report missing\.json: no such file/);
    expectUsageError(await cli('report', 'pink.json', '--html', 'x.html', '--loud'), /Unknown option '--loud'/);
    expectUsageError(await cli('report', 'pink.json', '--html'), /--html/);
    expectUsageError(await cli('report', 'pink.json', '--html', 'same.out', '--csv-events', 'same.out'), /--csv-events same\.out is the same file as --html/);
    expectUsageError(await cli('report', 'pink.json', '--html', 'pink.json', '--force'), /--html pink\.json is the same file as the report itself/);
    expect(exists('x.html') || exists('same.out')).toBe(false);
    expect(parseReportText(read('pink.json')).id).toBe(pinkReport.id);
  });

  it('refuses to overwrite without --force, and replaces with it', async () => {
    writeFileSync(join(dir, 'keep.html'), 'mine');
    writeFileSync(join(dir, 'keep.csv'), 'mine too');
    const refused = await cli('report', 'pink.json', '--html', 'new.html', '--csv-events', 'keep.csv');
    expectUsageError(refused, /^latency-lab: keep\.csv already exists; use --force to replace it$/);
    expect(read('keep.csv')).toBe('mine too');
    expect(exists('new.html')).toBe(false);
    expectUsageError(await cli('report', 'pink.json', '--html', 'keep.html'), /keep\.html already exists; use --force/);
    expect(read('keep.html')).toBe('mine');

    const forced = await cli('report', 'pink.json', '--html', 'keep.html', '--csv-events', 'keep.csv', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(read('keep.html').startsWith('<!DOCTYPE html>')).toBe(true);
    expect(read('keep.csv').startsWith('time_s,latency_ms')).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('--help lists the report command', async () => {
    const run = await cli('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('latency-lab report   REPORT.json [--html OUT.html] [--csv-fr OUT.csv] [--csv-events OUT.csv] [--csv-group OUT.csv] [--ir-wav OUT.wav] [--force]');
    expect(run.stdout).toContain('--ir-wav FILE');
    expect(run.stdout).toContain('--window W');
  });

  it('--ir-wav writes the stored impulse response as a 32-bit float WAV that decodes back to it; a click train too short for a response has none and nothing is written', async () => {
    const run = await cli('report', 'pink.json', '--ir-wav', 'pink-ir.wav', '--csv-fr', 'pink-fr2.csv');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Wrote pink-fr2\.csv: .*\nWrote pink-ir\.wav: impulse response WAV \(32-bit float, room window\), [\d.]+ (?:KiB|MiB)\.\n$/);
    const impulse = pinkReport.analysis.frequencyResponse?.impulse;
    if (!impulse) throw new Error('the pink report has no impulse response');
    const wav = decodeWav(readFileSync(join(dir, 'pink-ir.wav')));
    expect(wav.format).toBe('float32');
    expect(wav.sampleRate).toBe(impulse.sampleRate);
    expect(wav.channels[0]).toEqual(decodeFloat32Base64(impulse.samplesBase64));
    expect(wav.info?.ICMT).toMatch(/^Room window/);
    expect(read('pink-fr2.csv')).toMatch(/^\* Window: Room window/m);

    const refused = await cli('report', 'click.json', '--ir-wav', 'click-ir.wav', '--csv-events', 'click-ev.csv');
    expectUsageError(refused, /--ir-wav: the report has no frequency response, so no impulse response: a click train needs at least 10 clicks .*; this one has \d\./);
    expect(exists('click-ir.wav') || exists('click-ev.csv')).toBe(false);
  });

  it('a click train long enough for a response (20 s): --csv-fr and --ir-wav write it, flat within 0.3 dB through a pure delay', async () => {
    const fr = click20Report.analysis.frequencyResponse;
    const impulse = fr?.impulse;
    if (!fr || !impulse) throw new Error('the 20 s click report has no response');
    expect(impulse.method).toBe('click-averaging');
    expect(impulse.eventsAveraged).toBeGreaterThanOrEqual(30);
    const run = await cli('report', 'click20.json', '--csv-fr', 'click20-fr.csv', '--ir-wav', 'click20-ir.wav', '--html', 'click20.html');
    expect(run.code, run.stderr).toBe(0);
    const rows = read('click20-fr.csv').trimEnd().split('\n').filter((l) => !l.startsWith('*')).map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(fr.points.length);
    // A pure delay: 0 dB across the clicks' band (from 1/12 octave above its taper to 12 kHz).
    const inBand = rows.filter(([hz]) => hz >= impulse.lowHz && hz <= 12000);
    expect(inBand.length).toBeGreaterThan(200);
    for (const [, db] of inBand) expect(Math.abs(db)).toBeLessThan(0.3);
    const wav = decodeWav(readFileSync(join(dir, 'click20-ir.wav')));
    expect(wav.channels[0]).toEqual(decodeFloat32Base64(impulse.samplesBase64));
    expect(wav.info?.ICMT).toMatch(/click-averaging$/);
    expect(read('click20.html')).toContain(`averaged over ${impulse.eventsAveraged} clicks`);
  });

  it('--window picks the window of the HTML magnitude and phase; a bad one, or one without --html, is a usage error', async () => {
    const run = await cli('report', 'pink.json', '--html', 'pink-fdw.html', '--window', 'fdw');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Wrote pink-fdw\.html: HTML report, frequency-dependent window, \d+ KiB\.$/m);
    expect(read('pink-fdw.html')).toContain('Response window shown: Frequency-dependent window (15 cycles');
    expectUsageError(await cli('report', 'pink.json', '--html', 'w.html', '--window', 'hall'), /--window must be room, speaker or fdw \(frequency-dependent\), got "hall"/);
    expectUsageError(await cli('report', 'pink.json', '--csv-fr', 'w.csv', '--window', 'room'), /--window applies to --html/);
    expect(exists('w.html') || exists('w.csv')).toBe(false);
  });
});

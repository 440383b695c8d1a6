/**
 * The CLI against hostile inputs (issue 10), each case spawning the real bundled command as a user
 * would: devices, pipes and sockets as inputs or outputs, symbolic links, CSV formula injection,
 * terminal escapes in names and titles, sizes beyond the limits, malformed JSON and WAV headers.
 * Behaviour only: nothing here depends on timing (a FIFO that hung the command would hit the test
 * timeout; the fix is that it is refused before it is opened for a blocking read).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisOutput } from '../../shared/claims/judge';
import { encodeWav } from '../../shared/io/wav-file';
import { generateStimulus, resolveStimulusSpec } from '../../shared/stimulus/stimulus';
import { addNoiseAtSnr, delaySignal, whiteBackground } from '../../shared/simulation/synthetic-path';
import { CLI, expectUsageError, type Run, runCli } from './cli-test-support';

const RATE = 48000;
let dir: string;
const cli = (...args: string[]): Promise<Run> => runCli(dir, ...args);
const path = (name: string): string => join(dir, name);
/** Temporary files a writer might have left behind. */
const leftovers = (folder = dir): string[] => readdirSync(folder).filter((f) => f.endsWith('.tmp') || f.endsWith('.bak'));

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const ESCAPES = '\u001b[2J\u001b]0;pwned\u0007\u009b31m';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:cli\` before these tests (npm test does).`);
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-hostile-'));
  // A pink-noise reference and its capture through a 12.5 ms delay: a frequency response to export.
  const spec = resolveStimulusSpec({ signal: 'pink', durationS: 3, sampleRate: RATE });
  const reference = generateStimulus(spec);
  const length = reference.length + RATE / 4;
  const capture = addNoiseAtSnr(delaySignal(reference, 600, length), whiteBackground(length, 3), 30);
  writeFileSync(path('ref.wav'), encodeWav({ sampleRate: RATE, channels: [reference] }));
  writeFileSync(path('cap.wav'), encodeWav({ sampleRate: RATE, channels: [capture] }));
  writeFileSync(path('profile.json'), JSON.stringify({ name: 'My soundbar', maxMs: 60 }));
  mkdirSync(path('outs'));
  execFileSync('mkfifo', [path('fifo')]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('inputs that are not regular files are refused before they are read', () => {
  const specials: Array<[string, string, RegExp]> = [
    ['/dev/zero', '/dev/zero', /is a device, not a regular file/],
    ['/dev/urandom', '/dev/urandom', /is a device, not a regular file/],
    ['a FIFO (which would block forever)', 'fifo', /is a named pipe \(FIFO\), not a regular file/],
  ];
  for (const [what, input, message] of specials) {
    it(`${what}: as capture, reference, profile, microphone calibration and report`, async () => {
      const target = input.startsWith('/') ? input : path(input);
      expectUsageError(await cli('analyze', '--reference', 'ref.wav', '--capture', target), new RegExp(`^latency-lab: capture ${target} ${message.source}`));
      expectUsageError(await cli('analyze', '--reference', target, '--capture', 'cap.wav'), new RegExp(`^latency-lab: reference ${target} ${message.source}`));
      expectUsageError(await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--profile', target), new RegExp(`^latency-lab: profile ${target} ${message.source}`));
      expectUsageError(await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--mic-cal', target), new RegExp(`^latency-lab: microphone calibration ${target} ${message.source}`));
      expectUsageError(await cli('report', target, '--html', 'never.html'), new RegExp(`^latency-lab: report ${target} ${message.source}`));
      expect(existsSync(path('never.html'))).toBe(false);
    });
  }

  it('a file whose size stat does not know (/proc) is read by the bytes it holds', async () => {
    // /proc/self/status is a regular file of stat size 0 with text in it: it is read, and refused as JSON.
    expectUsageError(await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--profile', '/proc/self/status'), /^latency-lab: profile \/proc\/self\/status is not valid JSON: /);
  });
});

describe('outputs: only regular files are replaced', () => {
  it('--force onto a FIFO is refused and the FIFO stays', async () => {
    expectUsageError(await cli('generate', '--signal', 'click', '--duration', '2', '--out', 'fifo', '--force'), /^latency-lab: cannot write .*fifo is a named pipe \(FIFO\), not a regular file; only regular files are replaced$/);
    expect(lstatSync(path('fifo')).isFIFO()).toBe(true);
    expectUsageError(await cli('report', 'nothing.json', '--html', 'fifo', '--force'), /fifo is a named pipe \(FIFO\)/);
    expect(leftovers()).toEqual([]);
  });

  it('--force onto a symbolic link is refused: neither the link nor its file changes (documented in the README)', async () => {
    writeFileSync(path('real.wav'), 'not replaced');
    symlinkSync(path('real.wav'), path('link.wav'));
    expectUsageError(await cli('generate', '--signal', 'click', '--duration', '2', '--out', 'link.wav', '--force'), /^latency-lab: cannot write link\.wav is a symbolic link, not a regular file; only regular files are replaced \(write to the file it points to instead\)$/);
    expect(readlinkSync(path('link.wav'))).toBe(path('real.wav'));
    expect(readFileSync(path('real.wav'), 'utf8')).toBe('not replaced');
    // Without --force it is simply "already exists".
    expectUsageError(await cli('generate', '--signal', 'click', '--duration', '2', '--out', 'link.wav'), /^latency-lab: link\.wav already exists; use --force to replace it$/);
  });

  it('--out adir/ --force: a clear message, no temporary file name', async () => {
    const run = await cli('generate', '--signal', 'click', '--duration', '2', '--out', 'outs/', '--force');
    expectUsageError(run, /^latency-lab: cannot write outs\/ is a folder, not a file name$/);
    expect(run.stderr).not.toMatch(/\.tmp|ENOTDIR|EISDIR/);
    const plain = await cli('generate', '--signal', 'click', '--duration', '2', '--out', 'outs', '--force');
    expectUsageError(plain, /^latency-lab: cannot write outs is a folder, not a file name$/);
    expect(readdirSync(path('outs'))).toEqual([]);
    expect(leftovers()).toEqual([]);
  });
});

describe('report is all or nothing', () => {
  it('a second output in a missing folder: exit 2 and the first is not left behind', async () => {
    const analysed = await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--report', 'base.json', '--json');
    expect(analysed.code, analysed.stderr).toBe(0);
    const run = await cli('report', 'base.json', '--html', 'outs/b.html', '--csv-events', 'nodir/b.csv');
    expectUsageError(run, /^latency-lab: cannot write nodir\/b\.csv: the folder nodir does not exist; nothing was written$/);
    expect(readdirSync(path('outs'))).toEqual([]);
    expect(leftovers(path('outs'))).toEqual([]);
    // With --force over existing files, a failure leaves the old files as they were.
    writeFileSync(path('outs/keep.html'), 'old report');
    expectUsageError(await cli('report', 'base.json', '--html', 'outs/keep.html', '--csv-fr', 'nodir/fr.csv', '--force'), /nothing was written/);
    expect(readFileSync(path('outs/keep.html'), 'utf8')).toBe('old report');
    expect(readdirSync(path('outs'))).toEqual(['keep.html']);
  });
});

describe('CSV formula injection', () => {
  it('cells from --setup and --title never start a formula in the CSV files', async () => {
    const hostile = "a,=1+1,=cmd|' /C calc'!A0,@SUM(1+1)";
    const analysed = await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--setup', hostile, '--title', `-2+3,${hostile}`, '--report', 'inj.json', '--json');
    expect(analysed.code, analysed.stderr).toBe(0);
    const run = await cli('report', 'inj.json', '--csv-fr', 'inj-fr.csv', '--coherence', '--csv-events', 'inj-events.csv');
    expect(run.code, run.stderr).toBe(0);
    for (const file of ['inj-fr.csv', 'inj-events.csv']) {
      const cells = readFileSync(path(file), 'utf8').split(/\r?\n/).flatMap((line) => line.split(','));
      const formulas = cells.filter((cell) => /^[=+\-@\t\r]/.test(cell.trimStart()) && !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(cell.trim()));
      expect(formulas, file).toEqual([]);
    }
    expect(readFileSync(path('inj-fr.csv'), 'utf8')).toContain("* Setup: a,'=1+1,'=cmd|' /C calc'!A0,'@SUM(1+1)");
  });
});

describe('nothing printed carries control characters', () => {
  it('a profile name with terminal escapes is printed without them', async () => {
    writeFileSync(path('evil-profile.json'), JSON.stringify({ name: `Evil${ESCAPES} bar`, maxMs: 60 }));
    const run = await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--profile', 'evil-profile.json', '--title', `T${ESCAPES}`, '--report', 'evil.json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Evil[2J]0;pwned31m bar');
    expect(run.stdout).not.toMatch(CONTROL);
    const json = await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--profile', 'evil-profile.json', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout.slice(0, -1)).not.toMatch(CONTROL);
    // --json keeps the data: the escapes are JSON escapes, the name reads back unchanged.
    expect((JSON.parse(json.stdout) as AnalysisOutput).verdict?.claim.claimName).toBe(`Evil${ESCAPES} bar`);
    const report = await cli('report', 'evil.json', '--html', `evil${ESCAPES}.html`);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).not.toMatch(CONTROL);
    expect(report.stdout).toContain('Wrote evil[2J]0;pwned31m.html');
  });

  it('file names and option values in error messages', async () => {
    const run = await cli('analyze', '--reference', 'ref.wav', '--capture', `missing${ESCAPES}.wav`);
    expectUsageError(run, /^latency-lab: cannot read capture missing\[2J\]0;pwned31m\.wav: no such file$/);
    expect(run.stderr.slice(0, -1)).not.toMatch(CONTROL);
    const unknown = await cli(`evil${ESCAPES}`);
    expectUsageError(unknown, /^latency-lab: unknown command "evil\[2J\]0;pwned31m"/);
  });
});

describe('limits and small things', () => {
  it('generate refuses, before generating, what analyze could not read (the shared 1 GiB limit)', async () => {
    for (const args of [
      ['--signal', 'pink', '--duration', '3600', '--rate', '384000'],
      ['--signal', 'click', '--duration', '3600', '--rate', '384000'],
      ['--signal', 'click', '--duration', '3600', '--rate', '192000'],
      ['--signal', 'pink', '--duration', '1200', '--rate', '384000', '--format', 'pcm32'],
    ]) {
      const run = await cli('generate', ...args, '--out', 'huge.wav');
      expectUsageError(run, /would be \d+ bytes \(\d+\.\d GiB\), more than the 1073741824 bytes \(1\.0 GiB\) that latency-lab analyze reads: use --duration \d+ or less/);
    }
    expect(existsSync(path('huge.wav'))).toBe(false);
    // Just over the limit (1400 s of pcm16 at 384 kHz is 1075200000 bytes of samples): the longest that fits is named.
    const run = await cli('generate', '--signal', 'pink', '--duration', '1400', '--rate', '384000', '--format', 'pcm16', '--out', 'huge.wav');
    expectUsageError(run, /use --duration 1398 or less, a lower --rate$/);
    expect(existsSync(path('huge.wav'))).toBe(false);
  });

  it('integers are decimal only: --rate 0x1F40 is refused, not read as 8000', async () => {
    for (const value of ['0x1F40', '0b1010', '0o17', '8e3', ' 8000x']) {
      expectUsageError(await cli('generate', '--signal', 'click', '--rate', value, '--out', 'r.wav'), /--rate expects a whole number in decimal digits/);
    }
    expectUsageError(await cli('generate', '--signal', 'click', '--duration', '0x10', '--out', 'r.wav'), /--duration expects a number, got "0x10"/);
    expectUsageError(await cli('generate', '--signal', 'click', '--duration', 'Infinity', '--out', 'r.wav'), /--duration expects a number/);
    expect(existsSync(path('r.wav'))).toBe(false);
  });

  it('a profile that is not valid JSON: one line', async () => {
    writeFileSync(path('broken.json'), '{\n  "name": "x",\n  "maxMs": 60,,\n}\n');
    expectUsageError(await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--profile', 'broken.json'), /^latency-lab: profile broken\.json is not valid JSON: /);
  });

  it('JSON with a UTF-8 byte order mark is accepted (profile and report)', async () => {
    writeFileSync(path('bom-profile.json'), `\ufeff${JSON.stringify({ name: 'BOM soundbar', maxMs: 60 })}`);
    const run = await cli('analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--profile', 'bom-profile.json', '--report', 'bom.json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('BOM soundbar');
    writeFileSync(path('bom.json'), `\ufeff${readFileSync(path('bom.json'), 'utf8')}`);
    const report = await cli('report', 'bom.json', '--csv-events', 'bom-events.csv');
    expect(report.code, report.stderr).toBe(0);
  });

  it('a WAV with two fmt chunks that disagree is refused with a specific error', async () => {
    const wav = encodeWav({ sampleRate: RATE, channels: [new Float32Array(RATE)] }, { format: 'pcm16' });
    // A second fmt chunk (stereo, 44.1 kHz) inserted before the data chunk.
    const second = new Uint8Array(24);
    const view = new DataView(second.buffer);
    second.set([0x66, 0x6d, 0x74, 0x20]);
    view.setUint32(4, 16, true);
    view.setUint16(8, 1, true);
    view.setUint16(10, 2, true);
    view.setUint32(12, 44100, true);
    view.setUint32(16, 44100 * 4, true);
    view.setUint16(20, 4, true);
    view.setUint16(22, 16, true);
    const fmtEnd = 12 + 8 + 16;
    const file = new Uint8Array(wav.length + second.length);
    file.set(wav.subarray(0, fmtEnd));
    file.set(second, fmtEnd);
    file.set(wav.subarray(fmtEnd), fmtEnd + second.length);
    new DataView(file.buffer).setUint32(4, file.length - 8, true);
    writeFileSync(path('two-fmt.wav'), file);
    expectUsageError(await cli('analyze', '--reference', 'ref.wav', '--capture', 'two-fmt.wav'), /^latency-lab: capture two-fmt\.wav: The file has two fmt chunks that disagree: at byte 12 1 channel\(s\) of pcm16 at 48000 Hz, at byte 36 2 channel\(s\) of pcm16 at 44100 Hz/);
  });
});

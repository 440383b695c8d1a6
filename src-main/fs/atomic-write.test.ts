import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../shared/primitives/random';
import { checkWritableTarget, FileWriteError, fileKind, NotRegularFileError, TargetExistsError, writeFileAtomic, writeFilesAtomic } from './atomic-write';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;
let n = 0;
/** A fresh, empty folder inside the test's temp dir. */
function folder(): string {
  const path = join(dir, `case-${++n}`);
  mkdirSync(path);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-atomic-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes text as UTF-8 and bytes as they are, leaving only the target in the folder', () => {
    const d = folder();
    writeFileAtomic(join(d, 'a.json'), '{"title":"Küche – 42 ms"}\n');
    expect(readFileSync(join(d, 'a.json'), 'utf8')).toBe('{"title":"Küche – 42 ms"}\n');
    // A view into a larger buffer: only the view's bytes are written.
    const backing = Uint8Array.from({ length: 64 }, (_, i) => i);
    writeFileAtomic(join(d, 'b.bin'), backing.subarray(10, 20));
    expect([...readFileSync(join(d, 'b.bin'))]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    writeFileAtomic(join(d, 'empty'), new Uint8Array(0));
    expect(statSync(join(d, 'empty')).size).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['a.json', 'b.bin', 'empty']);
  });

  it('replaces an existing file by default, and with overwrite: true', () => {
    const d = folder();
    const path = join(d, 'report.json');
    writeFileSync(path, 'old contents, longer than the new ones');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    writeFileAtomic(path, 'newer', { overwrite: true });
    expect(readFileSync(path, 'utf8')).toBe('newer');
    expect(readdirSync(d)).toEqual(['report.json']);
  });

  it('overwrite: false creates a missing file', () => {
    const d = folder();
    writeFileAtomic(join(d, 'new.wav'), 'RIFF', { overwrite: false });
    expect(readFileSync(join(d, 'new.wav'), 'utf8')).toBe('RIFF');
    expect(readdirSync(d)).toEqual(['new.wav']);
  });

  it('overwrite: false refuses an existing file with TargetExistsError, leaving it intact and no temp file', () => {
    const d = folder();
    const path = join(d, 'keep.json');
    writeFileSync(path, 'precious');
    let thrown: unknown;
    try {
      writeFileAtomic(path, 'replacement', { overwrite: false });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TargetExistsError);
    expect((thrown as TargetExistsError).path).toBe(path);
    expect((thrown as TargetExistsError).message).toBe(`${path} already exists; not overwriting it`);
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(readdirSync(d)).toEqual(['keep.json']);
    // An existing directory counts as existing too.
    mkdirSync(join(d, 'sub'));
    expect(() => writeFileAtomic(join(d, 'sub'), 'x', { overwrite: false })).toThrow(TargetExistsError);
    expect(readdirSync(d).sort()).toEqual(['keep.json', 'sub']);
  });

  it('writing into a missing folder fails with ENOENT and creates nothing', () => {
    const d = folder();
    expect(() => writeFileAtomic(join(d, 'no-such-folder', 'out.wav'), 'data')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => writeFileAtomic(join(d, 'no-such-folder', 'out.wav'), 'data', { overwrite: false })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(readdirSync(d)).toEqual([]);
  });

  it('replacing a directory fails and removes its temp file', () => {
    const d = folder();
    mkdirSync(join(d, 'target'));
    writeFileSync(join(d, 'target', 'inside'), 'x');
    expect(() => writeFileAtomic(join(d, 'target'), 'data')).toThrow();
    expect(readdirSync(d)).toEqual(['target']);
    expect(readdirSync(join(d, 'target'))).toEqual(['inside']);
  });

  it('the folder keeps only the target across many writes of different sizes', () => {
    const d = folder();
    const path = join(d, 'many.bin');
    const random = createRandom(17);
    let last = new Uint8Array(0);
    for (let i = 0; i < 50; i++) {
      last = Uint8Array.from({ length: random.int(5000) }, () => random.int(256));
      writeFileAtomic(path, last);
    }
    expect(new Uint8Array(readFileSync(path))).toEqual(last);
    expect(readdirSync(d)).toEqual(['many.bin']);
  });
});

// ------------------------------------------------------------------------------------------------
// Killed mid-write: a child process writes large files atomically in a loop and is SIGKILLed at
// seeded random moments. The target must always be absent (before the first write completes) or
// one complete version, never a mix or a truncation.

const SIZE = 20 * 1024 * 1024;
const HEADER = 13;

/** Version `v` of the file: every byte (v mod 251), with "LLV<v>" at the start and "END<v>" at the end. */
function payload(version: number): Buffer {
  const b = Buffer.alloc(SIZE, version % 251);
  b.write(`LLV${String(version).padStart(10, '0')}`, 0, 'latin1');
  b.write(`END${String(version).padStart(10, '0')}`, SIZE - HEADER, 'latin1');
  return b;
}

/** The same function in the child, which runs the bundled writeFileAtomic. */
const CHILD = `
import { writeFileAtomic } from './atomic-write.mjs';
const [target, first] = process.argv.slice(2);
const SIZE = ${SIZE};
function payload(version) {
  const b = Buffer.alloc(SIZE, version % 251);
  b.write('LLV' + String(version).padStart(10, '0'), 0, 'latin1');
  b.write('END' + String(version).padStart(10, '0'), SIZE - ${HEADER}, 'latin1');
  return b;
}
process.stdout.write('ready\\n');
for (let v = Number(first); ; v++) {
  writeFileAtomic(target, payload(v));
  process.stdout.write(v + '\\n');
}
`;

/** Reads the target: null when absent, else the version it holds; fails the test if it is torn. */
function readVersion(path: string): number | null {
  if (!existsSync(path)) return null;
  const bytes = readFileSync(path);
  expect(bytes.length, 'the file is truncated or too long').toBe(SIZE);
  const head = /^LLV(\d{10})$/.exec(bytes.subarray(0, HEADER).toString('latin1'));
  expect(head, 'the file has no version header').not.toBeNull();
  const version = Number((head as RegExpExecArray)[1]);
  expect(bytes.equals(payload(version)), `version ${version} is not intact (a mix of versions?)`).toBe(true);
  return version;
}

interface KillRun {
  /** Versions the child reported as written, in order. */
  acked: number[];
  signal: NodeJS.Signals | null;
}

/** Starts the child, waits until it is running, kills it `delayMs` later and collects what it reported. */
function runAndKill(script: string, target: string, first: number, delayMs: number): Promise<KillRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, target, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.startsWith('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the writer exited by itself (code ${code}, signal ${signal}): ${err}`));
      const acked = out.split('\n').slice(1).filter((line) => /^\d+$/.test(line)).map(Number);
      resolve({ acked, signal });
    });
  });
}

describe('writeFileAtomic killed mid-write', () => {
  it('after SIGKILL at random moments the target is always absent before the first write, or one complete version', async () => {
    const d = folder();
    const bundle = join(d, 'atomic-write.mjs');
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['src-main/fs/atomic-write.ts'],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
    const script = join(d, 'writer.mjs');
    writeFileSync(script, CHILD);
    const target = join(d, 'capture.wav');
    const random = createRandom(20260301);

    let latest: number | null = null; // the version on disk after the previous kill
    let next = 1;
    let killsDuringWrite = 0;
    let runsThatWrote = 0;
    const kills = 12;
    for (let k = 0; k < kills; k++) {
      // Mostly within the first few writes, sometimes before the first completes.
      const delayMs = k === 0 ? 0 : Math.round(random.uniform(0, 350));
      const run = await runAndKill(script, target, next, delayMs);
      expect(run.signal).toBe('SIGKILL');
      const found = readVersion(target);
      const lastAcked = run.acked.length > 0 ? run.acked[run.acked.length - 1] : latest;
      if (found === null) {
        // Absent is only possible before any write ever completed.
        expect(latest).toBeNull();
        expect(run.acked).toEqual([]);
      } else {
        // The newest completed write, or (killed between the rename and its report) the one after it.
        if (lastAcked === null) expect(found).toBe(next);
        else expect([lastAcked, lastAcked + 1]).toContain(found);
        if (latest !== null) expect(found).toBeGreaterThanOrEqual(latest);
      }
      if (run.acked.length > 0) runsThatWrote++;
      // A temp file left behind means the kill landed while a version was being written.
      const temps = readdirSync(d).filter((name) => name.startsWith('.capture.wav.') && name.endsWith('.tmp'));
      expect(temps.length).toBeLessThanOrEqual(1);
      if (temps.length > 0) killsDuringWrite++;
      for (const name of temps) rmSync(join(d, name));
      latest = found ?? latest;
      next = Math.max(next, ...run.acked.map((v) => v + 1), (found ?? 0) + 1);
    }
    // The test is only meaningful when the kills hit the writer at work.
    expect(runsThatWrote).toBeGreaterThanOrEqual(4);
    expect(killsDuringWrite).toBeGreaterThanOrEqual(2);
    expect(readdirSync(d).sort()).toEqual(['atomic-write.mjs', 'capture.wav', 'writer.mjs']);
  }, 60_000);
});

describe('only regular files are replaced (special files and symbolic links are refused)', () => {
  const refused = (fn: () => void, kind: string): NotRegularFileError => {
    let thrown: unknown;
    try {
      fn();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NotRegularFileError);
    expect((thrown as NotRegularFileError).kind).toBe(kind);
    return thrown as NotRegularFileError;
  };

  it('a FIFO stays a FIFO', () => {
    const d = folder();
    const fifo = join(d, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const error = refused(() => writeFileAtomic(fifo, 'data', { overwrite: true }), 'named pipe (FIFO)');
    expect(error.message).toBe(`${fifo} is a named pipe (FIFO), not a regular file; only regular files are replaced`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(d)).toEqual(['pipe']);
  });

  it('a socket stays a socket', async () => {
    const d = folder();
    const path = join(d, 'sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      refused(() => writeFileAtomic(path, 'data'), 'socket');
      expect(lstatSync(path).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it('a device is refused before anything is written (checked, never written to)', () => {
    expect(fileKind(statSync('/dev/null'))).toBe('device');
    refused(() => checkWritableTarget('/dev/null', true), 'device');
    expect(() => checkWritableTarget('/dev/null', false)).toThrow(TargetExistsError);
  });

  it('a symbolic link is refused, and neither it nor the file it points to changes', () => {
    const d = folder();
    writeFileSync(join(d, 'real.txt'), 'original');
    symlinkSync(join(d, 'real.txt'), join(d, 'link.txt'));
    symlinkSync(join(d, 'missing.txt'), join(d, 'dangling.txt'));
    const error = refused(() => writeFileAtomic(join(d, 'link.txt'), 'new', { overwrite: true }), 'symbolic link');
    expect(error.message).toContain('write to the file it points to instead');
    refused(() => writeFileAtomic(join(d, 'dangling.txt'), 'new'), 'symbolic link');
    expect(() => writeFileAtomic(join(d, 'link.txt'), 'new', { overwrite: false })).toThrow(TargetExistsError);
    expect(readlinkSync(join(d, 'link.txt'))).toBe(join(d, 'real.txt'));
    expect(readFileSync(join(d, 'real.txt'), 'utf8')).toBe('original');
    expect(existsSync(join(d, 'missing.txt'))).toBe(false);
    expect(readdirSync(d).sort()).toEqual(['dangling.txt', 'link.txt', 'real.txt']);
  });

  it('a path ending in a separator names a folder: refused without a temp file', () => {
    const d = folder();
    mkdirSync(join(d, 'adir'));
    const error = refused(() => writeFileAtomic(`${join(d, 'adir')}/`, 'x', { overwrite: true }), 'folder name');
    expect(error.message).toBe(`${join(d, 'adir')}/ is a folder, not a file name`);
    refused(() => writeFileAtomic(join(d, 'adir'), 'x', { overwrite: true }), 'folder');
    expect(readdirSync(d)).toEqual(['adir']);
    expect(readdirSync(join(d, 'adir'))).toEqual([]);
  });
});

describe('writeFilesAtomic (all or nothing)', () => {
  it('writes every file', () => {
    const d = folder();
    writeFilesAtomic([{ path: join(d, 'a.html'), data: 'A' }, { path: join(d, 'b.csv'), data: 'B' }]);
    expect(readdirSync(d).sort()).toEqual(['a.html', 'b.csv']);
    expect(readFileSync(join(d, 'b.csv'), 'utf8')).toBe('B');
  });

  it('a target in a missing folder: nothing is written, and the error names that target', () => {
    const d = folder();
    writeFileSync(join(d, 'old.html'), 'old');
    let thrown: unknown;
    try {
      writeFilesAtomic([{ path: join(d, 'old.html'), data: 'new' }, { path: join(d, 'new.html'), data: 'A' }, { path: join(d, 'nodir', 'b.csv'), data: 'B' }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FileWriteError);
    expect((thrown as FileWriteError).path).toBe(join(d, 'nodir', 'b.csv'));
    expect(((thrown as FileWriteError).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(readdirSync(d)).toEqual(['old.html']);
    expect(readFileSync(join(d, 'old.html'), 'utf8')).toBe('old');
  });

  it('an existing target without overwrite, or a special file, is refused before anything is written', () => {
    const d = folder();
    writeFileSync(join(d, 'b.csv'), 'keep');
    expect(() => writeFilesAtomic([{ path: join(d, 'a.html'), data: 'A' }, { path: join(d, 'b.csv'), data: 'B' }], { overwrite: false })).toThrow(TargetExistsError);
    execFileSync('mkfifo', [join(d, 'p')]);
    expect(() => writeFilesAtomic([{ path: join(d, 'a.html'), data: 'A' }, { path: join(d, 'p'), data: 'B' }])).toThrow(NotRegularFileError);
    expect(readdirSync(d).sort()).toEqual(['b.csv', 'p']);
    expect(readFileSync(join(d, 'b.csv'), 'utf8')).toBe('keep');
  });
});

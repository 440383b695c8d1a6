// Killed mid-save: a child Node process runs the real library module (bundled with esbuild) and
// saves measurements with audio in a loop, renaming earlier ones in between; it is SIGKILLed at
// seeded random moments. After every kill, as the app would at its next start, the library must
// list without unreadable entries, every measurement whose save was acknowledged must be there and
// open bit-exact, at most the one being saved may appear unacknowledged (complete), and renamed
// measurements keep an intact report with one of their titles.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../../shared/primitives/random';
import type { Report } from '../../../shared/report/report-schema';
import { createLibrary, SAVING_PREFIX } from './library-store';
import { clickFixture } from './test-fixtures';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FRAMES = 240_000; // 5 s at 48 kHz: about 2 MB of WAV per measurement
const RATE = 48_000;

/** Deterministic, different audio for every measurement (the same formula runs in the child). */
function samples(seq: number, channel: number): Float32Array {
  const out = new Float32Array(FRAMES);
  for (let i = 0; i < FRAMES; i++) out[i] = ((Math.imul(i + 1, 2654435761) ^ Math.imul(seq * 2 + channel, 40503)) >>> 0) / 4294967296 - 0.5;
  return out;
}

const CHILD = `
import { readFileSync } from 'node:fs';
import { createLibrary } from './library-store';
const FRAMES = ${FRAMES};
function samples(seq: number, channel: number): Float32Array {
  const out = new Float32Array(FRAMES);
  for (let i = 0; i < FRAMES; i++) out[i] = ((Math.imul(i + 1, 2654435761) ^ Math.imul(seq * 2 + channel, 40503)) >>> 0) / 4294967296 - 0.5;
  return out;
}
const [root, first, reportPath, earlierList] = process.argv.slice(2);
const base = JSON.parse(readFileSync(reportPath, 'utf8'));
const earlier = earlierList ? earlierList.split(',') : [];
const library = createLibrary(root, { trashItem: async () => undefined, warn: () => undefined });
process.stdout.write('ready\\n');
for (let seq = Number(first); ; seq++) {
  const id = 'crash-' + String(seq).padStart(6, '0');
  library.save({ ...base, id, title: 'Measurement ' + seq }, { sampleRate: ${RATE}, reference: samples(seq, 0), capture: samples(seq, 1) });
  process.stdout.write('saved ' + seq + '\\n');
  if (earlier.length > 0) {
    const target = earlier[seq % earlier.length];
    library.rename(target, 'Measurement ' + Number(target.slice(6)) + ' v' + seq);
    process.stdout.write('renamed ' + target + ' ' + seq + '\\n');
  }
}
`;

const idOf = (seq: number): string => `crash-${String(seq).padStart(6, '0')}`;

interface Run {
  saved: number[];
  renamed: Array<{ id: string; seq: number }>;
}

/** Kills the child `delayMs` after it is ready, or after its first acknowledged save. */
function runAndKill(script: string, args: string[], delayMs: number, after: 'ready' | 'first save'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const started = after === 'ready' ? out.startsWith('ready\n') : out.includes('\nsaved ');
      if (timer === undefined && started) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the writer exited by itself (code ${code}, signal ${signal}): ${err}`));
      const lines = out.split('\n');
      const saved = lines.map((l) => /^saved (\d+)$/.exec(l)).filter((m) => m !== null).map((m) => Number(m[1]));
      const renamed = lines.map((l) => /^renamed (crash-\d{6}) (\d+)$/.exec(l)).filter((m) => m !== null).map((m) => ({ id: m[1], seq: Number(m[2]) }));
      resolve({ saved, renamed });
    });
  });
}

let dir: string;
let base: Report;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-crash-'));
  base = clickFixture().report;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sameSamples(a: Float32Array | undefined, b: Float32Array): boolean {
  return a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('library killed mid-save', () => {
  it('after SIGKILL at random moments every acknowledged measurement opens intact and nothing half-written is listed', async () => {
    const script = join(dir, 'crash-writer.mjs');
    await build({
      absWorkingDir: ROOT,
      stdin: { contents: CHILD, resolveDir: join(ROOT, 'src-main/main/library'), sourcefile: 'crash-writer.ts', loader: 'ts' },
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
    const reportPath = join(dir, 'base-report.json');
    writeFileSync(reportPath, JSON.stringify(base));
    const root = join(dir, 'library');
    mkdirSync(root);
    const library = createLibrary(root, { trashItem: async () => undefined, warn: () => undefined });
    const random = createRandom(20260315);

    const acked = new Set<number>();
    const verified = new Set<string>();
    let next = 1;
    let killsDuringSave = 0;
    let killsDuringRename = 0;
    let runsThatSaved = 0;
    const kills = 16;

    /** Opens a measurement and checks it against what its save wrote. */
    const verify = (id: string, withAudio: boolean): void => {
      const seq = Number(id.slice(6));
      const opened = library.open(id);
      const { title, ...rest } = opened.report;
      expect(title, id).toMatch(new RegExp(`^Measurement ${seq}( v\\d+)?$`));
      const { title: _baseTitle, ...baseRest } = base;
      expect(rest, id).toEqual({ ...baseRest, id });
      if (withAudio) {
        expect(opened.audio?.sampleRate, id).toBe(RATE);
        expect(sameSamples(opened.audio?.reference, samples(seq, 0)), `${id} stimulus`).toBe(true);
        expect(sameSamples(opened.audio?.capture, samples(seq, 1)), `${id} capture`).toBe(true);
      }
    };

    for (let k = 0; k < kills; k++) {
      // Earlier measurements (from previous runs) get renamed while new ones are saved.
      const earlier = [...acked].sort((a, b) => a - b).slice(-6).map(idOf);
      const delayMs = k === 0 ? 0 : Math.round(random.uniform(0, 160));
      // Odd runs are killed only after a first save, so every other run has written something.
      const run = await runAndKill(script, [root, String(next), reportPath, earlier.join(',')], delayMs, k % 2 === 1 ? 'first save' : 'ready');
      if (run.saved.length > 0) runsThatSaved++;

      // What an interrupted save or rename left behind.
      const names = readdirSync(root, { withFileTypes: true });
      if (names.some((d) => d.name.startsWith(SAVING_PREFIX))) killsDuringSave++;
      if (names.some((d) => d.isDirectory() && !d.name.startsWith('.') && readdirSync(join(root, d.name)).some((f) => f.endsWith('.tmp')))) killsDuringRename++;

      const { entries, unreadable } = library.list();
      expect(unreadable, `run ${k}`).toEqual([]);
      const listed = new Set(entries.map((e) => e.id));
      for (const seq of run.saved) acked.add(seq);
      // Every acknowledged save is there; besides, at most the one in flight when killed (complete).
      for (const seq of acked) expect(listed.has(idOf(seq)), `measurement ${seq} (acknowledged) is missing after run ${k}`).toBe(true);
      const inFlight = Math.max(next - 1, ...run.saved) + 1;
      const extras = [...listed].filter((id) => !acked.has(Number(id.slice(6))));
      expect(extras.every((id) => id === idOf(inFlight)), `unexpected entries ${extras.join(', ')}`).toBe(true);
      for (const id of extras) acked.add(Number(id.slice(6)));

      // New measurements in full; renamed ones and a sample of the others for their report.
      for (const id of listed) {
        if (!verified.has(id)) {
          verify(id, true);
          verified.add(id);
        }
      }
      for (const id of new Set([...earlier, ...run.renamed.map((r) => r.id)])) verify(id, false);
      const all = [...listed];
      for (let i = 0; i < 3 && all.length > 0; i++) verify(all[random.int(all.length)], true);
      // The renames acknowledged last must have landed.
      const lastRename = new Map<string, number>();
      for (const r of run.renamed) lastRename.set(r.id, r.seq);
      for (const [id, seq] of lastRename) {
        const title = library.open(id).report.title;
        const v = Number(/ v(\d+)$/.exec(title)?.[1] ?? -1);
        expect(v, `${id}: rename to v${seq} was acknowledged, found "${title}"`).toBeGreaterThanOrEqual(seq);
      }

      // The next start cleans up; the list stays the same.
      library.cleanupInterruptedSaves();
      expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(library.list().entries.map((e) => e.id).sort()).toEqual([...listed].sort());
      if (acked.size > 0) next = Math.max(...acked) + 1;
    }

    for (const id of verified) verify(id, true);
    // Meaningful only when the kills hit the writer at work.
    expect(runsThatSaved).toBeGreaterThanOrEqual(kills / 2);
    expect(killsDuringSave + killsDuringRename).toBeGreaterThanOrEqual(3);
    console.log(`crash test: ${kills} kills, ${acked.size} measurements, ${killsDuringSave} kills mid-save, ${killsDuringRename} mid-rename`);
  }, 180_000);
});

// The CLI's helper thread for large transforms (transform-thread.ts, transform-helper.ts), as built
// by `npm run build:cli`: a real worker thread. Results must not depend on it, bit for bit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../shared/io/wav-file';
import { FftPlan } from '../../shared/primitives/fft';
import { helperChunks, installWorkHelper } from '../../shared/primitives/shared-work';
import { createRandom } from '../../shared/primitives/random';
import { generateStimulus, resolveStimulusSpec } from '../../shared/stimulus/stimulus';
import { roomCapture } from '../../shared/simulation/room-captures';
import { roomImpulseResponse } from '../../shared/simulation/synthetic-path';
import { CLI, ROOT } from './cli-test-support';
import { useWorkHelper } from './transform-thread';

const HELPER = new URL(`file://${join(ROOT, 'out/cli/transform-helper.mjs')}`);

afterEach(() => installWorkHelper(null));

describe('the transform helper thread', () => {
  it('shares a minute-long transform and gives the same result bit for bit', () => {
    const size = 3 * 2 ** 20;
    const random = createRandom(3);
    const signal = Float64Array.from({ length: size }, () => random.gaussian());
    const expected = new FftPlan(size).forwardReal(signal, 0, size);
    useWorkHelper(HELPER);
    const plan = new FftPlan(size);
    // Transforms until the thread (started by the first, so not yet running during it) has taken
    // chunks: a missing or broken helper script would leave every chunk to this thread.
    for (let round = 0; round < 3 || (helperChunks() === 0 && round < 200); round++) {
      const spectrum = plan.forwardReal(signal, 0, size);
      expect(spectrum.buffer).toBeInstanceOf(SharedArrayBuffer); // the helper was started
      let differing = 0;
      for (let i = 0; i < spectrum.length; i++) if (!Object.is(spectrum[i], expected[i])) differing++;
      expect(differing).toBe(0);
    }
    expect(helperChunks()).toBeGreaterThan(0);
  }, 120_000);
});

describe('latency-lab analyze with and without the helper thread', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'latency-lab-threads-'));
    const rate = 48000;
    // 25 s: the whole-capture transforms (3·2^19 points) start the helper.
    const reference = generateStimulus(resolveStimulusSpec({ signal: 'sweep', durationS: 25, sampleRate: rate }));
    const room = roomImpulseResponse({ sampleRate: rate, rt60S: 0.4, directToReverbDb: 3, seed: 2 });
    const { capture } = roomCapture({ samples: reference, startFrame: 0, endFrame: reference.length }, room, 4321.7, 30);
    writeFileSync(join(dir, 'ref.wav'), encodeWav({ sampleRate: rate, channels: [reference] }));
    writeFileSync(join(dir, 'cap.wav'), encodeWav({ sampleRate: rate, channels: [capture] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same JSON to the last digit', async () => {
    const { execFile } = await import('node:child_process');
    const run = (threads: string | undefined): Promise<string> =>
      new Promise((resolve, reject) => {
        const env = { ...process.env };
        if (threads === undefined) delete env.LATENCY_LAB_THREADS;
        else env.LATENCY_LAB_THREADS = threads;
        execFile(process.execPath, [CLI, 'analyze', '--reference', 'ref.wav', '--capture', 'cap.wav', '--json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 }, (error, stdout, stderr) => {
          if (error) reject(new Error(`analyze failed: ${stderr}`));
          else resolve(stdout);
        });
      });
    const one = await run('1');
    const two = await run(undefined);
    expect(JSON.parse(one).status).toBe('ok');
    expect(two).toBe(one);
  }, 180_000);
});

// The shared-loop protocol on its own (fft-helper.test.ts covers the transforms' kernels, and
// src-main/cli/transform-thread.test.ts the real worker thread): every unit runs exactly once,
// however the helper and the caller share them, and a loop a unit opens never takes over the one
// that runs it. The "helper" here runs on the test's own thread.
import { afterEach, describe, expect, it } from 'vitest';
import { defineKernel, HELPER_START_SIZE, type HelperTask, helperChunks, helperFor, installWorkHelper, runHelperTask, runUnits, startUnits } from './shared-work';

afterEach(() => installWorkHelper(null));

const sharedArray = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * length));

/** Unit i adds 1 to out[i] (arrays [out]): a unit run twice, or never, shows. */
const COUNT = defineKernel('test-count', (arrays, _params, first, end) => {
  for (let i = first; i < end; i++) arrays[0][i] += 1;
});

/** A helper on this thread: `run` says what it does with each task posted to it. */
function startHelper(run: (task: HelperTask) => void): void {
  installWorkHelper(() => ({ post: run }));
  expect(helperFor(HELPER_START_SIZE)).toBe(true);
}

describe('shared loops', () => {
  it('run every unit exactly once, whether the helper takes all of them, none, or a late message', () => {
    for (const helperRuns of ['all', 'none', 'late'] as const) {
      const late: HelperTask[] = [];
      startHelper((task) => (helperRuns === 'all' ? runHelperTask(task) : late.push(task)));
      const out = sharedArray(100);
      runUnits(COUNT, [out], [], out.length);
      for (const task of late) runHelperTask(task); // after the loop is over: claims nothing
      expect([...out].every((v) => v === 1), helperRuns).toBe(true);
      expect(helperChunks(), helperRuns).toBe(helperRuns === 'all' ? 32 : 0);
      installWorkHelper(null);
    }
  });

  it('are not shared without a helper or without shared memory, and still run every unit', () => {
    const plain = new Float64Array(10);
    runUnits(COUNT, [plain], [], plain.length);
    expect([...plain]).toEqual(new Array(10).fill(1));
    const posted: HelperTask[] = [];
    startHelper((task) => posted.push(task));
    runUnits(COUNT, [plain], [], plain.length); // an ordinary array: the helper's writes would be lost
    expect(posted).toEqual([]);
    expect([...plain]).toEqual(new Array(10).fill(2));
  });

  it('opened by a unit run here, while another is open, run here: the outer loop still runs every unit', () => {
    // An octave band's inverse transform of 3·2^19 points ran a shared step inside the band loop's
    // finish(): it took the control word over, the band loop ended early, and 7 of 8 bands were zero.
    const inner = sharedArray(64);
    const NESTING = defineKernel('test-nesting', (arrays, _params, first, end) => {
      for (let i = first; i < end; i++) {
        runUnits(COUNT, [inner], [], inner.length);
        arrays[0][i] += 1;
      }
    });
    const posted: string[] = [];
    startHelper((task) => posted.push(task.kernel)); // busy: takes nothing
    const out = sharedArray(8);
    const job = startUnits(NESTING, [out], [], out.length);
    // Between start and finish (other work of the caller's): loops here are not shared either.
    runUnits(COUNT, [inner], [], inner.length);
    job.finish();
    expect(posted).toEqual(['test-nesting']);
    expect([...out]).toEqual(new Array(8).fill(1));
    expect([...inner].every((v) => v === 9)).toBe(true);
    // And once it is finished, the next loop is shared again.
    runUnits(COUNT, [inner], [], inner.length);
    expect(posted).toEqual(['test-nesting', 'test-count']);
  });

  it('whose unit throws here end with that error, close the loop and drop the helper', () => {
    const THROWS = defineKernel('test-throws', (_arrays, _params, first) => {
      if (first >= 4) throw new Error('unit 4 failed');
    });
    let closed = 0;
    installWorkHelper(() => ({ post: () => undefined, close: () => closed++ }));
    expect(helperFor(HELPER_START_SIZE)).toBe(true);
    expect(() => runUnits(THROWS, [sharedArray(8)], [], 8)).toThrow('unit 4 failed');
    expect(closed).toBe(1);
    // No helper now: the next loop runs here alone, and right.
    const out = sharedArray(8);
    runUnits(COUNT, [out], [], out.length);
    expect([...out]).toEqual(new Array(8).fill(1));
  });

  it('refuse a kernel name defined twice', () => {
    expect(() => defineKernel('test-count', () => undefined)).toThrow('defined twice');
  });
});

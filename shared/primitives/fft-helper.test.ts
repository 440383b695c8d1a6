// The transform helper (a second thread taking chunks of the large transforms' steps): the results
// must be the same bit for bit whoever runs which chunk, a late task must change nothing, and the
// helper must start only when a whole-capture buffer is first asked for. Here the "helper" runs on
// the test's own thread (src-main/cli/transform-thread.test.ts runs the real worker thread).
import { afterEach, describe, expect, it } from 'vitest';
import { FftPlan, TRANSFORM_STEPS, transformArray, workBuffer } from './fft';
import { dropWorkHelper, HELPER_START_SIZE, type HelperTask, helperChunks, installWorkHelper, runHelperTask, type WorkHelper } from './shared-work';
import { createRandom } from './random';

afterEach(() => installWorkHelper(null));


function noise(length: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length }, () => random.gaussian());
}

/** How many values differ at all (not "by more than"): sharing must not change a single bit. */
function differing(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
  return count;
}

/** Forward and inverse of `signal` with no helper: the reference every helper must reproduce exactly. */
function alone(size: number, signal: Float64Array): { spectrum: Float64Array; back: Float64Array } {
  installWorkHelper(null);
  const plan = new FftPlan(size);
  const spectrum = plan.forwardReal(signal, 0, size);
  const back = plan.inverseReal(spectrum);
  return { spectrum, back };
}

describe('a transform helper', () => {
  // 2^20 points: four steps only; 3·2^20: a radix-3 step over four-step thirds (a minute's capture).
  for (const size of [2 ** 20, 3 * 2 ** 20]) {
    it(`that runs every chunk gives the same ${size}-point transforms bit for bit, from shared buffers`, () => {
      const signal = noise(size - 1000, size);
      const expected = alone(size, signal);
      const steps = new Set<string>();
      let posts = 0;
      installWorkHelper(() => ({
        post: (task) => {
          steps.add(task.kernel === 'fft-step' ? TRANSFORM_STEPS[task.params[0]] : `${task.kernel} ${task.params[0] === 0 ? 'split' : 'merge'}`);
          posts++;
          runHelperTask(task); // claims every chunk before the caller claims any
        },
      }));
      const plan = new FftPlan(size);
      const spectrum = plan.forwardReal(signal, 0, size);
      expect(spectrum.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(differing(spectrum, expected.spectrum)).toBe(0);
      const back = plan.inverseReal(spectrum);
      expect(differing(back, expected.back)).toBe(0);
      // The complex transform's steps, and the real transform's split (forward) and merge (inverse).
      const passes = ['fft-real-pass merge', 'fft-real-pass split'];
      expect([...steps].sort()).toEqual(size % 3 === 0 ? ['butterfly', 'columns', ...passes, 'rows', 'thirds'] : ['columns', ...passes, 'rows']);
      expect(helperChunks()).toBe(32 * posts); // every chunk of every step, counted
    }, 120_000);
  }

  it('that runs only some steps (every other one) still gives the same transform bit for bit', () => {
    const size = 3 * 2 ** 20;
    const signal = noise(size, 7);
    const expected = alone(size, signal);
    let posted = 0;
    let ran = 0;
    installWorkHelper(() => ({
      post: (task) => {
        if (posted++ % 2 === 1) return;
        runHelperTask(task);
        ran++;
      },
    }));
    const plan = new FftPlan(size);
    const spectrum = plan.forwardReal(signal, 0, size, workBuffer(0, size + 2));
    expect(differing(spectrum, expected.spectrum)).toBe(0);
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBeLessThan(posted);
  }, 120_000);

  it('given a step after it is over (a late message) touches nothing', () => {
    const size = 2 ** 20;
    const late: HelperTask[] = [];
    installWorkHelper(() => ({ post: (task) => late.push(task) }));
    const plan = new FftPlan(size);
    const spectrum = plan.forwardReal(noise(size, 3), 0, size);
    expect(late.length).toBeGreaterThan(0);
    const before = spectrum.slice();
    const written = late.map((task) => task.arrays.map((array) => array.slice()));
    for (const task of late) runHelperTask(task);
    expect(differing(spectrum, before)).toBe(0);
    late.forEach((task, i) => task.arrays.forEach((array, j) => expect(differing(array.slice(), written[i][j])).toBe(0)));
  }, 120_000);

  it('given a step while the next one is open (a message that came late) takes none of its chunks', () => {
    const size = 3 * 2 ** 20;
    const signal = noise(size, 5);
    const expected = alone(size, signal);
    let previous: HelperTask | null = null;
    installWorkHelper(() => ({
      post: (task) => {
        if (previous) runHelperTask(previous); // the last step's message, now that this one is open
        previous = task;
      },
    }));
    const spectrum = new FftPlan(size).forwardReal(signal, 0, size);
    expect(previous).not.toBeNull();
    expect(differing(spectrum, expected.spectrum)).toBe(0);
  }, 120_000);

  it('that fails in a chunk stops the transform with an error instead of a half-written result, and is dropped', () => {
    const size = 2 ** 20;
    const signal = noise(size, 13);
    const expected = alone(size, signal);
    let posts = 0;
    installWorkHelper(() => ({
      post: (task) => {
        posts++;
        // A chunk that throws (as a thread out of memory would), claimed before the caller's.
        expect(() => runHelperTask({ ...task, params: [99, ...task.params.slice(1)] })).toThrow(/no transform step/);
      },
    }));
    const plan = new FftPlan(size);
    expect(() => plan.forwardReal(signal, 0, size)).toThrow(/helper thread failed/);
    expect(posts).toBe(1);
    // The helper is gone: the next transform runs alone, and right.
    const spectrum = plan.forwardReal(signal, 0, size);
    expect(posts).toBe(1);
    expect(differing(spectrum, expected.spectrum)).toBe(0);
  }, 120_000);

  it('is closed when it is replaced or dropped, and only the running one is dropped', () => {
    const closed: string[] = [];
    const helperNamed = (name: string): WorkHelper => ({ post: (task) => runHelperTask(task), close: () => closed.push(name) });
    const first = helperNamed('first');
    installWorkHelper(() => first);
    transformArray(HELPER_START_SIZE);
    dropWorkHelper(helperNamed('another'));
    expect(closed).toEqual([]);
    installWorkHelper(() => helperNamed('second'));
    expect(closed).toEqual(['first']);
    transformArray(HELPER_START_SIZE);
    dropWorkHelper(first); // a stale helper's "exit": the running one stays
    expect(closed).toEqual(['first']);
    expect(transformArray(HELPER_START_SIZE).buffer).toBeInstanceOf(SharedArrayBuffer);
    installWorkHelper(null);
    expect(closed).toEqual(['first', 'second']);
    expect(transformArray(HELPER_START_SIZE).buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('starts only when a buffer of HELPER_START_SIZE doubles is first asked for, and only once', () => {
    let starts = 0;
    installWorkHelper(() => {
      starts++;
      return { post: (task) => runHelperTask(task) };
    });
    // Pink noise's largest transforms (2^19 points): no thread for them.
    const small = new FftPlan(2 ** 19).forwardReal(noise(2 ** 19, 1), 0, 2 ** 19);
    expect(starts).toBe(0);
    expect(small.buffer).toBeInstanceOf(ArrayBuffer);
    expect(transformArray(HELPER_START_SIZE - 1).buffer).toBeInstanceOf(ArrayBuffer);
    expect(transformArray(HELPER_START_SIZE).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(starts).toBe(1);
    // From then on every buffer large enough to share is shared memory, the pool's included.
    expect(workBuffer(1, 2 ** 19 + 2).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(transformArray(1000).buffer).toBeInstanceOf(ArrayBuffer);
    transformArray(HELPER_START_SIZE);
    expect(starts).toBe(1);
  });

  it('that cannot be started leaves every transform to the caller, and is not tried again', () => {
    const size = 2 ** 20;
    const signal = noise(size, 11);
    const expected = alone(size, signal);
    let starts = 0;
    installWorkHelper(() => {
      starts++;
      return null;
    });
    const plan = new FftPlan(size);
    const spectrum = plan.forwardReal(signal, 0, size);
    expect(spectrum.buffer).toBeInstanceOf(ArrayBuffer);
    expect(differing(spectrum, expected.spectrum)).toBe(0);
    plan.forwardReal(signal, 0, size);
    expect(starts).toBe(1);
  }, 120_000);
});

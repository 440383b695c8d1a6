/**
 * A second thread that takes a share of the analysis' largest loops (`installWorkHelper`): the
 * steps and the real split and merge passes of the whole-capture transforms (fft.ts), the per-bin
 * pass between them (cross-correlation.ts) and the octave-band filters of an impulse response
 * (room-decay.ts). A loop is cut into units (a block of a transform's columns, one octave band),
 * which both threads claim a chunk at a time from a shared counter. A unit's result depends on its
 * inputs alone, so the result is the same bit for bit whoever runs which chunk, and a helper that is
 * slow to start or busy only means the caller does more of it itself. Only shared memory can be
 * shared: the inputs and outputs of shared units are allocated in it once a helper runs
 * (`sharedArray`, fft.ts' `transformArray`). Without one (the app's worker has no
 * SharedArrayBuffer: it is not cross-origin isolated), every unit runs on the calling thread, as
 * before. A chunk that throws, or a helper that stops in the middle of one, ends the loop with an
 * error (never a half-written result) and drops the helper.
 *
 * The helper runs a unit by its kernel's name: each kernel is defined (`defineKernel`) in a module
 * that both threads load (the CLI's helper script imports them all).
 */

/** Runs units [first, end) of a loop over `arrays` (in shared memory) with `params`. */
export type KernelRun = (arrays: readonly Float64Array[], params: readonly number[], first: number, end: number) => void;

export interface Kernel {
  readonly name: string;
  readonly run: KernelRun;
}

const kernels = new Map<string, KernelRun>();

/** Registers the kernel `name` on this thread (once per module evaluation, as the module that owns it loads). */
export function defineKernel(name: string, run: KernelRun): Kernel {
  if (kernels.has(name)) throw new Error(`the shared kernel "${name}" is defined twice`);
  kernels.set(name, run);
  return { name, run };
}

export interface WorkHelper {
  /** Hands `task` to the other thread, which calls `runHelperTask(task)`; returns without waiting. */
  post(task: HelperTask): void;
  /** Stops the thread (called when the helper is dropped or replaced). */
  close?(): void;
}

/** One shared loop: what both threads need to claim and run its chunks. */
export interface HelperTask {
  /** The kernel's name (see defineKernel). */
  readonly kernel: string;
  /** What the units read and write, in shared memory. */
  readonly arrays: readonly Float64Array[];
  readonly params: readonly number[];
  readonly units: number;
  /**
   * Shared [claim, done, failed, helped]: claim = generation·2^CHUNK_BITS + the next chunk; done =
   * chunks of this loop finished; failed = 1 once a chunk threw; helped = chunks the helper ran in all.
   */
  readonly control: Int32Array;
  readonly generation: number;
  readonly chunks: number;
}

/** Chunks per shared loop, at most: small enough for the two threads to end together, large enough that claiming costs nothing. */
const MAX_CHUNKS = 32;
/** The claim word's low bits count chunks (up to 63); the rest, 25 bits, the loop's generation. */
const CHUNK_BITS = 6;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
const GENERATIONS = 2 ** (31 - CHUNK_BITS);
const CLAIM = 0;
const DONE = 1;
const FAILED = 2;
const HELPED = 3;
/** A helper that finishes no chunk for this long is taken to have stopped (a chunk takes milliseconds at most). */
const HELPER_STALL_MS = 20_000;

/**
 * The helper is started when a buffer this large is first asked for (a whole-capture transform: a
 * capture longer than 16 s at 48 kHz), not before: starting a thread slows the calling one by
 * about 25 ms here (the two share the machine's cores with V8's compiler), more than an analysis
 * gains whose largest transforms are a few of 2^19 points (pink noise's period, 10 ms each).
 */
export const HELPER_START_SIZE = 2 ** 20;

let startHelper: (() => WorkHelper | null) | null = null;
let helper: WorkHelper | null = null;
let control: Int32Array | null = null;
let generation = 0;
/** A loop started (startUnits) and not yet finished: loops run inside it are not shared. */
let open = false;

/** Whether `array` lives in shared memory (false wherever SharedArrayBuffer does not exist). */
export function isShared(array: Float64Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && array.buffer instanceof SharedArrayBuffer;
}

/**
 * From now on, `start` is called when the first buffer of HELPER_START_SIZE doubles or more is
 * asked for (`helperFor`), and the helper it returns (null: none) takes a share of every shared
 * loop after. A helper already running is closed. `installWorkHelper(null)`: no helper from now on.
 */
export function installWorkHelper(start: (() => WorkHelper | null) | null): void {
  const previous = helper;
  startHelper = start;
  helper = null;
  control = null;
  open = false;
  previous?.close?.();
}

/** Drops `which` if it is the running helper (its thread stopped): the loops after run on the calling thread alone. */
export function dropWorkHelper(which: WorkHelper): void {
  if (helper === which) installWorkHelper(null);
}

/** How many chunks the running helper has run since it started (0 without one): for tests and checks. */
export function helperChunks(): number {
  return control ? Atomics.load(control, HELPED) : 0;
}

/** Starts the helper (see installWorkHelper) if a buffer of `length` doubles calls for it; returns whether one runs. */
export function helperFor(length: number): boolean {
  if (helper === null && startHelper !== null && length >= HELPER_START_SIZE) {
    const start = startHelper;
    startHelper = null;
    helper = start();
    control = helper ? new Int32Array(new SharedArrayBuffer(16)) : null;
  }
  return helper !== null;
}

/** A zeroed Float64Array of `length` doubles, in shared memory if a helper runs (one is not started for it). */
export function sharedArray(length: number): Float64Array {
  return helper !== null ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
}

/** On the helper thread: claims and runs chunks of `task` until none is left. A kernel this thread does not know claims nothing (the caller runs it all). */
export function runHelperTask(task: HelperTask): void {
  const run = kernels.get(task.kernel);
  if (run) claimChunks(task, (first, end) => run(task.arrays, task.params, first, end), HELPED);
}

/**
 * Claims chunks of `task` one at a time and runs their units with `run`, until the loop is over or
 * all are claimed; `count` ≥ 0: the control word that counts them (the helper's).
 */
function claimChunks(task: HelperTask, run: (first: number, end: number) => void, count = -1): void {
  const { control: shared, generation: mine, chunks, units } = task;
  for (;;) {
    const word = Atomics.load(shared, CLAIM);
    const chunk = word & CHUNK_MASK;
    // A message that came late (its loop is over, or another one is open) claims nothing.
    if (word >>> CHUNK_BITS !== mine || chunk >= chunks) return;
    if (Atomics.compareExchange(shared, CLAIM, word, word + 1) !== word) continue;
    try {
      run(Math.floor((chunk * units) / chunks), Math.floor(((chunk + 1) * units) / chunks));
      if (count >= 0) Atomics.add(shared, count, 1);
    } catch (error) {
      // The chunk may be half written: the caller must not use the loop's results (see UnitsJob.finish).
      Atomics.store(shared, FAILED, 1);
      throw error;
    } finally {
      Atomics.add(shared, DONE, 1);
      Atomics.notify(shared, DONE);
    }
  }
}

/** Waits until `done` chunks of the loop are finished; false if no chunk finished for HELPER_STALL_MS. */
function awaitDone(shared: Int32Array, done: number): boolean {
  let seen = Atomics.load(shared, DONE);
  let since = Date.now();
  while (seen < done) {
    Atomics.wait(shared, DONE, seen, 1000);
    const now = Atomics.load(shared, DONE);
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (Date.now() - since > HELPER_STALL_MS) return false;
  }
  return true;
}

/** A loop handed to the helper (startUnits): `finish` runs what is left of it here and returns when all of it is done. */
export interface UnitsJob {
  finish(): void;
}

/**
 * Starts units [0, units) of `kernel`: handed to the helper at once when one runs, no other loop is
 * open and every array is in shared memory; `finish()` then claims the chunks left, waits for the
 * helper's, and returns when every unit is done. Otherwise `finish()` runs them all here. Between
 * the two, the caller may do other work (loops it runs are not shared), but must not read what the
 * units write. `local` runs units on this thread (default: the kernel's own run).
 */
export function startUnits(kernel: Kernel, arrays: readonly Float64Array[], params: readonly number[], units: number, local: (first: number, end: number) => void = (first, end) => kernel.run(arrays, params, first, end)): UnitsJob {
  if (helper === null || open || units < 2 || !arrays.every(isShared)) return { finish: () => local(0, units) };
  const shared = control as Int32Array;
  const running = helper;
  generation = (generation + 1) % GENERATIONS;
  const task: HelperTask = { kernel: kernel.name, arrays, params, units, control: shared, generation, chunks: Math.min(MAX_CHUNKS, units) };
  // Every chunk of the last loop is done (see finish), so nobody touches these until the claim opens.
  Atomics.store(shared, DONE, 0);
  Atomics.store(shared, FAILED, 0);
  Atomics.store(shared, CLAIM, generation << CHUNK_BITS);
  open = true;
  running.post(task);
  return {
    finish(): void {
      // Still open while this thread runs its chunks: a loop a unit runs here (an octave band's
      // radix-3 transform over shared scratch) must not open another and take the control word
      // over, which ended this one early with the rest of its units never run (bands left zero).
      try {
        claimChunks(task, local);
      } catch (error) {
        // Close the loop, wait for what the helper claimed of it (not for chunks nobody will run),
        // and drop the helper: its buffers may hold a half-written chunk of ours.
        const claimed = Math.min(task.chunks, Atomics.exchange(shared, CLAIM, (task.generation << CHUNK_BITS) | task.chunks) & CHUNK_MASK);
        awaitDone(shared, claimed);
        open = false;
        dropWorkHelper(running);
        throw error;
      }
      open = false;
      // The helper may still be running chunks it claimed: wait for them (it notifies after each).
      const finished = awaitDone(shared, task.chunks);
      // Never a number from a half-written chunk: the analysis stops with an error instead.
      if (!finished || Atomics.load(shared, FAILED) !== 0) {
        dropWorkHelper(running);
        throw new Error(finished ? 'the helper thread failed in the middle of a shared computation' : `the helper thread stopped in the middle of a shared computation (no progress for ${HELPER_STALL_MS / 1000} s)`);
      }
    },
  };
}

/** All units of `kernel` (see startUnits), shared with the helper when it can be; returns when they are done. */
export function runUnits(kernel: Kernel, arrays: readonly Float64Array[], params: readonly number[], units: number, local?: (first: number, end: number) => void): void {
  startUnits(kernel, arrays, params, units, local).finish();
}

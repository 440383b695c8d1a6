/**
 * The helper thread that shares the analysis' largest loops with the calling thread (see
 * shared/primitives/shared-work.ts): a minute's sweep's four whole-capture transforms and its
 * impulse response's octave-band filters. The results are the same bit for bit with or without it.
 * LATENCY_LAB_THREADS=1 (that value only) runs everything on one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { dropWorkHelper, installWorkHelper, type WorkHelper } from '../../shared/primitives/shared-work';

/**
 * Lets the analysis start a helper from `script` (the built transform-helper.mjs) when the first
 * whole-capture transform comes (HELPER_START_SIZE). The thread does not keep the process alive.
 * One that fails to start only means everything runs on this thread (the caller never waits for a
 * chunk nobody claimed); one that stops or fails in the middle of a chunk ends the analysis with
 * an internal error rather than a half-computed number (see startUnits).
 */
export function useWorkHelper(script: URL): void {
  if (process.env.LATENCY_LAB_THREADS === '1' || availableParallelism() < 2) return;
  installWorkHelper((): WorkHelper | null => {
    let worker: Worker;
    try {
      // Node's own flags, but not --input-type (a wrapper's `node --input-type=module -e`), which a worker given a file refuses.
      worker = new Worker(script, { execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')) });
    } catch {
      return null;
    }
    worker.unref();
    const helper: WorkHelper = {
      post: (task) => worker.postMessage(task),
      close: () => void worker.terminate(),
    };
    // Seen only once the analysis yields (it is synchronous): for the transforms of a later one.
    worker.on('error', () => dropWorkHelper(helper));
    worker.on('exit', () => dropWorkHelper(helper));
    return helper;
  });
}

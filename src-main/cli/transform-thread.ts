/**
 * The helper thread that shares the analysis' large FFTs with the calling thread (see
 * TransformHelper in shared/primitives/fft.ts): on a machine with two cores or more, a minute's
 * sweep takes about 0.1 s less (its four whole-capture transforms, a little over half the time
 * each). The results are the same bit for bit with or without it. LATENCY_LAB_THREADS=1 (that
 * value only) runs everything on one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { dropTransformHelper, installTransformHelper, type TransformHelper } from '../../shared/primitives/fft';

/**
 * Lets the transforms start a helper from `script` (the built transform-helper.mjs) when the first
 * whole-capture transform comes (HELPER_START_SIZE). The thread does not keep the process alive.
 * One that fails to start only means the transforms run on this thread (the caller never waits
 * for a chunk nobody claimed); one that stops or fails in the middle of a chunk ends the analysis
 * with an internal error rather than a half-computed number (see runShared).
 */
export function useTransformHelper(script: URL): void {
  if (process.env.LATENCY_LAB_THREADS === '1' || availableParallelism() < 2) return;
  installTransformHelper((): TransformHelper | null => {
    let worker: Worker;
    try {
      // Node's own flags, but not --input-type (a wrapper's `node --input-type=module -e`), which a worker given a file refuses.
      worker = new Worker(script, { execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')) });
    } catch {
      return null;
    }
    worker.unref();
    const helper: TransformHelper = {
      post: (task) => worker.postMessage(task),
      close: () => void worker.terminate(),
    };
    // Seen only once the analysis yields (it is synchronous): for the transforms of a later one.
    worker.on('error', () => dropTransformHelper(helper));
    worker.on('exit', () => dropTransformHelper(helper));
    return helper;
  });
}

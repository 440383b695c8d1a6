/**
 * The CLI's transform helper thread (built to out/cli/transform-helper.mjs, started by
 * transform-thread.ts): it takes a share of every large FFT the analysis runs (see
 * TransformHelper in shared/primitives/fft.ts).
 */
import { parentPort } from 'node:worker_threads';
import { runTransformTask, type TransformTask } from '../../shared/primitives/fft';

parentPort?.on('message', (task: TransformTask) => runTransformTask(task));

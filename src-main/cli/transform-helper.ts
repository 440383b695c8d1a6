/**
 * The CLI's helper thread (built to out/cli/transform-helper.mjs, started by transform-thread.ts):
 * it takes a share of the analysis' largest loops: the whole-capture transforms' steps and passes,
 * the per-bin pass between them, and an impulse response's octave-band filters (see
 * shared/primitives/shared-work.ts). Every module that defines a shared kernel is imported here, so
 * that this thread knows them all.
 */
import { parentPort } from 'node:worker_threads';
import '../../shared/primitives/fft';
import '../../shared/dsp/cross-correlation';
import '../../shared/analysis/room-decay';
import { type HelperTask, runHelperTask } from '../../shared/primitives/shared-work';

parentPort?.on('message', (task: HelperTask) => runHelperTask(task));

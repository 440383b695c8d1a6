/**
 * Typed access to the analysis worker. Arguments' buffers are transferred (the caller's arrays are
 * detached until they come back in the response). `cancel()` terminates the worker at once; the
 * next call starts a fresh one.
 */
import { transferablesOf, type WorkerMethod, type WorkerMethods, type WorkerReply } from './worker-contract';

export class WorkerCancelledError extends Error {
  constructor() {
    super('The analysis was cancelled.');
    this.name = 'WorkerCancelledError';
  }
}

export interface AnalysisClient {
  call<M extends WorkerMethod>(method: M, params: WorkerMethods[M]['params']): Promise<WorkerMethods[M]['response']>;
  cancel(): void;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export function createAnalysisClient(makeWorker: () => Worker = () => new Worker(new URL('./analysis-worker.ts', import.meta.url), { type: 'module', name: 'latency-lab-analysis' })): AnalysisClient {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const start = (): Worker => {
    const w = makeWorker();
    w.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error));
    };
    w.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`The analysis worker failed: ${event.message || 'unknown error'}`);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      worker?.terminate();
      worker = null;
    };
    return w;
  };

  return {
    call(method, params) {
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        try {
          w.postMessage({ id, method, params }, transferablesOf(params));
        } catch (error) {
          // E.g. a DataCloneError for a buffer that is already detached: fail this call, not the worker.
          pending.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    cancel() {
      worker?.terminate();
      worker = null;
      for (const p of pending.values()) p.reject(new WorkerCancelledError());
      pending.clear();
    },
  };
}

/// <reference lib="webworker" />
// The analysis worker: dispatch only. The methods are in worker-handlers.ts, the contract in
// worker-contract.ts. Results go back with their buffers transferred, not copied.
import { transferablesOf, type WorkerReply, type WorkerRequest } from './worker-contract';
import { handlers } from './worker-handlers';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const { id, method, params } = event.data;
  let reply: WorkerReply;
  try {
    const handler = handlers[method] as (p: typeof params) => WorkerReply extends { result: infer R } ? R : never;
    const result = handler(params);
    reply = { id, ok: true, result };
  } catch (error) {
    reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(reply, transferablesOf(reply));
};

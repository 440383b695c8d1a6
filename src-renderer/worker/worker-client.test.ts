import { describe, expect, it } from 'vitest';
import { resolveStimulusSpec } from '../../shared/stimulus/stimulus';
import { createAnalysisClient, WorkerCancelledError } from './worker-client';
import { transferablesOf, type WorkerReply, type WorkerRequest } from './worker-contract';

/** A stand-in for a Worker: records what is posted and lets the test answer. */
class FakeWorker {
  static created: FakeWorker[] = [];
  posted: Array<{ message: WorkerRequest; transfer: Transferable[] }> = [];
  terminated = false;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;

  constructor() {
    FakeWorker.created.push(this);
  }

  postMessage(message: WorkerRequest, transfer: Transferable[] = []) {
    this.posted.push({ message, transfer });
  }

  terminate() {
    this.terminated = true;
  }

  reply(reply: WorkerReply) {
    this.onmessage?.({ data: reply } as MessageEvent<WorkerReply>);
  }

  fail(message: string) {
    let prevented = false;
    this.onerror?.({ message, preventDefault: () => (prevented = true) } as unknown as ErrorEvent);
    return prevented;
  }
}

function setup() {
  FakeWorker.created = [];
  const client = createAnalysisClient(() => new FakeWorker() as unknown as Worker);
  return { client, worker: () => FakeWorker.created[FakeWorker.created.length - 1] };
}

const analyzeParams = () => ({ reference: new Float32Array(16), capture: new Float32Array(32), sampleRate: 48000, options: { maxLatencyMs: 500 } });

describe('analysis worker client', () => {
  it('starts the worker lazily, numbers requests and transfers the params\' buffers', async () => {
    const { client, worker } = setup();
    expect(FakeWorker.created).toHaveLength(0);
    const params = analyzeParams();
    const pending = client.call('analyze', params);
    const spec = resolveStimulusSpec({ signal: 'click', durationS: 2 });
    const pending2 = client.call('generateStimulus', spec);
    expect(FakeWorker.created).toHaveLength(1);
    const [first, second] = worker().posted;
    expect(first.message.id).not.toBe(second.message.id);
    expect(first.message.method).toBe('analyze');
    expect(first.transfer).toContain(params.reference.buffer);
    expect(first.transfer).toContain(params.capture.buffer);
    expect(first.transfer).toHaveLength(2);
    expect(second.transfer).toHaveLength(0);

    // Replies are matched by id, in any order.
    const samples = new Float32Array(4);
    worker().reply({ id: second.message.id, ok: true, result: { samples } });
    await expect(pending2).resolves.toEqual({ samples });
    const response = { output: { status: 'refused' as const, warnings: [], error: { code: 'SILENT_CAPTURE' as const, message: 'silent', advice: 'check the microphone' } }, zoom: null, events: [], reference: params.reference, capture: params.capture };
    worker().reply({ id: first.message.id, ok: true, result: response });
    await expect(pending).resolves.toBe(response);
  });

  it('rejects a call whose handler threw, with the worker\'s message', async () => {
    const { client, worker } = setup();
    const pending = client.call('analyze', analyzeParams());
    worker().reply({ id: worker().posted[0].message.id, ok: false, error: 'sample rate must be positive' });
    await expect(pending).rejects.toThrow('sample rate must be positive');
  });

  it('rejects every pending call when the worker fails, and the next call starts a new worker', async () => {
    const { client, worker } = setup();
    const a = client.call('analyze', analyzeParams());
    const b = client.call('analyze', analyzeParams());
    const failed = worker();
    expect(failed.fail('out of memory')).toBe(true);
    await expect(a).rejects.toThrow(/analysis worker failed: out of memory/);
    await expect(b).rejects.toThrow(/out of memory/);
    expect(failed.terminated).toBe(true);
    void client.call('analyze', analyzeParams());
    expect(FakeWorker.created).toHaveLength(2);
  });

  it('cancel terminates the worker, rejects pending calls with WorkerCancelledError, and a later call starts a new worker', async () => {
    const { client, worker } = setup();
    const pending = client.call('analyze', analyzeParams());
    const first = worker();
    client.cancel();
    await expect(pending).rejects.toBeInstanceOf(WorkerCancelledError);
    expect(first.terminated).toBe(true);
    // A late reply from the terminated worker is ignored.
    first.reply({ id: first.posted[0].message.id, ok: false, error: 'late' });
    const next = client.call('generateStimulus', resolveStimulusSpec({ signal: 'click', durationS: 1 }));
    expect(FakeWorker.created).toHaveLength(2);
    expect(worker()).not.toBe(first);
    worker().reply({ id: worker().posted[0].message.id, ok: true, result: { samples: new Float32Array(1) } });
    await expect(next).resolves.toHaveProperty('samples');
    client.cancel();
    client.cancel();
  });

  it('a call whose params cannot be posted rejects without leaving anything pending', async () => {
    const { client, worker } = setup();
    const pending = client.call('analyze', analyzeParams());
    worker().postMessage = () => {
      throw new DOMException('An ArrayBuffer is detached and could not be cloned.', 'DataCloneError');
    };
    await expect(client.call('analyze', analyzeParams())).rejects.toThrow(/detached/);
    worker().reply({ id: worker().posted[0].message.id, ok: false, error: 'first still answered' });
    await expect(pending).rejects.toThrow('first still answered');
  });

  it('transferablesOf finds nested typed arrays once each', () => {
    const a = new Float32Array(8);
    const view = new Float32Array(a.buffer, 4, 2);
    const b = new Float64Array(3);
    const found = transferablesOf({ a, nested: { view, list: [b, 1, 'x'] }, n: 3 });
    expect(found).toHaveLength(2);
    expect(found).toContain(a.buffer);
    expect(found).toContain(b.buffer);
  });
});

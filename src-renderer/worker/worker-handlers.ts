/** The analysis worker's methods, as plain functions (tested without a worker). */
import { analyzeCapture } from '../../shared/analyze-capture';
import { correlationZoom } from '../../shared/correlation-zoom';
import { describeStimulus, isRefusal } from '../../shared/stimulus-layout';
import { generateStimulus } from '../../shared/stimulus';
import type { WorkerMethods } from './worker-contract';

type Handlers = { [M in keyof WorkerMethods]: (params: WorkerMethods[M]['params']) => WorkerMethods[M]['response'] };

export const handlers: Handlers = {
  analyze({ reference, capture, sampleRate, options }) {
    const output = analyzeCapture(reference, capture, sampleRate, options);
    const layout = options.events ? null : describeStimulus(reference, sampleRate, { kind: options.kind });
    const events = options.events ?? (layout && !isRefusal(layout) ? layout.events : []);
    let zoom = null;
    const latency = output.latency;
    if (output.status === 'ok' && latency) {
      // The confident event whose latency is closest to the median.
      let best = -1;
      latency.events.forEach((e, i) => {
        if (e.status !== 'ok' || e.latencyMs === null) return;
        if (best < 0 || Math.abs(e.latencyMs - latency.medianMs) < Math.abs((latency.events[best].latencyMs as number) - latency.medianMs)) best = i;
      });
      if (best >= 0 && events[best]) {
        const lagFrames = ((latency.events[best].latencyMs as number) / 1000) * sampleRate;
        zoom = correlationZoom(reference, capture, sampleRate, events[best], best, lagFrames, { weighting: options.weighting ?? 'phat' });
      }
    }
    return { output, zoom, events, reference, capture };
  },
  generateStimulus(spec) {
    return { samples: generateStimulus(spec) };
  },
};

/** The analysis worker's methods, as plain functions (tested without a worker). */
import { analyzeCapture } from '../../shared/analysis/analyze-capture';
import { judgeAnalysis } from '../../shared/claims/judge';
import { zoomForAnalysis } from '../../shared/analysis/correlation-zoom';
import { describeStimulus, isRefusal } from '../../shared/analysis/stimulus-layout';
import { generateStimulus } from '../../shared/stimulus/stimulus';
import type { WorkerMethods } from './worker-contract';

type Handlers = { [M in keyof WorkerMethods]: (params: WorkerMethods[M]['params']) => WorkerMethods[M]['response'] };

export const handlers: Handlers = {
  analyze({ reference, capture, sampleRate, options }) {
    const output = judgeAnalysis(analyzeCapture(reference, capture, sampleRate, options), options);
    const layout = options.events ? null : describeStimulus(reference, sampleRate, { kind: options.kind });
    const events = options.events ?? (layout && !isRefusal(layout) ? layout.events : []);
    const zoom = zoomForAnalysis(reference, capture, sampleRate, output, events, options.weighting ?? 'phat');
    return { output, zoom, events, reference, capture };
  },
  generateStimulus(spec) {
    return { samples: generateStimulus(spec) };
  },
};

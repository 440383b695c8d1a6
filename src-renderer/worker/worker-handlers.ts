/** The analysis worker's methods, as plain functions (tested without a worker). */
import { measureCapture } from '../../shared/analysis/analyze-capture';
import { judgeAnalysis } from '../../shared/claims/judge';
import { generateStimulus } from '../../shared/stimulus/stimulus';
import { analyzeMultiOutput } from '../../shared/analysis/multi-output';
import { analyzeMultiSpeaker } from '../../shared/analysis/multi-speaker';
import { generateMultiOutputReference } from '../../shared/stimulus/multi-output';
import { analyzeAvRecording } from '../../shared/av/av-analysis';
import { calibrateAvCamera } from '../../shared/av/av-calibration';
import { judgeAvAnalysis } from '../../shared/claims/av-judge';
import type { WorkerMethods } from './worker-contract';

type Handlers = { [M in keyof WorkerMethods]: (params: WorkerMethods[M]['params']) => WorkerMethods[M]['response'] };

export const handlers: Handlers = {
  analyze({ reference, capture, sampleRate, options }) {
    const pass = measureCapture(reference, capture, sampleRate, options);
    const output = judgeAnalysis(pass.output, options);
    return { output, zoom: pass.zoom, events: pass.events, reference, capture };
  },
  analyzeOutputs({ channels, capture, sampleRate, options }) {
    return { output: analyzeMultiOutput(channels, capture, sampleRate, options), channels, capture };
  },
  analyzeSpeakers({ reference, capture, sampleRate, options }) {
    return { output: analyzeMultiSpeaker(reference, capture, sampleRate, options), reference, capture };
  },
  generateStimulus(spec) {
    return { samples: generateStimulus(spec) };
  },
  generateMultiOutput(spec) {
    const { channels, clickFrames } = generateMultiOutputReference(spec);
    return { channels, clickFrames };
  },
  analyzeAv({ video, audio, options }) {
    return { output: judgeAvAnalysis(analyzeAvRecording(video, audio, options)) };
  },
  calibrateAv({ video, audio, options }) {
    return { output: calibrateAvCamera(video, audio, options) };
  },
};

/**
 * A/V bench: decoding and analysing a camera recording of the pattern (simulated 240 fps 1080p,
 * H.264 + AAC), with progress and a cancel deadline. The recording is made once and kept in
 * bench-results/ (encoding it takes longer than analysing it).
 *
 *   benchAv({ durationS: 60 })  // the 60 s 240 fps 1080p case: target ≤ 2 × the recording's length
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeAvRecording } from '../../shared/av/av-analysis';
import { simulateAvCamera } from '../../shared/simulation/av-camera';
import { decodeRecording, writeMp4 } from '../cli/av-media';

export interface AvBenchRow {
  case: string;
  recordingS: number;
  decodeS: number;
  analyseS: number;
  totalS: number;
  realtimeFactor: number;
  target: string;
  offsetErrorMs: number;
  uncertaintyMs: number;
}

export async function benchAv(options: { durationS?: number; fps?: number; width?: number; height?: number; dir?: string; print?: (line: string) => void } = {}): Promise<AvBenchRow[]> {
  const durationS = options.durationS ?? 60;
  const fps = options.fps ?? 240;
  const width = options.width ?? 1920;
  const height = options.height ?? 1080;
  const print = options.print ?? ((line: string) => console.log(line));
  const dir = options.dir ?? 'bench-results';
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `av-${fps}fps-${height}p-${durationS}s.mp4`);
  const sim = simulateAvCamera({ seed: 5, durationS, cameraFps: fps, width, height, videoLatencyS: 0.035, audioLatencyS: 0.12, displayPpm: 1000, cameraOffsetMs: 0, pixelNoise: 1.5 });
  if (!existsSync(path)) {
    print(`making ${path} (${sim.timestampsS.length} frames; once) ...`);
    await writeMp4(path, { width, height, fps, frameCount: sim.timestampsS.length, timestampS: (i) => sim.timestampsS[i], renderLuma: sim.renderLuma, audio: sim.audio.samples, sampleRate: sim.audio.sampleRate, bitrate: 12_000_000 });
  }
  // Cancel: a deadline of 4 × the target, so a regression cannot hang the bench.
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 4 * 2 * durationS * 1000);
  const start = performance.now();
  let lastPrinted = -1;
  const decoded = await decodeRecording(path, (p) => {
    const step = Math.floor(p.fraction * 10);
    if (step > lastPrinted) {
      lastPrinted = step;
      print(`  decoding ${(100 * p.fraction).toFixed(0)} % (${p.framesDecoded} frames, ${((performance.now() - start) / 1000).toFixed(1)} s)`);
    }
  }, controller.signal);
  const decodedAt = performance.now();
  const output = analyzeAvRecording(decoded.video, decoded.audio, { cameraOffsetMs: 0, timestampResolutionS: decoded.timestampResolutionS });
  const end = performance.now();
  clearTimeout(deadline);
  if (output.status !== 'ok' || !output.av) throw new Error(`bench recording refused: ${output.error?.code} ${output.error?.message}`);
  const totalS = (end - start) / 1000;
  const row: AvBenchRow = {
    case: `${durationS} s, ${fps} fps, ${width}×${height}, H.264 + AAC`,
    recordingS: durationS,
    decodeS: (decodedAt - start) / 1000,
    analyseS: (end - decodedAt) / 1000,
    totalS,
    realtimeFactor: totalS / durationS,
    target: '≤ 2 × recording',
    offsetErrorMs: output.av.offsetMs - sim.trueOffsetMs,
    uncertaintyMs: output.av.uncertaintyMs,
  };
  print(`| ${row.case} | decode ${row.decodeS.toFixed(1)} s | analyse ${row.analyseS.toFixed(2)} s | total ${row.totalS.toFixed(1)} s = ${row.realtimeFactor.toFixed(2)} × the recording (target ≤ 2) | error ${row.offsetErrorMs.toFixed(2)} ms, ± ${row.uncertaintyMs.toFixed(2)} ms |`);
  return [row];
}

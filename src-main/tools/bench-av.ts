/**
 * A/V bench: decoding and analysing a camera recording of the pattern (simulated 240 fps 1080p,
 * H.264 + AAC), with progress and a cancel deadline. The recording is made once and kept in
 * bench-results/ (encoding it takes longer than analysing it).
 *
 *   benchAv({ durationS: 60 })  // the 60 s 240 fps 1080p case: target ≤ 2 × the recording's length
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
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
  /** CPU time of the process (all its threads), seconds, and per second of recording. */
  cpuS: number;
  cpuFactor: number;
  /** The machine's cores and its 1-minute load average when the run started (other work slows the wall-clock figure). */
  cores: number;
  loadAverage: number;
  /** Largest resident set size seen while decoding (at each progress report), MB. */
  peakRssMb: number;
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
    // Written under another name and renamed when complete, so an interrupted run leaves no half file.
    const partial = `${path}.partial.mp4`;
    let lastStep = -1;
    try {
      await writeMp4(partial, { width, height, fps, frameCount: sim.timestampsS.length, timestampS: (i) => sim.timestampsS[i], renderLuma: sim.renderLuma, audio: sim.audio.samples, sampleRate: sim.audio.sampleRate, bitrate: 12_000_000 }, (fraction) => {
        const step = Math.floor(fraction * 10);
        if (step > lastStep) {
          lastStep = step;
          print(`  encoding ${(100 * fraction).toFixed(0)} %`);
        }
      });
      renameSync(partial, path);
    } finally {
      rmSync(partial, { force: true });
    }
  }
  // Cancel: a deadline of 4 × the target, so a regression cannot hang the bench.
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 4 * 2 * durationS * 1000);
  const loadAverage = loadavg()[0];
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let lastPrinted = -1;
  let peakRss = process.memoryUsage().rss;
  const decoded = await decodeRecording(path, (p) => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const step = Math.floor(p.fraction * 10);
    if (step > lastPrinted) {
      lastPrinted = step;
      print(`  decoding ${(100 * p.fraction).toFixed(0)} % (${p.framesDecoded} frames, ${((performance.now() - start) / 1000).toFixed(1)} s)`);
    }
  }, controller.signal);
  const decodedAt = performance.now();
  const output = analyzeAvRecording(decoded.video, decoded.audio, { cameraOffsetMs: 0, timestampResolutionS: decoded.timestampResolutionS });
  const end = performance.now();
  const cpu = process.cpuUsage(cpuStart);
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
    cpuS: (cpu.user + cpu.system) / 1e6,
    cpuFactor: (cpu.user + cpu.system) / 1e6 / durationS,
    cores: availableParallelism(),
    loadAverage,
    peakRssMb: peakRss / 1e6,
    target: '≤ 2 × recording',
    offsetErrorMs: output.av.offsetMs - sim.trueOffsetMs,
    uncertaintyMs: output.av.uncertaintyMs,
  };
  print(`| ${row.case} | decode ${row.decodeS.toFixed(1)} s | analyse ${row.analyseS.toFixed(2)} s | total ${row.totalS.toFixed(1)} s = ${row.realtimeFactor.toFixed(2)} × the recording (target ≤ 2) | CPU ${row.cpuS.toFixed(1)} s = ${row.cpuFactor.toFixed(2)} × (${row.cores} cores, load ${row.loadAverage.toFixed(1)} at the start) | peak ${row.peakRssMb.toFixed(0)} MB | error ${row.offsetErrorMs.toFixed(2)} ms, ± ${row.uncertaintyMs.toFixed(2)} ms |`);
  return [row];
}

/**
 * Builds the capture the analysis needs from the worklet's frame-tagged chunks: sample i of the
 * result is the input at context frame `startFrame + i`, where `startFrame` (F0) is the frame at
 * which playback of reference sample 0 was scheduled. Chunks may start before F0 (they are
 * trimmed), run past the end (trimmed), arrive late or out of order (placed by their tag), or be
 * missing (the frames stay silent and are reported as gaps, never shifted).
 */

export interface TaggedChunk {
  /** Context frame of samples[0]. */
  startFrame: number;
  /** The mono input, or the first channel of a multichannel capture. */
  samples: Float32Array;
  /** A multichannel capture: every channel (`channels[0]` is `samples`). */
  channels?: Float32Array[];
}

export interface FrameGap {
  /** First missing frame, relative to F0. */
  startFrame: number;
  lengthFrames: number;
}

export interface AssembledCapture {
  samples: Float32Array;
  /** Frames of the window no chunk covered (left silent). */
  missingFrames: number;
  gaps: FrameGap[];
}

interface Interval {
  start: number;
  end: number;
}

export class CaptureAssembler {
  readonly startFrame: number;
  readonly lengthFrames: number;
  private readonly samples: Float32Array;
  /** Covered ranges relative to F0, sorted and merged. */
  private covered: Interval[] = [];

  constructor(startFrame: number, lengthFrames: number) {
    if (!Number.isInteger(startFrame)) throw new RangeError(`capture start must be a whole frame, got ${startFrame}`);
    if (!(Number.isInteger(lengthFrames) && lengthFrames > 0)) throw new RangeError(`capture length must be a positive whole number of frames, got ${lengthFrames}`);
    this.startFrame = startFrame;
    this.lengthFrames = lengthFrames;
    this.samples = new Float32Array(lengthFrames);
  }

  /** Copies the part of the chunk inside the window. Returns the frames it added. */
  push(chunk: TaggedChunk): number {
    const rel = chunk.startFrame - this.startFrame;
    const from = Math.max(0, rel);
    const to = Math.min(this.lengthFrames, rel + chunk.samples.length);
    if (to <= from) return 0;
    this.samples.set(chunk.samples.subarray(from - rel, to - rel), from);
    return this.cover(from, to);
  }

  private cover(start: number, end: number): number {
    const before = this.coveredFrames;
    const merged: Interval[] = [];
    let next: Interval = { start, end };
    let placed = false;
    for (const iv of this.covered) {
      if (iv.end < next.start) merged.push(iv);
      else if (iv.start > next.end) {
        if (!placed) {
          merged.push(next);
          placed = true;
        }
        merged.push(iv);
      } else next = { start: Math.min(iv.start, next.start), end: Math.max(iv.end, next.end) };
    }
    if (!placed) merged.push(next);
    this.covered = merged;
    return this.coveredFrames - before;
  }

  /** Frames of the window received so far. */
  get coveredFrames(): number {
    return this.covered.reduce((n, iv) => n + iv.end - iv.start, 0);
  }

  /** Length of the gap-free run from F0 (what can be analysed already). */
  get contiguousFrames(): number {
    const first = this.covered[0];
    return first && first.start === 0 ? first.end : 0;
  }

  get complete(): boolean {
    return this.contiguousFrames === this.lengthFrames;
  }

  /** The samples received so far (shared, not copied): read-only use while recording goes on. */
  view(): Float32Array {
    return this.samples;
  }

  /** The capture, with every frame no chunk covered listed as a gap. */
  result(): AssembledCapture {
    const gaps: FrameGap[] = [];
    let at = 0;
    for (const iv of this.covered) {
      if (iv.start > at) gaps.push({ startFrame: at, lengthFrames: iv.start - at });
      at = iv.end;
    }
    if (at < this.lengthFrames) gaps.push({ startFrame: at, lengthFrames: this.lengthFrames - at });
    return { samples: this.samples, missingFrames: gaps.reduce((n, g) => n + g.lengthFrames, 0), gaps };
  }
}

/**
 * The context time to pass to `AudioBufferSourceNode.start()` so playback begins exactly at
 * `frame`: the largest double t with t·rate ≤ frame. The engine rounds the start up to a frame and
 * interpolates by the fraction; frame/rate can land one ulp above the frame (e.g. at 44.1 kHz),
 * which would start one frame late, so the time is nudged down until it does not.
 */
export function frameToTime(frame: number, sampleRate: number): number {
  let t = frame / sampleRate;
  for (let i = 0; i < 4 && t * sampleRate > frame; i++) t = previousDouble(t);
  return t;
}

function previousDouble(x: number): number {
  if (x <= 0) return x;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

/** The first render-quantum boundary at least `leadS` after `currentTime`. */
export function alignedStartFrame(currentTime: number, sampleRate: number, leadS: number, quantum = 128): number {
  return Math.ceil(((currentTime + leadS) * sampleRate) / quantum) * quantum;
}

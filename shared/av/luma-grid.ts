/**
 * Decoded video reduced to what the A/V analysis needs: the mean luma (0–255) of each cell of a
 * coarse grid over the frame, per frame, with the frame's presentation time. A 1080p frame
 * becomes 48 × 27 numbers, summed from every second pixel of every second row of its luma plane,
 * so decoding hosts keep seconds of 240 fps video in a few megabytes.
 */

export interface LumaGridVideo {
  /** Source frame size in pixels. */
  width: number;
  height: number;
  gridWidth: number;
  gridHeight: number;
  frameCount: number;
  /** frameCount × gridHeight × gridWidth cell means, row-major per frame. */
  cells: Float32Array;
  /** Presentation time of each frame (seconds, the container's timeline), or null when the source had none. */
  timestampsS: Float64Array | null;
  /** The container's nominal frame rate, used only when there are no timestamps. */
  nominalFps: number | null;
}

/** Grid columns: cells about 1/48 of the longer side. */
export const GRID_LONG_SIDE = 48;

export function gridSizeFor(width: number, height: number): { gridWidth: number; gridHeight: number } {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 2 && height >= 2)) throw new RangeError(`frame size must be at least 2 × 2 pixels, got ${width} × ${height}`);
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const cellsLong = Math.min(GRID_LONG_SIDE, Math.floor(long / 2));
  const cellsShort = Math.max(1, Math.min(Math.floor(short / 2), Math.round((short / long) * cellsLong)));
  return width >= height ? { gridWidth: cellsLong, gridHeight: cellsShort } : { gridWidth: cellsShort, gridHeight: cellsLong };
}

/**
 * Grows a LumaGridVideo frame by frame. `addLumaPlane` reads an 8-bit luma plane (I420/NV12 Y,
 * or any 8-bit grey image) with the given row stride.
 */
export class LumaGridBuilder {
  readonly gridWidth: number;
  readonly gridHeight: number;
  private cells: Float32Array;
  private times: number[] = [];
  private count = 0;
  private readonly colCell: Int32Array;
  private readonly rowCell: Int32Array;
  /** Per grid column: the first sampled pixel column (a multiple of step) and the end of its range. */
  private readonly cellXFirst: Int32Array;
  private readonly cellXEnd: Int32Array;
  private readonly cellPixels: Float64Array;
  private readonly sums: Float64Array;

  constructor(readonly width: number, readonly height: number, private readonly step = 2) {
    const { gridWidth, gridHeight } = gridSizeFor(width, height);
    this.gridWidth = gridWidth;
    this.gridHeight = gridHeight;
    this.cells = new Float32Array(gridWidth * gridHeight * 256);
    this.colCell = Int32Array.from({ length: width }, (_, x) => Math.min(gridWidth - 1, Math.floor((x * gridWidth) / width)));
    this.rowCell = Int32Array.from({ length: height }, (_, y) => Math.min(gridHeight - 1, Math.floor((y * gridHeight) / height)));
    this.cellPixels = new Float64Array(gridWidth * gridHeight);
    for (let y = 0; y < height; y += step) for (let x = 0; x < width; x += step) this.cellPixels[this.rowCell[y] * gridWidth + this.colCell[x]]++;
    this.sums = new Float64Array(gridWidth * gridHeight);
    this.cellXFirst = new Int32Array(gridWidth).fill(width);
    this.cellXEnd = new Int32Array(gridWidth);
    for (let x = 0; x < width; x += step) {
      const c = this.colCell[x];
      this.cellXFirst[c] = Math.min(this.cellXFirst[c], x);
      this.cellXEnd[c] = x + 1;
    }
  }

  get frameCount(): number {
    return this.count;
  }

  /**
   * Adds one frame. `timestampS` is its presentation time (NaN when unknown); `stride` and `offset`
   * are in samples of `luma`. A plane of more than 8 bits (a Uint16Array of 10- or 12-bit samples)
   * gives `scale` = 255 / its maximum code, so cells stay on the 0–255 scale.
   */
  addLumaPlane(luma: ArrayLike<number>, stride: number, timestampS: number, offset = 0, scale = 1): void {
    const { width, height, step, gridWidth, rowCell, sums, cellXFirst, cellXEnd } = this;
    if (stride < width || luma.length < offset + (height - 1) * stride + width) throw new RangeError('luma plane is smaller than width × height at this stride');
    if (!(scale > 0)) throw new RangeError(`luma scale must be positive, got ${scale}`);
    sums.fill(0);
    for (let y = 0; y < height; y += step) {
      const rowBase = rowCell[y] * gridWidth;
      const start = offset + y * stride;
      for (let c = 0; c < gridWidth; c++) {
        let sum = 0;
        const end = start + cellXEnd[c];
        for (let i = start + cellXFirst[c]; i < end; i += step) sum += luma[i];
        sums[rowBase + c] += sum;
      }
    }
    if (scale !== 1) for (let i = 0; i < sums.length; i++) sums[i] *= scale;
    this.push(sums, timestampS);
  }

  /** Adds one frame given as cell means directly (used by the simulation and by tests). */
  addCells(means: ArrayLike<number>, timestampS: number): void {
    if (means.length !== this.gridWidth * this.gridHeight) throw new RangeError('cell count does not match the grid');
    const sums = this.sums;
    for (let i = 0; i < sums.length; i++) sums[i] = means[i] * this.cellPixels[i];
    this.push(sums, timestampS);
  }

  private push(sums: Float64Array, timestampS: number): void {
    const size = this.gridWidth * this.gridHeight;
    if ((this.count + 1) * size > this.cells.length) {
      const grown = new Float32Array(this.cells.length * 2);
      grown.set(this.cells);
      this.cells = grown;
    }
    const base = this.count * size;
    for (let i = 0; i < size; i++) this.cells[base + i] = sums[i] / this.cellPixels[i];
    this.times.push(timestampS);
    this.count++;
  }

  /** The grid video; frames with timestamps are put in presentation order (decoders may emit B-frames out of it). */
  build(nominalFps: number | null = null): LumaGridVideo {
    const size = this.gridWidth * this.gridHeight;
    const haveTimes = this.times.length > 0 && this.times.every((t) => Number.isFinite(t));
    if (haveTimes && this.times.some((t, i) => i > 0 && t < this.times[i - 1])) {
      const order = this.times.map((_, i) => i).sort((a, b) => this.times[a] - this.times[b]);
      const sorted = new Float32Array(this.count * size);
      order.forEach((from, to) => sorted.set(this.cells.subarray(from * size, (from + 1) * size), to * size));
      this.cells = sorted;
      this.times = order.map((i) => this.times[i]);
    }
    return {
      width: this.width,
      height: this.height,
      gridWidth: this.gridWidth,
      gridHeight: this.gridHeight,
      frameCount: this.count,
      cells: this.cells.slice(0, this.count * size),
      timestampsS: haveTimes ? Float64Array.from(this.times) : null,
      nominalFps,
    };
  }
}

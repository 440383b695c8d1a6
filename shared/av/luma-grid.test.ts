import { describe, expect, it } from 'vitest';
import { createRandom } from '../primitives/random';
import { gridSizeFor, LumaGridBuilder } from './luma-grid';

/** The grid the plain way: every second pixel of every second row, summed into its cell. */
function reference(plane: ArrayLike<number>, width: number, height: number, stride: number, offset: number, scale: number): Float64Array {
  const { gridWidth, gridHeight } = gridSizeFor(width, height);
  const sums = new Float64Array(gridWidth * gridHeight);
  const counts = new Float64Array(gridWidth * gridHeight);
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const cell = Math.min(gridHeight - 1, Math.floor((y * gridHeight) / height)) * gridWidth + Math.min(gridWidth - 1, Math.floor((x * gridWidth) / width));
      sums[cell] += plane[offset + y * stride + x] * scale;
      counts[cell]++;
    }
  }
  return sums.map((s, i) => s / counts[i]);
}

describe('LumaGridBuilder', () => {
  it.each([
    [1920, 1080, 1920, 0],
    [641, 359, 704, 17], // odd sizes, a padded stride and an offset
    [360, 640, 360, 0], // portrait
  ])('%i × %i (stride %i, offset %i): cell means equal the plain per-pixel sums', (width, height, stride, offset) => {
    const random = createRandom(width + height);
    const plane = new Uint8Array(offset + stride * height);
    for (let i = 0; i < plane.length; i++) plane[i] = random.int(256);
    const builder = new LumaGridBuilder(width, height);
    builder.addLumaPlane(plane, stride, 0.5, offset);
    const video = builder.build();
    const expected = reference(plane, width, height, stride, offset, 1);
    expect(video.cells.length).toBe(expected.length);
    let worst = 0;
    expected.forEach((v, i) => (worst = Math.max(worst, Math.abs(video.cells[i] - v))));
    expect(worst).toBeLessThan(1e-4);
  });

  it('a 10-bit plane scaled to 0–255 gives the same cells as the 8-bit plane it came from', () => {
    const width = 320;
    const height = 180;
    const random = createRandom(7);
    const plane8 = new Uint8Array(width * height);
    for (let i = 0; i < plane8.length; i++) plane8[i] = random.int(256);
    const plane10 = Uint16Array.from(plane8, (v) => Math.round((v * 1023) / 255));
    const a = new LumaGridBuilder(width, height);
    const b = new LumaGridBuilder(width, height);
    a.addLumaPlane(plane8, width, 0);
    b.addLumaPlane(plane10, width, 0, 0, 255 / 1023);
    const ca = a.build().cells;
    const cb = b.build().cells;
    let worst = 0;
    ca.forEach((v, i) => (worst = Math.max(worst, Math.abs(cb[i] - v))));
    // 10-bit codes are rounded: at most half a code, 0.125 of an 8-bit step.
    expect(worst).toBeLessThan(0.125);
  });

  it('puts frames in presentation order and keeps their times', () => {
    const builder = new LumaGridBuilder(64, 36);
    const size = builder.gridWidth * builder.gridHeight;
    for (const [t, v] of [[0.1, 10], [0.3, 30], [0.2, 20]]) builder.addCells(new Float64Array(size).fill(v), t);
    const video = builder.build();
    expect(Array.from(video.timestampsS!)).toEqual([0.1, 0.2, 0.3]);
    expect([video.cells[0], video.cells[size], video.cells[2 * size]].map((v) => Math.round(v))).toEqual([10, 20, 30]);
  });

  it('refuses a plane smaller than the frame and a bad scale', () => {
    const builder = new LumaGridBuilder(64, 36);
    expect(() => builder.addLumaPlane(new Uint8Array(64 * 35), 64, 0)).toThrow(/smaller than width × height/);
    expect(() => builder.addLumaPlane(new Uint8Array(64 * 36), 63, 0)).toThrow(/smaller than width × height/);
    expect(() => builder.addLumaPlane(new Uint8Array(64 * 36), 64, 0, 0, 0)).toThrow(/scale must be positive/);
  });
});

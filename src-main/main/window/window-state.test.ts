import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWindowStateStore, DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE, type Rect, validateWindowState } from './window-state';

const LAPTOP: Rect = { x: 0, y: 25, width: 1440, height: 875 };
const MONITOR_RIGHT: Rect = { x: 1440, y: 0, width: 2560, height: 1415 };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-window-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('validateWindowState', () => {
  it('keeps a valid state on any display', () => {
    expect(validateWindowState({ x: 100, y: 100, width: 1200, height: 800, maximized: false }, [LAPTOP])).toEqual({ x: 100, y: 100, width: 1200, height: 800, maximized: false });
    expect(validateWindowState({ x: 2000, y: 100, width: 1600, height: 1000, maximized: true }, [LAPTOP, MONITOR_RIGHT])).toEqual({ x: 2000, y: 100, width: 1600, height: 1000, maximized: true });
  });

  it('a window on a monitor that is gone is centred on the primary display, size kept within it', () => {
    expect(validateWindowState({ x: 2000, y: 100, width: 1600, height: 1000, maximized: false }, [LAPTOP])).toEqual({ width: 1440, height: 875, maximized: false });
  });

  it('a title bar off screen (above, or barely visible) is not accepted', () => {
    expect(validateWindowState({ x: 100, y: -300, width: 1200, height: 800 }, [LAPTOP]).x).toBeUndefined();
    expect(validateWindowState({ x: 1400, y: 100, width: 1200, height: 800 }, [LAPTOP]).x).toBeUndefined();
    expect(validateWindowState({ x: -1150, y: 100, width: 1200, height: 800 }, [LAPTOP]).x).toBeUndefined();
  });

  it('a partly visible window is moved fully onto its display', () => {
    expect(validateWindowState({ x: 1000, y: 100, width: 1200, height: 800 }, [LAPTOP])).toEqual({ x: 240, y: 100, width: 1200, height: 800, maximized: false });
    expect(validateWindowState({ x: 100, y: 500, width: 1200, height: 800 }, [LAPTOP])).toEqual({ x: 100, y: 100, width: 1200, height: 800, maximized: false });
  });

  it('sizes are clamped to the minimum and to the display', () => {
    expect(validateWindowState({ x: 10, y: 30, width: 200, height: 100 }, [LAPTOP])).toMatchObject({ width: MIN_WINDOW_SIZE.width, height: MIN_WINDOW_SIZE.height });
    expect(validateWindowState({ x: 10, y: 30, width: 90000, height: 90000 }, [LAPTOP])).toMatchObject({ x: 0, y: 25, width: 1440, height: 875 });
  });

  it.each([null, undefined, 'x', [], 42, {}, { width: 'wide', height: 800 }, { width: Number.NaN, height: 800 }, { width: 1e12, height: 800 }, { width: -5, height: 800 }, { width: 1000.5, height: 800 }])(
    'garbage (%j) gives the default size, centred',
    (data) => {
      expect(validateWindowState(data, [LAPTOP])).toEqual({ width: DEFAULT_WINDOW_SIZE.width, height: Math.min(DEFAULT_WINDOW_SIZE.height, LAPTOP.height), maximized: false });
    },
  );

  it('bad coordinates alone only lose the position', () => {
    expect(validateWindowState({ x: 'left', y: 10, width: 1000, height: 700, maximized: true }, [LAPTOP])).toEqual({ width: 1000, height: 700, maximized: true });
  });

  it('no displays reported: the default', () => {
    expect(validateWindowState({ x: 0, y: 0, width: 1000, height: 700 }, [])).toEqual({ width: 1000, height: 700, maximized: false });
  });
});

describe('window state store', () => {
  it('round-trips, and a damaged or missing file gives the default', () => {
    const path = join(dir, 'sub', 'window-state.json');
    const store = createWindowStateStore(path);
    expect(store.load([LAPTOP])).toEqual({ width: 1280, height: 860, maximized: false });
    store.save({ x: 50, y: 60, width: 1000, height: 700, maximized: false });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ x: 50, y: 60, width: 1000, height: 700, maximized: false });
    expect(store.load([LAPTOP])).toEqual({ x: 50, y: 60, width: 1000, height: 700, maximized: false });
    writeFileSync(path, '{"x": 5, "y"');
    expect(store.load([LAPTOP])).toEqual({ width: 1280, height: 860, maximized: false });
  });
});

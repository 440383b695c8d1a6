/**
 * The main window's size and position, remembered in `<userData>/window-state.json` and validated
 * on load: sizes within sane limits and no larger than the screen, and a position whose title bar
 * is on one of the current displays (a monitor that was unplugged must not leave the window off
 * screen); otherwise the window is centred.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: centre on the primary display. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 860 } as const;
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;
/** Larger than any display; anything above is garbage. */
const MAX_COORDINATE = 100_000;
/** How much of the title bar must be on a display to count as reachable. */
const VISIBLE_TITLE_BAR = { width: 120, height: 32 } as const;

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_COORDINATE;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * A usable window state from stored data and the displays' work areas (the first is the primary).
 * Never throws: bad data gives the default size, centred.
 */
export function validateWindowState(data: unknown, workAreas: Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_WINDOW_SIZE.width, height: DEFAULT_WINDOW_SIZE.height };
  const fit = (size: { width: number; height: number }, area: Rect) => ({
    width: Math.max(MIN_WINDOW_SIZE.width, Math.min(size.width, area.width)),
    height: Math.max(MIN_WINDOW_SIZE.height, Math.min(size.height, area.height)),
  });
  const fallback: WindowState = { ...fit(DEFAULT_WINDOW_SIZE, primary), maximized: false };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fallback;
  const d = data as Record<string, unknown>;
  if (!isInt(d.width) || !isInt(d.height) || d.width < 1 || d.height < 1) return fallback;
  const maximized = d.maximized === true;
  if (!isInt(d.x) || !isInt(d.y)) return { ...fit({ width: d.width, height: d.height }, primary), maximized };
  const x = d.x;
  const y = d.y;
  // The display that holds the title bar's top-left region.
  const titleBar: Rect = { x, y, width: Math.min(d.width, VISIBLE_TITLE_BAR.width * 2), height: VISIBLE_TITLE_BAR.height };
  const display = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= VISIBLE_TITLE_BAR.width && o.height >= VISIBLE_TITLE_BAR.height && y >= area.y;
  });
  if (!display) return { ...fit({ width: d.width, height: d.height }, primary), maximized };
  const size = fit({ width: d.width, height: d.height }, display);
  // Keep the whole window on that display where it fits.
  const clampedX = Math.min(Math.max(x, display.x), display.x + display.width - size.width);
  const clampedY = Math.min(Math.max(y, display.y), display.y + display.height - size.height);
  return { x: clampedX, y: clampedY, ...size, maximized };
}

export interface WindowStateStore {
  load(workAreas: Rect[]): WindowState;
  save(state: WindowState): void;
}

export function createWindowStateStore(path: string): WindowStateStore {
  return {
    load(workAreas) {
      let data: unknown = null;
      try {
        if (existsSync(path)) data = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        data = null; // a damaged file only costs the remembered position
      }
      return validateWindowState(data, workAreas);
    },
    save(state) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomic(path, `${JSON.stringify(state)}\n`);
    },
  };
}

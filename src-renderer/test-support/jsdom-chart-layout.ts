/**
 * Test support for component tests that draw charts: jsdom has no layout, so give every element a
 * size (800 × 300) and stub ResizeObserver, so recharts draws; unmount after each test. Call once at
 * the top of a test file.
 *
 * Charts appear in later frames (the results page reveals them one per frame, recharts draws in
 * the next animation frame), and on a busy machine that can take seconds. The tests wait for the
 * state they expect (findBy*, waitFor) with no tight limit: Testing Library's wait is raised from
 * its default 1 s to ASYNC_WAIT_MS, below vitest's 60 s test timeout so a state that never comes
 * fails with Testing Library's message (what was expected, and the DOM) rather than a bare timeout.
 */
import { cleanup, configure, getConfig } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';

export const ASYNC_WAIT_MS = 45_000;

export function installChartLayout(): void {
  let defaultWait = 1000;
  beforeAll(() => {
    defaultWait = getConfig().asyncUtilTimeout;
    configure({ asyncUtilTimeout: ASYNC_WAIT_MS });
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ x: 0, y: 0, top: 0, left: 0, right: 800, bottom: 300, width: 800, height: 300, toJSON: () => ({}) } as DOMRect);
  });

  afterAll(() => {
    configure({ asyncUtilTimeout: defaultWait });
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  afterEach(cleanup);
}

import { useEffect, useState } from 'react';

/**
 * Reveals `count` heavy parts (charts) one per frame after the page's first paint: returns how
 * many may be shown now. Mounting all charts at once is one long main-thread task. recharts
 * renders a new chart's contents in the next animation frame (its store batches updates to
 * requestAnimationFrame), so the next part is revealed only after that frame, in a task of its
 * own: each chart costs its own short task. Starts over when `key` changes.
 */
export function useStagedReveal(count: number, key: unknown): number {
  const [state, setState] = useState({ key, stage: 0 });
  if (state.key !== key) setState({ key, stage: 0 });
  const stage = state.key === key ? state.stage : 0;
  useEffect(() => {
    if (stage >= count) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const advance = () => setState((s) => (s.key === key ? { key, stage: s.stage + 1 } : s));
    const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => (timer = setTimeout(advance, 0))) : undefined;
    if (frame === undefined) timer = setTimeout(advance, 0);
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [stage, count, key]);
  return stage;
}

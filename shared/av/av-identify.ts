/**
 * Identifies detected events (flashes or clicks, times on the recording's timeline) as events of
 * the pattern by their coded spacing. Every pair of consecutive detections proposes the pattern
 * events it could be (a pair with the same spacing, allowing one missed event in between); each
 * proposal, a shift between the two timelines, is scored by how many detections land on a pattern
 * event. The best shift must clearly beat every other (by 3 matches and by half); a line through the matches (which absorbs
 * the two clocks' rate difference) then assigns each detection its event number.
 */
import { fitLine } from '../primitives/statistics';
import { IDENTIFY_TOLERANCE_S } from './av-pattern';

export interface Identification {
  /** Pattern event number of each detection, or -1 when it matched none. */
  indices: number[];
  /** Detection time ≈ offsetS + rate · pattern time. */
  offsetS: number;
  rate: number;
  matched: number;
  /** Matches of the runner-up shift. */
  runnerUp: number;
  /** Residual standard deviation of the matched detections around the line, seconds. */
  residualStdS: number;
}

/** Index of the pattern time nearest to t. */
function nearest(pattern: readonly number[], t: number): number {
  let lo = 0;
  let hi = pattern.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pattern[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(pattern[lo - 1] - t) < Math.abs(pattern[lo] - t)) return lo - 1;
  return lo;
}

function score(detections: readonly number[], pattern: readonly number[], offsetS: number, rate: number, tolerance: number): { indices: number[]; matched: number } {
  const indices: number[] = [];
  let matched = 0;
  const used = new Set<number>();
  for (const t of detections) {
    const p = (t - offsetS) / rate;
    const k = nearest(pattern, p);
    if (Math.abs(pattern[k] - p) * rate <= tolerance && !used.has(k)) {
      indices.push(k);
      used.add(k);
      matched++;
    } else indices.push(-1);
  }
  return { indices, matched };
}

/**
 * `detections` sorted ascending; `pattern` the pattern's event times (sorted). Returns null when
 * fewer than `minMatches` detections fit one shift or another shift fits almost as many.
 */
export function identifyEvents(detections: readonly number[], pattern: readonly number[], minMatches = 3, tolerance = IDENTIFY_TOLERANCE_S): Identification | null {
  if (detections.length < minMatches || pattern.length < minMatches) return null;
  // Pattern spacings (k → k+1 and k → k+2), sorted, for lookup.
  const spacings: Array<[number, number]> = [];
  for (let k = 0; k + 1 < pattern.length; k++) {
    spacings.push([pattern[k + 1] - pattern[k], k]);
    if (k + 2 < pattern.length) spacings.push([pattern[k + 2] - pattern[k], k]);
  }
  spacings.sort((a, b) => a[0] - b[0]);
  const lookup = (d: number): number => {
    let lo = 0;
    let hi = spacings.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spacings[mid][0] < d) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const tried = new Set<number>();
  const scores: Array<{ offsetS: number; matched: number }> = [];
  for (let j = 0; j + 1 < detections.length; j++) {
    const d = detections[j + 1] - detections[j];
    for (let s = lookup(d - 2 * tolerance); s < spacings.length && spacings[s][0] <= d + 2 * tolerance; s++) {
      const offsetS = detections[j] - pattern[spacings[s][1]];
      const key = Math.round(offsetS / tolerance);
      if (tried.has(key)) continue;
      tried.add(key);
      scores.push({ offsetS, matched: score(detections, pattern, offsetS, 1, tolerance).matched });
    }
  }
  if (scores.length === 0) return null;
  scores.sort((a, b) => b.matched - a.matched);
  const best = scores[0];
  // The runner-up: the best proposal that is a different shift (not within a tolerance of the best).
  const runnerUp = scores.find((s) => Math.abs(s.offsetS - best.offsetS) > 3 * tolerance)?.matched ?? 0;
  if (best.matched < minMatches || best.matched < runnerUp + 3 || best.matched < 1.5 * runnerUp) return null;
  // Refine: a line through the matches, then match again with it (three times).
  let offsetS = best.offsetS;
  let rate = 1;
  let current = score(detections, pattern, offsetS, rate, tolerance);
  let residualStdS = NaN;
  for (let iteration = 0; iteration < 3; iteration++) {
    const x: number[] = [];
    const y: number[] = [];
    current.indices.forEach((k, j) => {
      if (k >= 0) {
        x.push(pattern[k]);
        y.push(detections[j]);
      }
    });
    if (x.length < 2) break;
    const fit = fitLine(x, y);
    // A rate far from 1 is not a real clock (more than 1 %): keep the plain shift.
    if (Math.abs(fit.slope - 1) > 0.01) break;
    offsetS = fit.intercept;
    rate = fit.slope;
    residualStdS = fit.residualStd;
    current = score(detections, pattern, offsetS, rate, tolerance);
  }
  return { indices: current.indices, offsetS, rate, matched: current.matched, runnerUp, residualStdS };
}

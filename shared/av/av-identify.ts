/**
 * Identifies detected events (flashes or clicks, times on the recording's timeline) as events of
 * the pattern by their coded spacing. Every pair of consecutive detections proposes the pattern
 * events it could be (a pair with the same spacing, allowing one missed event in between); each
 * proposal, a shift between the two timelines, is scored by how many detections land on a pattern
 * event, growing outwards from the pair that proposed it: each detection, nearest first, is
 * predicted by a line through the matches so far (a shift at first, a rate too once they span
 * 10 s), so two clocks that differ (a display 1000 ppm off the camera drifts 60 ms in a minute)
 * still match all along. The best shift must clearly beat every other (by 3 matches and by half);
 * a line through its matches then assigns each detection its event number.
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
  // Each event goes to the detection nearest to where the line puts it (a stray detection beside
  // a real one does not take its event).
  const indices = new Array<number>(detections.length).fill(-1);
  const owner = new Map<number, { j: number; error: number }>();
  detections.forEach((t, j) => {
    const p = (t - offsetS) / rate;
    const k = nearest(pattern, p);
    const error = Math.abs(pattern[k] - p) * rate;
    if (error > tolerance) return;
    const current = owner.get(k);
    if (current && current.error <= error) return;
    if (current) indices[current.j] = -1;
    owner.set(k, { j, error });
    indices[j] = k;
  });
  return { indices, matched: owner.size };
}

/** Matched spans shorter than this predict with a shift only (a rate from a short span extrapolates its timing noise). */
const RATE_SPAN_S = 10;

/** Scores the proposal "detection j is pattern event k", matching outwards from it along a growing line. */
function scoreGrowing(detections: readonly number[], pattern: readonly number[], j0: number, k0: number, tolerance: number): { indices: number[]; matched: number } {
  const indices = new Array<number>(detections.length).fill(-1);
  const used = new Set<number>([k0]);
  indices[j0] = k0;
  let n = 1;
  let sx = pattern[k0];
  let sy = detections[j0];
  let sxx = sx * sx;
  let sxy = sx * sy;
  let minX = sx;
  let maxX = sx;
  const order = detections.map((_, j) => j).filter((j) => j !== j0).sort((a, b) => Math.abs(detections[a] - detections[j0]) - Math.abs(detections[b] - detections[j0]));
  for (const j of order) {
    // Detection time ≈ offset + rate · pattern time.
    let rate = 1;
    let offset = sy / n - sx / n;
    if (maxX - minX >= RATE_SPAN_S) {
      const mx = sx / n;
      const my = sy / n;
      const fitted = (sxy - n * mx * my) / (sxx - n * mx * mx);
      if (Math.abs(fitted - 1) <= 0.01) {
        rate = fitted;
        offset = my - rate * mx;
      }
    }
    const p = (detections[j] - offset) / rate;
    const k = nearest(pattern, p);
    if (Math.abs(pattern[k] - p) * rate <= tolerance && !used.has(k)) {
      indices[j] = k;
      used.add(k);
      n++;
      sx += pattern[k];
      sy += detections[j];
      sxx += pattern[k] * pattern[k];
      sxy += pattern[k] * detections[j];
      minX = Math.min(minX, pattern[k]);
      maxX = Math.max(maxX, pattern[k]);
    }
  }
  return { indices, matched: n };
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
  const tried = new Set<string>();
  const scores: Array<{ offsetS: number; matched: number; indices: number[] }> = [];
  for (let j = 0; j + 1 < detections.length; j++) {
    const d = detections[j + 1] - detections[j];
    for (let s = lookup(d - 2 * tolerance); s < spacings.length && spacings[s][0] <= d + 2 * tolerance; s++) {
      const k = spacings[s][1];
      const offsetS = detections[j] - pattern[k];
      // One proposal per event and shift: the same shift proposed at the same place scores the same.
      const key = `${k}:${Math.round(offsetS / tolerance)}`;
      if (tried.has(key)) continue;
      tried.add(key);
      const grown = scoreGrowing(detections, pattern, j, k, tolerance);
      scores.push({ offsetS, matched: grown.matched, indices: grown.indices });
    }
  }
  if (scores.length === 0) return null;
  scores.sort((a, b) => b.matched - a.matched);
  const best = scores[0];
  // The runner-up: the best proposal that matches the detections to other events (not the same
  // line found from another pair; a different shift).
  const sameLine = (other: { indices: number[]; matched: number }): boolean => other.indices.filter((k, j) => k >= 0 && k === best.indices[j]).length > other.matched / 2;
  const runnerUp = scores.find((s) => !sameLine(s) && Math.abs(s.offsetS - best.offsetS) > 3 * tolerance)?.matched ?? 0;
  if (best.matched < minMatches || best.matched < runnerUp + 3 || best.matched < 1.5 * runnerUp) return null;
  // Refine: a line through the matches, then match again with it (three times).
  let offsetS = best.offsetS;
  let rate = 1;
  let current = { indices: best.indices, matched: best.matched };
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

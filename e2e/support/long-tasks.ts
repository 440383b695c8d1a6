/**
 * Which main-thread long tasks (over 50 ms, from the page's PerformanceObserver) the analysis is
 * responsible for. The analysis runs in a Web Worker; run-measurement.ts marks
 * 'latency-lab:analysis-start' right before it posts the capture to the worker and
 * 'latency-lab:analysis-end' when the result is back. Between the two the main thread only waits,
 * so:
 *
 * - a task holding BOTH marks means the analysis ran on the main thread (the marks of a worker
 *   round trip are always in different tasks, since the reply arrives as a new task): `blocking`;
 * - a task holding one of the marks is the app's own hand-over: posting the capture, or taking the
 *   result back and acting on it (`boundary`);
 * - a task strictly between the marks is other work of the page or of a busy machine (a render,
 *   garbage collection, the test driver) while the worker analyses (`unrelated`): not the
 *   analysis, and on a loaded machine such tasks appear at random.
 *
 * The browser-loop tests require no blocking task and boundary tasks under BOUNDARY_TASK_LIMIT_MS
 * (five times the long-task threshold: a hand-over that takes a few milliseconds on an idle machine
 * stays far below it on a loaded one, while an analysis moved onto the main thread is caught as
 * blocking whatever its duration). Unrelated tasks are reported in the figures, not judged.
 */

export interface LongTask {
  startTime: number;
  duration: number;
}

export interface AnalysisMarks {
  start: number;
  end: number;
}

export interface LongTaskAttribution {
  blocking: LongTask[];
  boundary: LongTask[];
  unrelated: LongTask[];
}

export const BOUNDARY_TASK_LIMIT_MS = 250;

/** Long-task times are coarse (whole milliseconds in some browsers): a mark this close to a task's edge counts as inside. */
const EDGE_MS = 1;

const holds = (task: LongTask, time: number): boolean => task.startTime - EDGE_MS <= time && time <= task.startTime + task.duration + EDGE_MS;

export function attributeLongTasks(tasks: LongTask[], marks: AnalysisMarks): LongTaskAttribution {
  const result: LongTaskAttribution = { blocking: [], boundary: [], unrelated: [] };
  for (const task of tasks) {
    const start = holds(task, marks.start);
    const end = holds(task, marks.end);
    if (start && end) result.blocking.push(task);
    else if (start || end) result.boundary.push(task);
    else if (task.startTime < marks.end && task.startTime + task.duration > marks.start) result.unrelated.push(task);
  }
  return result;
}

/** The tasks the analysis is to blame for: blocking ones, and hand-overs longer than the limit. */
export function analysisLongTaskProblems(attribution: LongTaskAttribution): LongTask[] {
  return [...attribution.blocking, ...attribution.boundary.filter((t) => t.duration > BOUNDARY_TASK_LIMIT_MS)];
}

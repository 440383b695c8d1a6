/** Small text helpers of the library screen. */

/** The longest title a measurement may have. */
export const MAX_TITLE = 200;

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** What is wrong with a new title, or null when it is fine. */
export function titleProblem(title: string): string | null {
  const t = title.trim();
  if (t.length === 0) return 'The title must not be empty.';
  if (t.length > MAX_TITLE) return `The title must be at most ${MAX_TITLE} characters (it has ${t.length}).`;
  return null;
}

/** How an entry is named in messages and labels: its title, or its id when untitled. */
export const entryName = (entry: { title: string; id: string }): string => entry.title || entry.id;

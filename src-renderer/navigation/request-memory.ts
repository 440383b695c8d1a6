/**
 * Which menu requests (the app's export / import counters) a page has already acted on. The pages
 * unmount when the user leaves them, so the memory lives here: a request made while a page was
 * closed opens it once, and coming back to the page later does not repeat it.
 */
export type RequestChannel = 'export' | 'import';

const handled = new Map<RequestChannel, number>();

/** The last request number acted on (0 when none). */
export const lastHandledRequest = (channel: RequestChannel): number => handled.get(channel) ?? 0;

/** Records that request `value` was acted on. */
export function markRequestHandled(channel: RequestChannel, value: number): void {
  if (value > lastHandledRequest(channel)) handled.set(channel, value);
}

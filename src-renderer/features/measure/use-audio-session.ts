/**
 * The measure page's one audio session (AudioContext + microphone + capture worklet), shared by the
 * level check, the baseline and the measurements while the page is mounted and the devices stay
 * the same. They then run on one clock and through one output stream: the operating system gives
 * every AudioContext its own stream (on Linux, one PulseAudio sink-input each), and separate
 * streams have different buffering, so a baseline measured on another stream would not subtract
 * cleanly from a later measurement.
 *
 * The session is opened on first use and closed when the devices change, when a run is cancelled
 * or fails (run-measurement.ts calls release()), when the session itself fails (microphone
 * unplugged, context closed by the system) and when the page unmounts. The measure page stays
 * mounted while other pages are shown, so the session outlives a look at Results; the page says
 * that the microphone stays open and offers to release it (`open`, `release`).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DeviceOption } from '../../audio/devices';
import { AudioSession, MeasurementCancelledError } from '../../audio/measurement-session';

interface Held {
  key: string;
  session: Promise<AudioSession>;
}

export interface SharedAudioSession {
  /** The open session for the current devices, opening it if needed. */
  acquire(signal?: AbortSignal): Promise<AudioSession>;
  /** Closes the session (if any); the next acquire() opens a new one. */
  release(): Promise<void>;
  /** Called when the session is released or dropped (the level check stops its meter). */
  onRelease(listener: () => void): () => void;
  /** Whether a session is open (the microphone is in use), for the page to say so. */
  open: boolean;
  /** The open session's id (AudioSession.id), or null: a stored baseline is compared with it. */
  sessionId: string | null;
  /** The open session's sample rate, or null. */
  sampleRate: number | null;
}

/** The promise's outcome, or a MeasurementCancelledError as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new MeasurementCancelledError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const keyOf = (input: DeviceOption | null, output: DeviceOption | null, channels: number): string => JSON.stringify([input?.deviceId ?? '', output?.deviceId ?? '', channels]);

/** `channels`: 1 (mono), or 2 for a timing reference (loopback and microphone); a change opens another session. */
export function useAudioSession(input: DeviceOption | null, output: DeviceOption | null, channels = 1): SharedAudioSession {
  const held = useRef<Held | null>(null);
  /** Counts acquire() calls: a caller cancelled while the session opened closes it only if no one asked since. */
  const requests = useRef(0);
  const releaseListeners = useRef(new Set<() => void>());
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState<{ id: string; sampleRate: number } | null>(null);
  const devices = useRef({ input, output, channels });
  useEffect(() => {
    devices.current = { input, output, channels };
  });

  const release = useCallback(async () => {
    const h = held.current;
    held.current = null;
    if (!h) return;
    setOpen(false);
    setCurrent(null);
    for (const listener of [...releaseListeners.current]) listener();
    const session = await h.session.catch(() => null);
    await session?.close();
  }, []);

  /** The session for the current devices, or null when it was released while it opened. */
  const acquireOnce = useCallback(
    async (signal?: AbortSignal): Promise<AudioSession | null> => {
      if (signal?.aborted) throw new MeasurementCancelledError();
      const request = ++requests.current;
      const { input: i, output: o, channels: c } = devices.current;
      const key = keyOf(i, o, c);
      if (held.current && held.current.key !== key) await release();
      let h = held.current;
      if (!h) {
        const opening = AudioSession.open({ inputDeviceId: i?.deviceId || null, outputDeviceId: o?.deviceId ?? null, ...(c > 1 ? { channels: c } : {}) });
        h = { key, session: opening };
        const mine = h;
        held.current = mine;
        opening.then(
          (session) => {
            if (held.current === mine) {
              setOpen(true);
              setCurrent({ id: session.id, sampleRate: session.sampleRate });
            }
            // A dead session (microphone gone, context closed) is dropped; the next use opens another.
            session.onFailure(() => {
              if (held.current === mine) void release();
              else void session.close();
            });
          },
          () => {
            if (held.current === mine) held.current = null;
          },
        );
      }
      const opened = h;
      let session: AudioSession;
      try {
        // Cancel takes effect at once, even while the microphone or the output is still opening.
        session = await untilAborted(opened.session, signal);
      } catch (error) {
        if (error instanceof MeasurementCancelledError) {
          // The session opens on regardless: close it then, unless someone asked for it since.
          void opened.session.then(
            () => {
              if (requests.current === request && held.current === opened) void release();
            },
            () => {},
          );
        }
        throw error;
      }
      if (signal?.aborted) {
        if (requests.current === request && held.current === opened) await release();
        throw new MeasurementCancelledError();
      }
      return held.current === opened ? session : null;
    },
    [release],
  );

  const acquire = useCallback(
    async (signal?: AbortSignal): Promise<AudioSession> => {
      // Released while it opened (the devices changed, or it failed): never hand out a closed
      // session; open one for the devices chosen now.
      for (let attempt = 0; attempt < 3; attempt++) {
        const session = await acquireOnce(signal);
        if (session) return session;
      }
      throw new Error('The audio devices kept changing while the session opened. Choose the devices, then try again.');
    },
    [acquireOnce],
  );

  // Other devices: the old session goes at once (its microphone is released).
  const key = keyOf(input, output, channels);
  useEffect(() => {
    if (held.current && held.current.key !== key) void release();
  }, [key, release]);

  useEffect(() => () => void release(), [release]);

  const onRelease = useCallback((listener: () => void) => {
    releaseListeners.current.add(listener);
    return () => {
      releaseListeners.current.delete(listener);
    };
  }, []);

  const sessionId = current?.id ?? null;
  const sampleRate = current?.sampleRate ?? null;
  return useMemo(() => ({ acquire, release, onRelease, open, sessionId, sampleRate }), [acquire, release, onRelease, open, sessionId, sampleRate]);
}

// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceOption } from '../../audio/devices';
import { useAudioSession } from './use-audio-session';

const fake = vi.hoisted(() => {
  class FakeSession {
    closed = false;
    readonly failureListeners = new Set<(message: string) => void>();
    constructor(readonly options: { inputDeviceId: string | null; outputDeviceId: string | null }) {}
    close = async () => {
      this.closed = true;
      this.failureListeners.clear();
    };
    onFailure(listener: (message: string) => void) {
      this.failureListeners.add(listener);
      return () => this.failureListeners.delete(listener);
    }
    fail(message: string) {
      for (const listener of [...this.failureListeners]) listener(message);
    }
  }
  class MeasurementCancelledError extends Error {}
  const opened: FakeSession[] = [];
  /** When set, open() waits until the test calls the resolver it leaves here. */
  const gate = { hold: false, pending: [] as Array<() => void> };
  return { FakeSession, MeasurementCancelledError, opened, gate };
});

vi.mock('../../audio/measurement-session', () => ({
  MeasurementCancelledError: fake.MeasurementCancelledError,
  AudioSession: {
    open: async (options: { inputDeviceId: string | null; outputDeviceId: string | null }) => {
      if (fake.gate.hold) await new Promise<void>((resolve) => fake.gate.pending.push(resolve));
      const session = new fake.FakeSession(options);
      fake.opened.push(session);
      return session;
    },
  },
}));

const mic = (deviceId: string): DeviceOption => ({ deviceId, label: deviceId });
const speaker: DeviceOption = { deviceId: 'default', label: 'System default output' };
const flush = () => act(async () => {
  await new Promise((resolve) => setTimeout(resolve, 0));
});

afterEach(() => {
  cleanup();
  fake.opened.length = 0;
  fake.gate.hold = false;
  fake.gate.pending.length = 0;
});

/** Lets every open() that is waiting finish. */
const openAll = () => act(async () => {
  for (const resolve of fake.gate.pending.splice(0)) resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
});

describe('useAudioSession', () => {
  it('opens one session for the devices and hands the same one to every run (one clock, one output stream)', async () => {
    const { result } = renderHook(() => useAudioSession(mic('usb'), speaker));
    const [a, b] = await act(() => Promise.all([result.current.acquire(), result.current.acquire()]));
    const c = await act(() => result.current.acquire());
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(fake.opened).toHaveLength(1);
    expect(fake.opened[0].options).toEqual({ inputDeviceId: 'usb', outputDeviceId: 'default' });
  });

  it('closes the session when the devices change; the next run opens one on the new devices', async () => {
    const { result, rerender } = renderHook(({ input }) => useAudioSession(input, speaker), { initialProps: { input: mic('usb') } });
    await act(() => result.current.acquire());
    rerender({ input: mic('interface') });
    await flush();
    expect(fake.opened[0].closed).toBe(true);
    await act(() => result.current.acquire());
    expect(fake.opened).toHaveLength(2);
    expect(fake.opened[1].options.inputDeviceId).toBe('interface');
  });

  it('release() closes it and tells the listeners (the level check stops its meter)', async () => {
    const { result } = renderHook(() => useAudioSession(mic('usb'), speaker));
    const onRelease = vi.fn();
    result.current.onRelease(onRelease);
    expect(result.current.open).toBe(false);
    await act(() => result.current.acquire());
    // The page shows that the microphone is held (and offers to release it).
    expect(result.current.open).toBe(true);
    await act(() => result.current.release());
    expect(fake.opened[0].closed).toBe(true);
    expect(result.current.open).toBe(false);
    expect(onRelease).toHaveBeenCalledTimes(1);
    await act(() => result.current.acquire());
    expect(fake.opened).toHaveLength(2);
  });

  it('drops a session that fails (microphone unplugged) and opens a fresh one next time', async () => {
    const { result } = renderHook(() => useAudioSession(mic('usb'), speaker));
    await act(() => result.current.acquire());
    const otherListener = vi.fn();
    fake.opened[0].onFailure(otherListener);
    await act(async () => fake.opened[0].fail('The microphone stopped delivering audio.'));
    await flush();
    // Every listener hears of the failure, even though the first one closes the session.
    expect(otherListener).toHaveBeenCalledWith('The microphone stopped delivering audio.');
    expect(fake.opened[0].closed).toBe(true);
    await act(() => result.current.acquire());
    expect(fake.opened).toHaveLength(2);
  });

  it('closes the session when the page unmounts', async () => {
    const { result, unmount } = renderHook(() => useAudioSession(mic('usb'), speaker));
    await act(() => result.current.acquire());
    unmount();
    await flush();
    expect(fake.opened[0].closed).toBe(true);
  });

  it('a run already cancelled opens nothing', async () => {
    const { result } = renderHook(() => useAudioSession(mic('usb'), speaker));
    const controller = new AbortController();
    controller.abort();
    await expect(act(() => result.current.acquire(controller.signal))).rejects.toBeInstanceOf(fake.MeasurementCancelledError);
    await flush();
    expect(fake.opened).toHaveLength(0);
  });

  it('Cancel while the session is still opening answers at once, and the session is closed once it opens', async () => {
    fake.gate.hold = true;
    const { result } = renderHook(() => useAudioSession(mic('usb'), speaker));
    const controller = new AbortController();
    const run = result.current.acquire(controller.signal);
    controller.abort();
    // Rejected before open() finished (a stuck device must not hold Cancel up).
    await expect(act(() => run)).rejects.toBeInstanceOf(fake.MeasurementCancelledError);
    expect(fake.opened).toHaveLength(0);
    await openAll();
    expect(fake.opened).toHaveLength(1);
    expect(fake.opened[0].closed).toBe(true);
  });

  it('devices changed while the session opened: the run gets a session on the new devices, never the closed one', async () => {
    fake.gate.hold = true;
    const { result, rerender } = renderHook(({ input }) => useAudioSession(input, speaker), { initialProps: { input: mic('usb') } });
    const run = result.current.acquire();
    rerender({ input: mic('interface') });
    await flush();
    await openAll(); // the old session opens, and is closed at once
    await openAll(); // the run's retry opens one on the new devices
    const session = (await act(() => run)) as unknown as InstanceType<typeof fake.FakeSession>;
    expect(session.closed).toBe(false);
    expect(session.options.inputDeviceId).toBe('interface');
    expect(fake.opened.map((s) => [s.options.inputDeviceId, s.closed])).toEqual([['usb', true], ['interface', false]]);
  });

  it('…unless another run asked for it meanwhile (Cancel, then Start again while the microphone opens)', async () => {
    const { result } = renderHook(() => useAudioSession(mic('usb'), speaker));
    const controller = new AbortController();
    const first = result.current.acquire(controller.signal);
    controller.abort();
    const second = result.current.acquire();
    await expect(act(() => first)).rejects.toBeInstanceOf(fake.MeasurementCancelledError);
    const session = await act(() => second);
    expect(fake.opened).toHaveLength(1);
    expect((session as unknown as { closed: boolean }).closed).toBe(false);
  });
});

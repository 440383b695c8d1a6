// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureConstraints, checkCaptureSettings, DEFAULT_OUTPUT, describeMediaError, listAudioDevices } from './devices';

const device = (kind: string, deviceId: string, label: string) => ({ kind, deviceId, label, groupId: 'g' }) as MediaDeviceInfo;

afterEach(() => vi.unstubAllGlobals());

describe('devices', () => {
  it('lists inputs and outputs, always offering the default output, and notices hidden labels', async () => {
    vi.stubGlobal('navigator', {
      mediaDevices: {
        getUserMedia: vi.fn(),
        enumerateDevices: async () => [
          device('audioinput', 'default', ''),
          device('audioinput', 'usb', ''),
          device('audiooutput', 'default', ''),
          device('audiooutput', 'bt', ''),
          device('videoinput', 'cam', ''),
        ],
      },
    });
    const list = await listAudioDevices();
    expect(list.labelsHidden).toBe(true);
    expect(list.inputs).toEqual([
      { deviceId: 'default', label: 'Microphone 1' },
      { deviceId: 'usb', label: 'Microphone 2' },
    ]);
    expect(list.outputs).toEqual([DEFAULT_OUTPUT, { deviceId: 'bt', label: 'Output 1' }]);
  });

  it('says clearly when the browser has no media devices at all', async () => {
    vi.stubGlobal('navigator', {});
    await expect(listAudioDevices()).rejects.toThrow(/no access to microphones/);
  });

  it('asks for the microphone with every processor off, mono, at the context rate', () => {
    const c = captureConstraints('usb', 48000) as Record<string, unknown>;
    expect(c).toMatchObject({
      deviceId: { exact: 'usb' },
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
      channelCount: { ideal: 1 },
      sampleRate: { ideal: 48000 },
      latency: { ideal: 0 },
    });
    expect(captureConstraints(null, 44100)).not.toHaveProperty('deviceId');
  });

  it('warns about each processor the platform left on, and about resampling and extra channels', () => {
    const clean = checkCaptureSettings({ echoCancellation: false, noiseSuppression: false, autoGainControl: false, sampleRate: 48000, channelCount: 1 }, 48000);
    expect(clean.warnings).toEqual([]);
    expect(clean.captureSettings).toEqual({ echoCancellation: false, noiseSuppression: false, autoGainControl: false, sampleRate: 48000, channelCount: 1 });
    const bad = checkCaptureSettings({ echoCancellation: true, noiseSuppression: true, autoGainControl: true, sampleRate: 44100, channelCount: 2 }, 48000);
    expect(bad.warnings).toHaveLength(5);
    expect(bad.warnings[0]).toMatch(/^Echo cancellation is still on/);
    expect(bad.warnings[3]).toMatch(/44100 Hz and is resampled to 48000 Hz/);
    const unknown = checkCaptureSettings({}, 48000);
    expect(unknown.captureSettings).toEqual({ echoCancellation: null, noiseSuppression: null, autoGainControl: null, sampleRate: null, channelCount: null });
    expect(unknown.warnings).toEqual([]);
  });

  it('turns media errors into specific messages', () => {
    const err = (name: string) => Object.assign(new Error('x'), { name });
    expect(describeMediaError(err('NotAllowedError'))).toMatch(/access was denied/);
    expect(describeMediaError(err('NotFoundError'))).toMatch(/No microphone was found/);
    expect(describeMediaError(err('NotReadableError'))).toMatch(/another application/);
    expect(describeMediaError(err('OverconstrainedError'))).toMatch(/no longer available/);
    expect(describeMediaError(err('SecurityError'))).toMatch(/https/);
    expect(describeMediaError(new Error('odd'))).toBe('odd');
  });
});

import { describe, expect, it } from 'vitest';
import { createCustomClaim } from '../../../shared/claims/claims-catalogue';
import { DEFAULT_SETTINGS } from '../../host/host-api';
import type { DeviceList } from '../../audio/devices';
import { baselineCaveats, defaultSetup, findBaseline, microphoneChannel, resolveClaim, setupProblems, stimulusDurationS, withBaseline } from './measure-setup';

const devices: DeviceList = {
  inputs: [{ deviceId: 'mic', label: 'USB mic' }],
  outputs: [{ deviceId: 'default', label: 'System default output' }, { deviceId: 'bt', label: 'JBL Flip 6' }],
  labelsHidden: false,
};

describe('measure setup', () => {
  const setup = { ...defaultSetup(DEFAULT_SETTINGS), inputDeviceId: 'mic' };

  it('the defaults can start with a microphone', () => {
    expect(setupProblems(setup, { devices, musicReady: false })).toEqual([]);
  });

  it('refuses to start without a microphone, or with a device that went away', () => {
    expect(setupProblems(setup, { devices: null, musicReady: false })[0]).toMatch(/No microphone is available/);
    expect(setupProblems(setup, { devices: { ...devices, inputs: [] }, musicReady: false })[0]).toMatch(/No microphone/);
    expect(setupProblems({ ...setup, inputDeviceId: 'gone' }, { devices, musicReady: false })[0]).toMatch(/no longer connected/);
    expect(setupProblems({ ...setup, outputDeviceId: 'gone' }, { devices, musicReady: false })[0]).toMatch(/output is no longer connected/);
  });

  it('checks lengths, levels, sweeps, music and the description', () => {
    const ctx = { devices, musicReady: false };
    expect(setupProblems({ ...setup, durationS: Number.NaN }, ctx)).toEqual(['Run length must be 3 to 120 s.']);
    expect(setupProblems({ ...setup, levelDbfs: 3 }, ctx)[0]).toMatch(/Level must be between -60 and 0/);
    expect(setupProblems({ ...setup, signal: 'pink', levelDbfs: -6 }, ctx)[0]).toMatch(/Pink noise peaks 12 dB/);
    expect(setupProblems({ ...setup, signal: 'sweep', sweeps: 2.5 }, ctx)[0]).toMatch(/whole number/);
    expect(setupProblems({ ...setup, signal: 'music' }, ctx)[0]).toMatch(/Choose a music file/);
    expect(setupProblems({ ...setup, signal: 'music' }, { devices, musicReady: true })).toEqual([]);
    expect(setupProblems({ ...setup, mode: 'long', longRunMinutes: 30 }, ctx)[0]).toMatch(/0.5 to 15 minutes/);
    expect(setupProblems({ ...setup, videoLatencyMs: 5000 }, ctx)[0]).toMatch(/Video latency/);
    expect(setupProblems({ ...setup, setupDescription: 'x'.repeat(501) }, ctx)[0]).toMatch(/longer than 500/);
  });

  it('knows the stimulus length of each signal', () => {
    expect(stimulusDurationS(setup, null)).toBe(10);
    expect(stimulusDurationS({ ...setup, signal: 'sweep', sweeps: 4 }, null)).toBe(12);
    expect(stimulusDurationS({ ...setup, signal: 'music' }, 42)).toBe(42);
    expect(stimulusDurationS({ ...setup, mode: 'long', longRunMinutes: 2.5 }, null)).toBe(150);
  });

  it('resolves catalogue claims and custom profiles', () => {
    const custom = createCustomClaim({ type: 'up-to', name: 'Living room', maxMs: 80 });
    if (!custom.ok) throw new Error('fixture');
    const settings = { ...DEFAULT_SETTINGS, customClaims: [custom.claim] };
    expect(resolveClaim('speaker-jbl-flip-6', settings)?.name).toBe('JBL Flip 6');
    expect(resolveClaim(custom.claim.id, settings)).toBe(custom.claim);
    expect(resolveClaim('nope', settings)).toBeNull();
    expect(resolveClaim(null, settings)).toBeNull();
  });

  it('keeps one baseline per device pair', () => {
    const b = { inputDeviceLabel: 'USB mic', outputDeviceLabel: 'JBL', baselineMs: 12, confidence: 0.9, measuredAt: '2026-01-01T00:00:00.000Z' };
    let s = withBaseline(DEFAULT_SETTINGS, 'USB mic', 'JBL', b);
    s = withBaseline(s, 'USB mic', 'Other', { ...b, outputDeviceLabel: 'Other', baselineMs: 20 });
    s = withBaseline(s, 'USB mic', 'JBL', { ...b, baselineMs: 13 });
    expect(s.baselines).toHaveLength(2);
    expect(findBaseline(s, 'USB mic', 'JBL')?.baselineMs).toBe(13);
    expect(findBaseline(s, 'USB mic', 'Nothing')).toBeNull();
    s = withBaseline(s, 'USB mic', 'JBL', null);
    expect(findBaseline(s, 'USB mic', 'JBL')).toBeNull();
    expect(s.baselines).toHaveLength(1);
  });

  describe('baseline provenance', () => {
    const stored = {
      inputDeviceLabel: 'USB mic', outputDeviceLabel: 'System default output', baselineMs: 21.25, confidence: 0.97, measuredAt: '2026-02-03T04:05:06.000Z',
      inputDeviceId: 'mic', outputDeviceId: 'default', sampleRate: 48000, audioSessionId: 'session-a',
    };
    const now = { inputDeviceId: 'mic', outputDeviceId: 'default', sampleRate: 48000, sessionId: 'session-a' };

    it('applies without a caveat in the audio session it was measured in, with the same devices and rate', () => {
      expect(baselineCaveats(stored, now)).toEqual([]);
    });

    it('says when it is from another audio session, or from an earlier one when none is open', () => {
      expect(baselineCaveats(stored, { ...now, sessionId: 'session-b' })).toEqual([expect.stringMatching(/another audio session: the output stream has been opened again/)]);
      expect(baselineCaveats(stored, { ...now, sessionId: null, sampleRate: null })).toEqual([expect.stringMatching(/earlier audio session: the next run opens a new output stream/)]);
    });

    it('says when another device of the same name or another rate is in use', () => {
      const caveats = baselineCaveats(stored, { ...now, inputDeviceId: 'mic-2', outputDeviceId: 'bt', sampleRate: 44100 });
      expect(caveats).toContain('It was measured with another input and output device of the same name.');
      expect(caveats).toContain('It was measured at 48000 Hz; the audio now runs at 44100 Hz.');
    });

    it('a baseline stored before provenance was recorded still loads, and says its session is unknown', () => {
      const old = { inputDeviceLabel: 'USB mic', outputDeviceLabel: 'System default output', baselineMs: 21.25, confidence: 0.97, measuredAt: '2026-02-03T04:05:06.000Z' };
      expect(baselineCaveats(old, now)).toEqual([expect.stringMatching(/stored by an earlier version without its audio session/)]);
    });
  });

  it('timing reference: the microphone is on the other channel; off by default', () => {
    expect(defaultSetup(DEFAULT_SETTINGS).timingReference).toBe(false);
    expect(microphoneChannel(1)).toBe(2);
    expect(microphoneChannel(2)).toBe(1);
  });
});

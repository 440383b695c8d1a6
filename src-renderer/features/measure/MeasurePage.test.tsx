// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../host/host-api';
import { MeasurePage } from './MeasurePage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function stubDevices(list: Array<{ kind: string; deviceId: string; label: string }>, getUserMedia = vi.fn()) {
  vi.stubGlobal('navigator', {
    ...navigator,
    mediaDevices: { enumerateDevices: async () => list, getUserMedia, addEventListener: vi.fn(), removeEventListener: vi.fn() },
  });
}

const renderPage = (settings = DEFAULT_SETTINGS) => {
  const onMeasured = vi.fn();
  const onSettingsChange = vi.fn();
  render(<MeasurePage settings={settings} onSettingsChange={onSettingsChange} onMeasured={onMeasured} />);
  return { onMeasured, onSettingsChange };
};

describe('MeasurePage', () => {
  it('refuses to start without a microphone and says why', async () => {
    stubDevices([]);
    renderPage();
    await waitFor(() => expect(screen.getByText(/No microphone is available/)).toBeTruthy());
    expect((screen.getByRole('button', { name: 'Start measurement' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: /Measure baseline/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('with a microphone, start is possible; the baseline of the device pair is shown with its date and confidence', async () => {
    stubDevices([
      { kind: 'audioinput', deviceId: 'mic', label: 'USB mic' },
      { kind: 'audiooutput', deviceId: 'default', label: 'Default' },
    ]);
    renderPage({
      ...DEFAULT_SETTINGS,
      baselines: [{ inputDeviceLabel: 'USB mic', outputDeviceLabel: 'System default output', baselineMs: 21.25, confidence: 0.97, measuredAt: '2026-02-03T04:05:06.000Z' }],
    });
    await waitFor(() => expect((screen.getByRole('button', { name: 'Start measurement' }) as HTMLButtonElement).disabled).toBe(false));
    expect(screen.getByText(/Stored baseline:/).textContent).toMatch(/21.25 ms, confidence 97 %/);
    expect(screen.getByRole('button', { name: 'Clear baseline' })).toBeTruthy();
    expect(screen.getByText(/Baseline 21.25 ms subtracted/)).toBeTruthy();
  });

  it('a baseline from another audio session is flagged, with a button to re-measure it; with a timing reference none is needed', async () => {
    stubDevices([
      { kind: 'audioinput', deviceId: 'mic', label: 'USB mic' },
      { kind: 'audiooutput', deviceId: 'default', label: 'Default' },
    ]);
    renderPage({
      ...DEFAULT_SETTINGS,
      baselines: [{
        inputDeviceLabel: 'USB mic', outputDeviceLabel: 'System default output', baselineMs: 21.25, confidence: 0.97, measuredAt: '2026-02-03T04:05:06.000Z',
        inputDeviceId: 'mic', outputDeviceId: 'default', sampleRate: 48000, audioSessionId: 'an-old-session',
      }],
    });
    await waitFor(() => expect((screen.getByRole('button', { name: 'Start measurement' }) as HTMLButtonElement).disabled).toBe(false));
    const alert = screen.getByText(/This baseline may not apply to the next run/).closest('[role="alert"]') as HTMLElement;
    expect(alert.textContent).toMatch(/measured in an earlier audio session/);
    expect(screen.getByRole('button', { name: 'Re-measure baseline now' })).toBeTruthy();
    expect(screen.getByText(/Baseline 21.25 ms subtracted \(measured in another audio session or with other devices/)).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: /Timing reference/ }));
    await waitFor(() => expect(screen.getByRole('heading', { name: '3. Baseline: not needed' })).toBeTruthy());
    expect(screen.getByText(/Timing reference on input channel 2 \(microphone on channel 1\): no baseline needed/)).toBeTruthy();
    expect(screen.queryByText(/This baseline may not apply/)).toBeNull();
  });

  it('the video latency follows the settings until the user edits it', async () => {
    stubDevices([{ kind: 'audioinput', deviceId: 'mic', label: 'USB mic' }]);
    const onMeasured = vi.fn();
    const { rerender } = render(<MeasurePage settings={DEFAULT_SETTINGS} onSettingsChange={vi.fn()} onMeasured={onMeasured} />);
    rerender(<MeasurePage settings={{ ...DEFAULT_SETTINGS, videoLatencyMs: 45 }} onSettingsChange={vi.fn()} onMeasured={onMeasured} />);
    await waitFor(() => expect((screen.getByLabelText(/Display video latency/) as HTMLInputElement).value).toBe('45'));
  });
});

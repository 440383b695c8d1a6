// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCaptureSettings } from '../../audio/devices';
import { CaptureWarnings } from './CaptureWarnings';

afterEach(cleanup);

const settings = { echoCancellation: false, noiseSuppression: false, autoGainControl: false, sampleRate: 48000, channelCount: 1 };

describe('CaptureWarnings', () => {
  it('only channels mixed to mono: a heading about the format, not about processing', () => {
    const { warnings } = checkCaptureSettings({ ...settings, channelCount: 2 }, 48000);
    render(<CaptureWarnings warnings={warnings} />);
    expect(screen.getByRole('alert').textContent).toMatch(/^The input is not recorded exactly as requested:The microphone delivers 2 channels; they are mixed to mono\./);
    expect(screen.queryByText(/did not switch off all audio processing/)).toBeNull();
  });

  it('processing left on: says so; the same warning from the level check and the last run is listed once', () => {
    const { warnings } = checkCaptureSettings({ ...settings, echoCancellation: true }, 48000);
    render(<CaptureWarnings warnings={[...warnings, ...warnings]} />);
    expect(screen.getByText(/The platform did not switch off all audio processing:/)).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('a timing reference records two channels: two are expected; one is a warning that the loopback will be silent', () => {
    expect(checkCaptureSettings({ ...settings, channelCount: 2 }, 48000, 2).warnings).toEqual([]);
    expect(checkCaptureSettings({ ...settings, channelCount: 1 }, 48000, 2).warnings).toEqual([expect.stringMatching(/not the 2 a timing reference needs/)]);
  });

  it('nothing to say: nothing shown', () => {
    const { container } = render(<CaptureWarnings warnings={[]} />);
    expect(container.textContent).toBe('');
  });
});

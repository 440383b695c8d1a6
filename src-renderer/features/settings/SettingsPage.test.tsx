// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCustomClaim } from '../../../shared/claims/claims-catalogue';
import { type AppSettings, DEFAULT_SETTINGS } from '../../host/host-api';
import { fieldOfError, SettingsPage, validateVideoLatency } from './SettingsPage';

afterEach(cleanup);

/** The page with its settings held in state, as the app does; every change is also recorded. */
function renderSettings(initial: AppSettings = DEFAULT_SETTINGS) {
  const changes: AppSettings[] = [];
  const onChange = vi.fn((s: AppSettings) => changes.push(s));
  function Harness() {
    const [settings, setSettings] = useState(initial);
    return (
      <SettingsPage
        settings={settings}
        onSettingsChange={(s) => {
          onChange(s);
          setSettings(s);
        }}
      />
    );
  }
  render(<Harness />);
  return { changes, onChange, last: () => changes[changes.length - 1] };
}

const profileForm = () => screen.getByRole('form', { name: /New profile|Edit/ });

function fill(label: string, value: string) {
  fireEvent.change(within(profileForm()).getByLabelText(label), { target: { value } });
}

const submitProfile = () => fireEvent.click(within(profileForm()).getByRole('button', { name: /Create profile|Save changes/ }));

describe('SettingsPage: custom claim profiles', () => {
  it('shows createCustomClaim’s errors next to the fields they concern', () => {
    const { onChange } = renderSettings();
    fireEvent.click(screen.getByLabelText('A range (minimum–maximum)'));
    fill('Name', '   ');
    fill('Minimum (ms)', '-5');
    fill('Maximum (ms)', '');
    submitProfile();
    const name = within(profileForm()).getByLabelText('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby')!)!.textContent).toBe('Name must not be empty.');
    const min = within(profileForm()).getByLabelText('Minimum (ms)');
    expect(document.getElementById(min.getAttribute('aria-describedby')!)!.textContent).toMatch(/^Minimum must not be negative \(got -5 ms\)/);
    const max = within(profileForm()).getByLabelText('Maximum (ms)');
    expect(document.getElementById(max.getAttribute('aria-describedby')!)!.textContent).toBe('Maximum must be a finite number of milliseconds.');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('reports a maximum below the minimum on the maximum field', () => {
    renderSettings();
    fireEvent.click(screen.getByLabelText('A range (minimum–maximum)'));
    fill('Name', 'Soundbar');
    fill('Minimum (ms)', '60');
    fill('Maximum (ms)', '40');
    submitProfile();
    const max = within(profileForm()).getByLabelText('Maximum (ms)');
    expect(document.getElementById(max.getAttribute('aria-describedby')!)!.textContent).toBe('Maximum (40 ms) is below minimum (60 ms).');
    expect(within(profileForm()).getByLabelText('Minimum (ms)').getAttribute('aria-invalid')).toBe('false');
  });

  it('creates, edits and deletes a profile, keeping ids unique', () => {
    const { last } = renderSettings();
    fill('Name', 'Living-room Sonos');
    fill('Description (optional)', 'From the spec sheet');
    fill('Maximum (ms)', '75');
    fireEvent.change(within(profileForm()).getByLabelText('Compared with the measured'), { target: { value: 'p95' } });
    submitProfile();
    expect(last().customClaims).toHaveLength(1);
    expect(last().customClaims[0]).toMatchObject({
      id: 'custom-living-room-sonos',
      kind: 'custom',
      name: 'Living-room Sonos',
      description: 'From the spec sheet',
      expectation: { type: 'up-to', maxMs: 75, statistic: 'p95' },
    });
    expect(screen.getByRole('status').textContent).toContain('Profile “Living-room Sonos” created');
    const table = screen.getByRole('table');
    expect(table.textContent).toContain('up to 75 ms');

    // Same name again: same id, refused next to the name.
    fill('Name', 'Living room sonos');
    fill('Maximum (ms)', '90');
    submitProfile();
    expect(last().customClaims).toHaveLength(1);
    const name = within(profileForm()).getByLabelText('Name');
    expect(document.getElementById(name.getAttribute('aria-describedby')!)!.textContent).toContain('already exists');

    // Edit: the form fills in, saving replaces the profile.
    fireEvent.click(screen.getByRole('button', { name: 'Edit “Living-room Sonos”' }));
    expect((within(profileForm()).getByLabelText('Maximum (ms)') as HTMLInputElement).value).toBe('75');
    fill('Maximum (ms)', '80');
    submitProfile();
    expect(last().customClaims).toHaveLength(1);
    expect(last().customClaims[0].expectation).toEqual({ type: 'up-to', maxMs: 80, statistic: 'p95' });

    fireEvent.click(screen.getByRole('button', { name: 'Delete “Living-room Sonos”' }));
    fireEvent.click(within(screen.getByRole('table')).getByRole('button', { name: 'Delete' }));
    expect(last().customClaims).toEqual([]);
    expect(screen.getByText('No profiles yet.')).toBeTruthy();
  });

  it('maps every createCustomClaim message to a field', () => {
    const result = createCustomClaim({ type: 'range', name: '', minMs: -1, maxMs: 70000, statistic: 'loudest', description: 'x'.repeat(600) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(fieldOfError).sort()).toEqual(['description', 'maxMs', 'minMs', 'name', 'statistic']);
    expect(fieldOfError("type must be 'range' or 'up-to'")).toBe('type');
  });
});

describe('SettingsPage: video latency and baselines', () => {
  it('validates the video latency before saving it', () => {
    const { onChange, last } = renderSettings();
    const input = screen.getByLabelText('Video latency (ms)');
    fireEvent.change(input, { target: { value: '-10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert').textContent).toContain('cannot be negative');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(input, { target: { value: '5000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert').textContent).toContain('at most 2000 ms');
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: '42.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(last().videoLatencyMs).toBe(42.5);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(validateVideoLatency('')).toEqual({ error: expect.stringContaining('Enter the display’s video latency') });
  });

  it('lists baselines per device pair and deletes one', () => {
    const baselines = [
      { inputDeviceLabel: 'USB mic', outputDeviceLabel: 'Headphones', baselineMs: 12.5, confidence: 0.97, measuredAt: '2026-02-01T10:00:00.000Z' },
      { inputDeviceLabel: 'USB mic', outputDeviceLabel: 'Line out', baselineMs: 9.25, confidence: 0.9, measuredAt: '2026-02-02T10:00:00.000Z', inputDeviceId: 'mic', outputDeviceId: 'line', sampleRate: 48000, audioSessionId: 's-1' },
    ];
    const { last } = renderSettings({ ...DEFAULT_SETTINGS, baselines });
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(table.textContent).toContain('12.50 ms');
    expect(table.textContent).toContain('97 %');
    // Where each was measured: the rate (and session) when recorded, or that an earlier version did not record them.
    expect(within(table).getByRole('row', { name: /Headphones/ }).textContent).toContain('rate and audio session not recorded (an earlier version)');
    expect(within(table).getByRole('row', { name: /Line out/ }).textContent).toContain('48000 Hz');
    fireEvent.click(screen.getByRole('button', { name: 'Delete the baseline for Headphones → USB mic' }));
    expect(last().baselines).toEqual([baselines[1]]);
  });
});

describe('camera A/V offsets', () => {
  const phone = { name: 'Phone 240', offsetMs: 12.34, uncertaintyMs: 0.8, measuredAt: '2026-12-06T10:00:00.000Z', method: 'pattern on this laptop (known offset 0 ms)', videoFps: 240 };
  const webcam = { name: 'USB webcam', offsetMs: -40, uncertaintyMs: 9, measuredAt: '2026-12-06T11:00:00.000Z', method: '', videoFps: null };

  it('says when none is stored', () => {
    renderSettings();
    expect(screen.getByText('No cameras calibrated.')).toBeTruthy();
  });

  it('lists each camera with its offset ± uncertainty and frame rate, and deletes one', () => {
    const { last } = renderSettings({ ...DEFAULT_SETTINGS, cameraOffsets: [phone, webcam] });
    const section = screen.getByRole('heading', { name: 'Camera A/V offsets' }).closest('section')!;
    expect(within(section).getByText('12.3 ± 0.8 ms')).toBeTruthy();
    expect(within(section).getByText('240 fps')).toBeTruthy();
    expect(within(section).getByText('−40.0 ± 9.0 ms')).toBeTruthy();
    fireEvent.click(within(section).getByRole('button', { name: 'Delete the offset of camera Phone 240' }));
    expect(last().cameraOffsets).toEqual([webcam]);
    expect(within(section).getByRole('status').textContent).toMatch(/“Phone 240” was deleted/);
    expect(within(section).queryByText('12.3 ± 0.8 ms')).toBeNull();
  });

  it('adds an offset known from elsewhere, refusing a missing number, an out-of-range offset and a taken name', () => {
    const { last } = renderSettings({ ...DEFAULT_SETTINGS, cameraOffsets: [phone] });
    const section = screen.getByRole('heading', { name: 'Camera A/V offsets' }).closest('section')!;
    const field = (label: string, value: string) => fireEvent.change(within(section).getByLabelText(label), { target: { value } });
    const submit = () => fireEvent.click(within(section).getByRole('button', { name: 'Add camera' }));
    field('Camera name', 'Phone 240');
    field('Offset (ms, positive: sound late)', '5');
    field('Uncertainty (± ms)', '1');
    submit();
    expect(within(section).getByRole('alert').textContent).toMatch(/“Phone 240” is stored already/);
    field('Camera name', 'Old camcorder');
    field('Offset (ms, positive: sound late)', 'abc');
    submit();
    expect(within(section).getByRole('alert').textContent).toBe('Offset (ms, −1000 to 1000): enter a number.');
    field('Offset (ms, positive: sound late)', '2000');
    submit();
    expect(within(section).getByRole('alert').textContent).toMatch(/^Offset \(ms, −1000 to 1000\): /);
    field('Offset (ms, positive: sound late)', '−21.5');
    field('Frame rate (fps, optional)', '30');
    submit();
    expect(last().cameraOffsets).toEqual([phone, expect.objectContaining({ name: 'Old camcorder', offsetMs: -21.5, uncertaintyMs: 1, videoFps: 30, method: 'entered by hand' })]);
    expect(within(section).getByText('−21.5 ± 1.0 ms')).toBeTruthy();
  });
});

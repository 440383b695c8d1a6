// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCustomClaim, findClaim } from '../../../shared/claims/claims-catalogue';
import { DEFAULT_SETTINGS } from '../../host/host-api';
import { defaultSetup, type MeasureSetup } from './measure-setup';
import { SetupForm, type SetupFormProps } from './SetupForm';

afterEach(cleanup);

const devices = {
  inputs: [{ deviceId: 'mic', label: 'USB mic' }],
  outputs: [{ deviceId: 'default', label: 'System default output' }, { deviceId: 'bt', label: 'JBL Flip 6' }],
  labelsHidden: false,
};

function renderForm(overrides: Partial<SetupFormProps> = {}, setup: Partial<MeasureSetup> = {}) {
  const onChange = vi.fn();
  const props: SetupFormProps = {
    setup: { ...defaultSetup(DEFAULT_SETTINGS), ...setup },
    onChange,
    devices,
    devicesError: null,
    askingPermission: false,
    onRequestPermission: vi.fn(),
    onRefreshDevices: vi.fn(),
    sinkSupported: true,
    customClaims: [],
    claim: null,
    music: null,
    musicInfo: null,
    onMusicChange: vi.fn(),
    disabled: false,
    ...overrides,
  };
  render(<SetupForm {...props} />);
  return { onChange, props };
}

describe('SetupForm', () => {
  it('shows the chosen claim with its expectation and its source: article, file, location, quote', () => {
    const claim = findClaim('speaker-jbl-flip-6');
    if (!claim) throw new Error('catalogue');
    renderForm({ claim }, { claimId: claim.id });
    expect(screen.getByText(/Expectation:/).parentElement?.textContent).toMatch(/up to 156 ms, compared with the highest latency/);
    expect(screen.getByText(claim.source.article)).toBeTruthy();
    expect(screen.getByText(claim.source.file)).toBeTruthy();
    expect(screen.getByText(claim.source.location, { exact: false })).toBeTruthy();
    expect(screen.getByText(claim.source.quote)).toBeTruthy();
    expect((screen.getByLabelText('Compare with') as HTMLSelectElement).value).toBe('speaker-jbl-flip-6');
  });

  it('groups the catalogue and the user\'s profiles in the claim select', () => {
    const custom = createCustomClaim({ type: 'range', name: 'Kitchen Echo', minMs: 40, maxMs: 90 });
    if (!custom.ok) throw new Error('fixture');
    const { onChange } = renderForm({ customClaims: [custom.claim] });
    const select = screen.getByLabelText('Compare with') as HTMLSelectElement;
    const groups = [...select.querySelectorAll('optgroup')].map((g) => g.label);
    expect(groups).toEqual(['Connection methods', 'Speaker models', 'Other stated figures', 'Your profiles']);
    fireEvent.change(select, { target: { value: custom.claim.id } });
    expect(onChange).toHaveBeenCalledWith({ claimId: 'custom-kitchen-echo' });
    fireEvent.change(select, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ claimId: null });
  });

  it('a custom profile shows as the user\'s own', () => {
    const custom = createCustomClaim({ type: 'up-to', name: 'Soundbar', description: 'ARC to the TV', maxMs: 60 });
    if (!custom.ok) throw new Error('fixture');
    renderForm({ customClaims: [custom.claim], claim: custom.claim }, { claimId: custom.claim.id });
    expect(screen.getByText(/Your own profile: ARC to the TV/)).toBeTruthy();
  });

  it('asks for microphone access when device names are hidden', () => {
    const onRequestPermission = vi.fn();
    renderForm({ devices: { ...devices, labelsHidden: true }, onRequestPermission });
    expect(screen.getByText('Allow microphone access to see device names.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Allow microphone access' }));
    expect(onRequestPermission).toHaveBeenCalled();
  });

  it('switching to pink noise moves a default level to the pink default, and numbers can be typed freely', () => {
    const { onChange } = renderForm();
    fireEvent.click(screen.getByRole('radio', { name: 'Pink noise' }));
    expect(onChange).toHaveBeenCalledWith({ signal: 'pink', levelDbfs: -20 });
    const level = screen.getByLabelText(/^Level/) as HTMLInputElement;
    fireEvent.change(level, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ levelDbfs: Number.NaN });
    fireEvent.change(level, { target: { value: '-12' } });
    expect(onChange).toHaveBeenLastCalledWith({ levelDbfs: -12 });
  });

  it('without setSinkId only the default output can be used, and says so', () => {
    renderForm({ sinkSupported: false });
    expect((screen.getByLabelText('Speaker (output)') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByText(/system default output only/)).toBeTruthy();
  });

  it('timing reference: a checkbox turns it on; then the loopback channel is chosen, the microphone named on the other', () => {
    const { onChange } = renderForm();
    expect(screen.queryByLabelText('Loopback on input channel')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: /Timing reference/ }));
    expect(onChange).toHaveBeenCalledWith({ timingReference: true });
    cleanup();
    const on = renderForm({}, { timingReference: true, referenceChannel: 2 });
    const select = screen.getByLabelText('Loopback on input channel') as HTMLSelectElement;
    expect(select.value).toBe('2');
    expect(select.selectedOptions[0].textContent).toMatch(/microphone on channel 1/);
    expect(screen.getByText(/no baseline is needed/)).toBeTruthy();
    fireEvent.change(select, { target: { value: '1' } });
    expect(on.onChange).toHaveBeenCalledWith({ referenceChannel: 1 });
  });
});

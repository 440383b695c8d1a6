// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appSettingsSchema } from '../../../shared/contract/ipc-contract';
import { type AppSettings, DEFAULT_SETTINGS } from '../../host/host-api';
import { calibrationForInput, MicCalibrationSection } from './MicCalibrationSection';

afterEach(cleanup);

const UMIK = '"Sens Factor =-1.378dB, SERNO: 7001234"\n20 -1.5\n100 -0.2\n1000 0\n10000 1.2\n20000 -2.5\n';

const upload = (text: string, name = 'umik-7001234.txt') => {
  const input = screen.getByLabelText('Calibration file') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/plain' })] } });
};

describe('MicCalibrationSection', () => {
  it('loads a UMIK-1 file for a microphone into the settings, which both hosts accept', async () => {
    const onChange = vi.fn<(s: AppSettings) => void>();
    render(<MicCalibrationSection settings={DEFAULT_SETTINGS} onSettingsChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Microphone (input device)'), { target: { value: 'Umik-1 Gain: 18dB' } });
    upload(UMIK);
    fireEvent.click(screen.getByRole('button', { name: 'Load calibration' }));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'umik-7001234.txt (5 points) is applied to every measurement with Umik-1 Gain: 18dB.');
    const saved = onChange.mock.calls[0][0];
    const entry = calibrationForInput(saved, 'Umik-1 Gain: 18dB');
    expect(entry?.fileName).toBe('umik-7001234.txt');
    expect(entry?.calibration.sensitivityDb).toBeCloseTo(-1.378);
    expect(entry?.calibration.serial).toBe('7001234');
    expect(entry?.calibration.points.map((p) => p.hz)).toEqual([20, 100, 1000, 10000, 20000]);
    expect(appSettingsSchema.parse(saved)).toEqual(saved);
    expect(calibrationForInput(saved, 'Other mic')).toBeNull();
    expect(calibrationForInput(saved, 'toString')).toBeNull();
  });

  it('says what is wrong with a file that is not a calibration, and saves nothing', async () => {
    const onChange = vi.fn();
    render(<MicCalibrationSection settings={DEFAULT_SETTINGS} onSettingsChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Microphone (input device)'), { target: { value: 'USB microphone' } });
    upload('20 1.0\n100 abc\n', 'notes.txt');
    fireEvent.click(screen.getByRole('button', { name: 'Load calibration' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^notes\.txt is not a calibration file: line 2: "abc" is not a number/);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('asks for the microphone first', () => {
    render(<MicCalibrationSection settings={DEFAULT_SETTINGS} onSettingsChange={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Load calibration' }));
    expect(screen.getByRole('alert').textContent).toMatch(/Enter the microphone/);
  });

  it('lists the stored calibrations and removes one', () => {
    const settings: AppSettings = {
      ...DEFAULT_SETTINGS,
      micCalibrations: { 'USB microphone': { fileName: 'cal.txt', importedAt: '2026-03-01T12:00:00.000Z', calibration: { points: [{ hz: 20, db: 0, phaseDeg: null }, { hz: 20000, db: 1, phaseDeg: null }], sensitivityDb: null, serial: null } } },
    };
    const onChange = vi.fn<(s: AppSettings) => void>();
    render(<MicCalibrationSection settings={settings} onSettingsChange={onChange} />);
    expect(screen.getByRole('cell', { name: 'USB microphone' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove the calibration of USB microphone' }));
    expect(onChange.mock.calls[0][0].micCalibrations).toEqual({});
  });
});

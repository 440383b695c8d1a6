// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceList } from '../../audio/devices';
import type { AnalysisClient } from '../../worker/worker-client';
import { DEFAULT_SETTINGS } from '../../host/host-api';
import { GroupPanel } from './GroupPanel';
import { defaultGroupSetup, type GroupSetup } from './group-setup';
import { defaultSetup } from './measure-setup';
import type { SharedAudioSession } from './use-audio-session';

afterEach(cleanup);

const devices = {
  inputs: [{ deviceId: 'mic', label: 'USB mic' }],
  outputs: [{ deviceId: 'default', label: 'System default output' }, { deviceId: 'left', label: 'Left speaker' }, { deviceId: 'right', label: 'Right speaker' }],
} as DeviceList;

function Harness({ initial = {}, pageProblems = [] as string[] }: { initial?: Partial<GroupSetup>; pageProblems?: string[] }) {
  const [group, setGroup] = useState<GroupSetup>({ ...defaultGroupSetup(), ...initial });
  return (
    <GroupPanel
      group={group}
      onChange={(patch) => setGroup((g) => ({ ...g, ...patch }))}
      devices={devices}
      setup={defaultSetup(DEFAULT_SETTINGS)}
      input={devices.inputs[0]}
      output={devices.outputs[0]}
      client={{ call: vi.fn(), cancel: vi.fn() } as unknown as AnalysisClient}
      audio={{} as SharedAudioSession}
      busy={false}
      pageProblems={pageProblems}
      beforeRun={async () => undefined}
      onRunningChange={vi.fn()}
      onMeasured={vi.fn()}
    />
  );
}

describe('GroupPanel', () => {
  it('one output adds nothing to run: the page\'s own run is used', () => {
    render(<Harness />);
    expect((screen.getByRole('radio', { name: /^One output/ }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByRole('button', { name: /^Measure/ })).toBeNull();
  });

  it('several outputs: pick devices besides the page\'s output, with what is assumed; start once two are chosen', () => {
    render(<Harness />);
    fireEvent.click(screen.getByRole('radio', { name: /^Several outputs/ }));
    expect(screen.getByText(/own device's clock/)).toBeTruthy();
    expect(screen.getByText('Choose at least one more output to play besides the output above.')).toBeTruthy();
    const start = () => screen.getByRole('button', { name: /^Measure \d outputs$/ }) as HTMLButtonElement;
    expect(start().disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Left speaker' }));
    expect(start().textContent).toBe('Measure 2 outputs');
    expect(start().disabled).toBe(false);
    // The channels of one device share its clock, and say so.
    fireEvent.click(screen.getByRole('radio', { name: /Channels of one device/ }));
    expect(screen.getByText(/share its clock/)).toBeTruthy();
    expect(screen.getByRole('spinbutton', { name: /^Channels/ })).toBeTruthy();
  });

  it('the sync tolerance shows each default with its source, and a custom value is checked', () => {
    render(<Harness initial={{ mode: 'speakers' }} />);
    const group = screen.getByRole('group', { name: 'Sync tolerance' });
    expect(within(group).getByRole('radio', { name: /Stereo pair ±10 ms.*Haas 1951/ })).toBeTruthy();
    expect(within(group).getByRole('radio', { name: /Across rooms ±40 ms.*Blauert/ })).toBeTruthy();
    fireEvent.click(within(group).getByRole('radio', { name: 'Custom' }));
    fireEvent.change(screen.getByLabelText(/Custom tolerance/), { target: { value: '0' } });
    expect(screen.getByText('A custom sync tolerance must be 0.1 to 10000 ms.')).toBeTruthy();
  });

  it('one stream on N speakers: N is typed; the guided mode offers a run next to each speaker', () => {
    render(<Harness initial={{ mode: 'speakers' }} />);
    fireEvent.change(screen.getByLabelText(/Speakers playing/), { target: { value: '3' } });
    expect(screen.getByRole('button', { name: 'Measure 3 speakers' })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: /Guided/ }));
    const steps = screen.getByRole('list', { name: 'Guided runs' });
    expect(within(steps).getAllByRole('button').map((b) => b.textContent)).toEqual(['Measure next to speaker 1', 'Measure next to speaker 2', 'Measure next to speaker 3']);
    expect((screen.getByRole('button', { name: /Combine the runs \(0 of 3 measured\)/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/Speakers playing/), { target: { value: '1' } });
    expect(screen.getByText('The number of speakers must be a whole number from 2 to 8.')).toBeTruthy();
  });

  it('the page\'s own problems (no microphone) stop these runs too', () => {
    render(<Harness initial={{ mode: 'speakers' }} pageProblems={['No microphone is available.']} />);
    expect(screen.getByText('No microphone is available.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Measure 2 speakers' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

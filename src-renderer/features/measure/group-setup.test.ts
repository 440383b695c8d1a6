import { describe, expect, it } from 'vitest';
import type { DeviceList } from '../../audio/devices';
import { chosenTolerance, defaultGroupSetup, groupProblems, minimumOutputsDurationS, outputCount, type GroupSetup } from './group-setup';

const devices: DeviceList = {
  inputs: [{ deviceId: 'mic', label: 'Mic' }],
  outputs: [{ deviceId: 'default', label: 'System default output' }, { deviceId: 'left', label: 'Left' }, { deviceId: 'right', label: 'Right' }],
} as DeviceList;
const setup = (patch: Partial<GroupSetup>): GroupSetup => ({ ...defaultGroupSetup(), ...patch });

describe('group setup', () => {
  it('one output has no problems of its own', () => {
    expect(groupProblems(setup({ mode: 'one', durationS: 0 }), devices, 'default')).toEqual([]);
  });

  it('several devices: the page output plus the ones chosen, each once and still connected', () => {
    expect(outputCount(setup({ extraOutputIds: ['left', 'right'] }))).toBe(3);
    expect(groupProblems(setup({ mode: 'outputs', extraOutputIds: [] }), devices, 'default')).toEqual(['Choose at least one more output to play besides the output above.']);
    expect(groupProblems(setup({ mode: 'outputs', extraOutputIds: ['left'] }), devices, 'default')).toEqual([]);
    expect(groupProblems(setup({ mode: 'outputs', extraOutputIds: ['left'] }), devices, 'left')).toEqual(['An output is chosen twice: the output above already plays output 1.']);
    expect(groupProblems(setup({ mode: 'outputs', extraOutputIds: ['gone'] }), devices, 'default')).toEqual(['A chosen output is no longer connected: choose the outputs again.']);
  });

  it('channels of one device: 2 to 8, and a run long enough for three clicks each', () => {
    expect(groupProblems(setup({ mode: 'outputs', playback: 'channels', channels: 9 }), devices, 'default')).toEqual(['Choose 2 to 8 channels.']);
    expect(minimumOutputsDurationS(8)).toBe(17);
    expect(groupProblems(setup({ mode: 'outputs', playback: 'channels', channels: 8, durationS: 16 }), devices, 'default')).toEqual(['8 outputs need a run of at least 17 s (three clicks each).']);
    expect(groupProblems(setup({ mode: 'outputs', playback: 'channels', channels: 8, durationS: 17 }), devices, 'default')).toEqual([]);
  });

  it('one stream: a whole number of speakers from 2 to 8', () => {
    expect(groupProblems(setup({ mode: 'speakers', speakers: 1 }), devices, 'default')).toEqual(['The number of speakers must be a whole number from 2 to 8.']);
    expect(groupProblems(setup({ mode: 'speakers', speakers: 2.5 }), devices, 'default')).toHaveLength(1);
    expect(groupProblems(setup({ mode: 'speakers', speakers: 4 }), devices, 'default')).toEqual([]);
  });

  it('the tolerance: the two defaults, or a custom value in range', () => {
    expect(chosenTolerance(setup({ tolerance: 'stereo-pair' }))).toEqual({ toleranceMs: 10, source: 'stereo-pair' });
    expect(chosenTolerance(setup({ tolerance: 'rooms' }))).toEqual({ toleranceMs: 40, source: 'rooms' });
    expect(chosenTolerance(setup({ tolerance: 'custom', customToleranceMs: 15 }))).toEqual({ toleranceMs: 15, source: 'custom' });
    expect(chosenTolerance(setup({ tolerance: 'custom', customToleranceMs: 0 }))).toBeNull();
    expect(groupProblems(setup({ mode: 'speakers', tolerance: 'custom', customToleranceMs: -1 }), devices, 'default')).toEqual(['A custom sync tolerance must be 0.1 to 10000 ms.']);
    expect(groupProblems(setup({ mode: 'speakers', durationS: 5 }), devices, 'default')).toEqual(['Run length must be 10 to 300 s.']);
  });
});

import { describe, expect, it } from 'vitest';
import { alignedContextTime, channelsProblem, GROUP_ASSUMPTIONS } from './group-playback';

describe('alignedContextTime', () => {
  it('maps a moment on the main context to the same moment on another, through the page clock', () => {
    // Main: context 10.000 s was page 5000 ms. Other: context 2.000 s was page 5100 ms.
    // Main 10.5 s is page 5500 ms, which is 2.4 s on the other context.
    expect(alignedContextTime(10.5, { contextTime: 10, performanceTime: 5000 }, { contextTime: 2, performanceTime: 5100 })).toBeCloseTo(2.4, 12);
    // Same clocks: the same time.
    expect(alignedContextTime(3.25, { contextTime: 1, performanceTime: 100 }, { contextTime: 1, performanceTime: 100 })).toBeCloseTo(3.25, 12);
  });

  it('refuses a stamp that is not a number', () => {
    expect(() => alignedContextTime(1, { contextTime: Number.NaN, performanceTime: 0 }, { contextTime: 0, performanceTime: 0 })).toThrow(/main.contextTime/);
  });
});

describe('channelsProblem', () => {
  it('accepts a device with enough channels and says why one has too few', () => {
    expect(channelsProblem(2, 2)).toBeNull();
    expect(channelsProblem(8, 6)).toBeNull();
    expect(channelsProblem(2, 4)).toBe('The output device takes 2 channels; 4 were asked for. Choose fewer channels, or separate devices.');
    expect(channelsProblem(8, 1)).toMatch(/2 to 8 channels/);
  });

  it('says what is assumed for each way of playing', () => {
    expect(GROUP_ASSUMPTIONS.devices).toMatch(/own device's clock/);
    expect(GROUP_ASSUMPTIONS.channels).toMatch(/share its clock/);
  });
});

// @vitest-environment jsdom
// The "Export pattern video" action on the A/V page, on @napi-rs/webcodecs' encoders (FFmpeg's AAC
// and Opus): which codecs the page promises, and Cancel midway. The whole export, downloaded and
// analysed, is export-pattern.test.ts (in Node) and e2e/av-export.e2e.ts (in Chromium).
import * as napi from '@napi-rs/webcodecs';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EncoderHost } from './export-pattern';
import { PatternExport } from './PatternExport';

afterEach(cleanup);

const aacHost = napi as unknown as EncoderHost;
/** The same encoders as an engine without AAC (Debian's Chromium). */
const opusOnlyHost: EncoderHost = {
  ...aacHost,
  AudioEncoder: Object.assign(
    function AudioEncoder(init: AudioEncoderInit) {
      return new aacHost.AudioEncoder(init);
    } as unknown as EncoderHost['AudioEncoder'],
    {
      isConfigSupported: (config: AudioEncoderConfig) =>
        config.codec.startsWith('mp4a') ? Promise.resolve({ supported: false, config }) : aacHost.AudioEncoder.isConfigSupported(config),
    },
  ),
};

describe('PatternExport', () => {
  it('promises H.264 + AAC (what TVs play) where the engine encodes AAC', async () => {
    render(<PatternExport encoders={() => aacHost} download={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId('av-export-codecs').textContent).toBe('The file will have H.264 video and AAC sound, which TVs play.'));
    expect((screen.getByRole('button', { name: 'Export pattern video' }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByLabelText('Video length') as HTMLSelectElement).value).toBe('60');
  });

  it('says the sound will be Opus, which some TVs do not play, and names the CLI command for the length chosen', async () => {
    render(<PatternExport encoders={() => opusOnlyHost} download={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Video length'), { target: { value: '120' } });
    await waitFor(() => expect(screen.getByTestId('av-export-codecs').textContent).toMatch(/no AAC encoder, so the file will have H\.264 video and Opus sound/));
    expect(screen.getByTestId('av-export-codecs').textContent).toContain('latency-lab av-pattern --out pattern.mp4 --duration 120');
  });

  it('without WebCodecs encoders, offers the CLI instead of a button that cannot work', async () => {
    render(<PatternExport encoders={() => null} download={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId('av-export-codecs').textContent).toMatch(/cannot encode the video/));
    expect((screen.getByRole('button', { name: 'Export pattern video' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows progress while encoding, and Cancel stops it with nothing saved', async () => {
    const downloads: string[] = [];
    render(<PatternExport encoders={() => aacHost} download={(_, name) => downloads.push(name)} />);
    fireEvent.change(screen.getByLabelText('Video length'), { target: { value: '10' } });
    const button = screen.getByRole('button', { name: 'Export pattern video' }) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByText(/^Encoding the pattern video: \d+ % \(\d+ of 600 frames\)$/)).toBeTruthy(), { timeout: 20_000 });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel export' }));
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull(), { timeout: 20_000 });
    expect(downloads).toEqual([]);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(button.disabled).toBe(false);
  }, 30_000);
});

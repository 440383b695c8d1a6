import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeAvRecording } from '../../shared/av/av-analysis';
import { simulateAvCamera } from '../../shared/simulation/av-camera';
import { decodeRecording, presentationTimes, UnsupportedCodecError, WEBCODECS_VERSION, writeMp4 } from './av-media';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'av-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MP4 round trip (H.264 + AAC through mediabunny and @napi-rs/webcodecs)', () => {
  it('a simulated 120 fps camera recording, encoded and decoded, measures its true offset', async () => {
    const rec = simulateAvCamera({ seed: 3, durationS: 12, cameraFps: 120, width: 320, height: 180, videoLatencyS: 0.045, audioLatencyS: 0.12, displayPpm: 1000, cameraOffsetMs: 0 });
    const path = join(dir, 'sim.mp4');
    await writeMp4(path, { width: 320, height: 180, fps: 120, frameCount: rec.timestampsS.length, timestampS: (i) => rec.timestampsS[i], renderLuma: rec.renderLuma, audio: rec.audio.samples, sampleRate: rec.audio.sampleRate, bitrate: 2_000_000 });
    const decoded = await decodeRecording(path);
    expect(decoded.video.frameCount).toBe(rec.timestampsS.length);
    expect(decoded.audio).not.toBeNull();
    const out = analyzeAvRecording(decoded.video, decoded.audio, { cameraOffsetMs: 0, timestampResolutionS: decoded.timestampResolutionS });
    expect(out.status, JSON.stringify(out.error)).toBe('ok');
    console.log(`encoded 120 fps: true ${rec.trueOffsetMs.toFixed(2)}, measured ${out.av!.offsetMs.toFixed(2)} ± ${out.av!.uncertaintyMs.toFixed(2)} ms; video starts ${decoded.video.timestampsS![0]}, audio ${decoded.audio!.startS}`);
    expect(Math.abs(out.av!.offsetMs - rec.trueOffsetMs)).toBeLessThanOrEqual(out.av!.uncertaintyMs);
  });
});

describe('presentation times of decoded frames', () => {
  it('frames labelled in decode order (B-frames) get the packets\' times in presentation order', () => {
    // Decode order I0 P4 B2 B1 B3 (times in frames of 1/60 s); the decoder gives the frames in
    // presentation order but labels them in the order the chunks went in.
    const packets = [0, 4, 2, 1, 3].map((k) => k / 60);
    expect(Array.from(presentationTimes(packets, packets, 'hvc1'))).toEqual([0, 1, 2, 3, 4].map((k) => k / 60));
  });
  it('labels that only increase are kept as they are (frames dropped, variable frame rate)', () => {
    expect(Array.from(presentationTimes([0, 0.01, 0.025, 0.031], [0, 0.01, 0.02, 0.025, 0.031], 'avc1'))).toEqual([0, 0.01, 0.025, 0.031]);
  });
  it('a reordered stream with frames missing is refused with what to do', () => {
    expect(() => presentationTimes([0, 0.04, 0.02], [0, 0.04, 0.02, 0.01], 'hvc1')).toThrow(/3 frames for 4 packets.*convert the recording to H\.264/);
    expect(() => presentationTimes([0, 0.04, 0.02], [0, 0.04, 0.02, 0.01], 'hvc1')).toThrow(UnsupportedCodecError);
  });
});

describe('the native codecs package', () => {
  it('WEBCODECS_VERSION (named in the message when the package is missing) is the version installed and pinned', () => {
    const installed = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@napi-rs/webcodecs/package.json'), 'utf8')) as { version: string };
    const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(installed.version).toBe(WEBCODECS_VERSION);
    expect(root.dependencies['@napi-rs/webcodecs']).toBe(WEBCODECS_VERSION);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeAvRecording } from '../../shared/av/av-analysis';
import { simulateAvCamera } from '../../shared/simulation/av-camera';
import { decodeRecording, writeMp4 } from './av-media';

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

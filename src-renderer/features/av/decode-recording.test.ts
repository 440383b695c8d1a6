// The page's decode path, run in Node on @napi-rs/webcodecs (the same WebCodecs interface the page
// has), against an MP4 (H.264 + AAC) of a simulated camera recording with a known offset.
import * as napi from '@napi-rs/webcodecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeAvRecording } from '../../../shared/av/av-analysis';
import { simulateAvCamera, type AvCameraRecording } from '../../../shared/simulation/av-camera';
import { assembleAudio, type CodecHost, decodeRecording, describeCodec, UnreadableRecordingError, UnsupportedCodecError, withoutTrimmedPreSkip } from './decode-recording';
import { encodeRecordingMp4 } from './mp4-test-fixtures';

const codecs = napi as unknown as CodecHost;
let mp4: Uint8Array<ArrayBuffer>;
let rec: AvCameraRecording;

beforeAll(async () => {
  rec = simulateAvCamera({ seed: 41, durationS: 10, cameraFps: 120, width: 320, height: 180, videoLatencyS: 0.03, audioLatencyS: 0.09, distanceM: 2, cameraOffsetMs: 5, displayPpm: 1000 });
  mp4 = (await encodeRecordingMp4(rec, 120)) as Uint8Array<ArrayBuffer>;
}, 60_000);

const blob = (): Blob => new Blob([mp4], { type: 'video/mp4' });

describe('decodeRecording (the page’s decode path)', () => {
  it('gives the camera’s luma grid (to H.264’s error), its timestamps and its sound, and the true offset within the uncertainty', async () => {
    const progress: number[] = [];
    const decoded = await decodeRecording(blob(), codecs, (p) => progress.push(p.fraction));
    const video = decoded.video!;
    expect(video.frameCount).toBe(rec.timestampsS.length);
    expect([video.width, video.height, video.gridWidth, video.gridHeight]).toEqual([rec.video.width, rec.video.height, rec.video.gridWidth, rec.video.gridHeight]);
    // Cell means of the decoded frames against the simulated camera's own grid: H.264 at 2 Mbit/s
    // changes a typical cell's average by a fraction of a code value (more where a cell straddles
    // the screen's sharp edge, which the encoder softens: the worst 1 % reach about 10).
    const diffs = Array.from(video.cells, (v, i) => Math.abs(v - rec.video.cells[i])).sort((a, b) => a - b);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(1);
    expect(diffs[Math.floor(0.5 * diffs.length)]).toBeLessThan(1);
    expect(diffs[Math.floor(0.99 * diffs.length)]).toBeLessThan(16);
    const times = Array.from(video.timestampsS!);
    times.forEach((t, i) => expect(Math.abs(t - rec.timestampsS[i])).toBeLessThanOrEqual(1e-3));
    expect(decoded.audio!.sampleRate).toBe(rec.audio.sampleRate);
    // The AAC encoder's 1024 priming samples come out of the decoder before time 0 (placed at their
    // own timestamps); the offset below checks that the sound lands where it was recorded.
    expect(Math.abs(decoded.audio!.startS - rec.audio.startS)).toBeLessThanOrEqual(1025 / rec.audio.sampleRate);
    expect(Math.abs(decoded.audio!.samples.length - rec.audio.samples.length)).toBeLessThanOrEqual(3072);
    expect(decoded.codec).toMatch(/^avc1\./);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);

    const output = analyzeAvRecording(video, decoded.audio, { distanceM: 2, cameraOffsetMs: 5, timestampResolutionS: decoded.timestampResolutionS });
    expect(output.status, JSON.stringify(output.error)).toBe('ok');
    expect(Math.abs(output.av!.offsetMs - rec.trueOffsetMs)).toBeLessThanOrEqual(output.av!.uncertaintyMs);
    expect(output.av!.uncertaintyMs).toBeLessThanOrEqual(4);
  }, 60_000);

  it('stops when cancelled, with an AbortError, before decoding the rest', async () => {
    const controller = new AbortController();
    let frames = 0;
    const run = decodeRecording(blob(), codecs, (p) => {
      frames = p.framesDecoded;
      if (p.fraction > 0.2) controller.abort();
    }, controller.signal);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(frames).toBeLessThan(rec.timestampsS.length / 2);
    const already = new AbortController();
    already.abort();
    await expect(decodeRecording(blob(), codecs, undefined, already.signal)).rejects.toMatchObject({ name: 'AbortError' });
  }, 60_000);

  it('refuses a codec the platform cannot decode, naming it, and a file that is no video', async () => {
    const noH264: CodecHost = { ...codecs, VideoDecoder: Object.assign(function () {} as unknown as CodecHost['VideoDecoder'], { isConfigSupported: async () => ({ supported: false }) }) };
    await expect(decodeRecording(blob(), noH264)).rejects.toThrow(UnsupportedCodecError);
    await expect(decodeRecording(blob(), noH264)).rejects.toThrow(/its video codec \(H\.264, avc1\.[0-9a-f]+\) cannot be decoded here/);
    await expect(decodeRecording(new Blob([new TextEncoder().encode('not a video at all, just text')]), codecs)).rejects.toThrow(UnreadableRecordingError);
    expect(describeCodec('hvc1.1.6.L120.90')).toBe('HEVC / H.265, hvc1.1.6.L120.90');
  }, 60_000);

  it('assembleAudio places chunks at their timestamps, in any order', () => {
    const a = { timestampS: 1, samples: Float32Array.from([1, 2]), sampleRate: 4 };
    const b = { timestampS: 1.5, samples: Float32Array.from([3, 4]), sampleRate: 4 };
    const track = assembleAudio([b, a])!;
    expect(track.startS).toBe(1);
    expect(Array.from(track.samples)).toEqual([1, 2, 3, 4]);
    expect(assembleAudio([])).toBeNull();
    expect(() => assembleAudio([a, { ...b, sampleRate: 8 }])).toThrow(/changes sample rate/);
    // A decoder that starts its outputs at 0 for a stream whose first packet is at −0.25 s
    // (Chromium with AAC priming): the first output goes where the first packet is.
    const shifted = assembleAudio([{ ...a, timestampS: 0 }, { ...b, timestampS: 0.5 }], -0.25)!;
    expect(shifted.startS).toBe(-0.25);
    expect(Array.from(shifted.samples)).toEqual([1, 2, 3, 4]);
  });

  it('an Opus track whose MP4 edit list already trims the pre-skip gives the decoder none left to drop (a WebM one keeps it)', () => {
    const head = new Uint8Array([0x4f, 0x70, 0x75, 0x73, 0x48, 0x65, 0x61, 0x64, 1, 1, 312 & 255, 312 >> 8, 0x80, 0xbb, 0, 0, 0, 0, 0]);
    const config: AudioDecoderConfig = { codec: 'opus', sampleRate: 48000, numberOfChannels: 1, description: head };
    const preSkipOf = (c: AudioDecoderConfig): number => new DataView((c.description as Uint8Array).buffer).getUint16(10, true);
    // The edit list starts the track 312 samples before 0: nothing left for the decoder.
    const trimmed = withoutTrimmedPreSkip(config, -312 / 48000);
    expect(preSkipOf(trimmed)).toBe(0);
    expect(Array.from((trimmed.description as Uint8Array).subarray(12))).toEqual(Array.from(head.subarray(12)));
    expect(preSkipOf(config)).toBe(312);
    // Only part of it trimmed by the timeline (e.g. 100 samples): the rest stays with the decoder.
    expect(preSkipOf(withoutTrimmedPreSkip(config, -100 / 48000))).toBe(212);
    // A track that starts at 0 (WebM, an MP4 without an edit list), AAC, or no header: unchanged.
    expect(withoutTrimmedPreSkip(config, 0)).toBe(config);
    const aac: AudioDecoderConfig = { codec: 'mp4a.40.2', sampleRate: 48000, numberOfChannels: 1, description: new Uint8Array([0x11, 0x88]) };
    expect(withoutTrimmedPreSkip(aac, -1024 / 48000)).toBe(aac);
    expect(withoutTrimmedPreSkip({ codec: 'opus', sampleRate: 48000, numberOfChannels: 1 }, -0.01).description).toBeUndefined();
  });
});

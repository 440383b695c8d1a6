/**
 * Test support: an MP4 (H.264 + AAC) of a simulated camera recording, made in memory with
 * mediabunny and @napi-rs/webcodecs (the same encoders the CLI uses), so the page's decode path
 * can be tested in Node without files.
 */
import * as napi from '@napi-rs/webcodecs';
import { BufferTarget, EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output } from 'mediabunny';
import type { AvCameraRecording } from '../../../shared/simulation/av-camera';

const AAC_PRIMING_FRAMES = 1024;

export async function encodeRecordingMp4(rec: AvCameraRecording, fps: number, bitrate = 2_000_000): Promise<Uint8Array> {
  const { width, height } = rec;
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target: new BufferTarget() });
  const videoSource = new EncodedVideoPacketSource('avc');
  const audioSource = new EncodedAudioPacketSource('aac');
  output.addVideoTrack(videoSource);
  output.addAudioTrack(audioSource);
  await output.start();
  let failure: unknown = null;
  let chain = Promise.resolve();
  const videoEncoder = new napi.VideoEncoder({
    output: (chunk, meta) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      const packet = new EncodedPacket(data, chunk.type as 'key' | 'delta', chunk.timestamp / 1e6, (chunk.duration ?? 1e6 / fps) / 1e6);
      chain = chain.then(() => videoSource.add(packet, meta as never)).catch((error: unknown) => void (failure ??= error));
    },
    error: (error) => void (failure ??= error),
  });
  videoEncoder.configure({ codec: 'avc1.64001f', width, height, bitrate, framerate: fps, hardwareAcceleration: 'prefer-software', avc: { format: 'avc' } } as never);
  const ySize = width * height;
  const i420 = new Uint8Array(ySize + 2 * (width >> 1) * (height >> 1));
  i420.fill(128, ySize);
  const luma = i420.subarray(0, ySize);
  for (let i = 0; i < rec.timestampsS.length; i++) {
    rec.renderLuma(i, luma);
    const frame = new napi.VideoFrame(i420, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: Math.round(rec.timestampsS[i] * 1e6), duration: Math.round(1e6 / fps) } as never);
    videoEncoder.encode(frame, { keyFrame: i % (2 * fps) === 0 } as never);
    frame.close();
    while (videoEncoder.encodeQueueSize > 8) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await videoEncoder.flush();
  videoEncoder.close();
  await chain;
  let audioChain = Promise.resolve();
  const rate = rec.audio.sampleRate;
  const audioEncoder = new napi.AudioEncoder({
    output: (chunk, meta) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      const packet = new EncodedPacket(data, 'key', chunk.timestamp / 1e6 - AAC_PRIMING_FRAMES / rate, (chunk.duration ?? 0) / 1e6);
      audioChain = audioChain.then(() => audioSource.add(packet, meta as never)).catch((error: unknown) => void (failure ??= error));
    },
    error: (error) => void (failure ??= error),
  });
  audioEncoder.configure({ codec: 'mp4a.40.2', sampleRate: rate, numberOfChannels: 1, bitrate: 128000 } as never);
  for (let start = 0; start < rec.audio.samples.length; start += 1024) {
    const data = rec.audio.samples.slice(start, Math.min(rec.audio.samples.length, start + 1024));
    const audioData = new napi.AudioData({ format: 'f32-planar', sampleRate: rate, numberOfFrames: data.length, numberOfChannels: 1, timestamp: Math.round((start / rate) * 1e6), data } as never);
    audioEncoder.encode(audioData);
    audioData.close();
  }
  await audioEncoder.flush();
  audioEncoder.close();
  await audioChain;
  if (failure) throw failure;
  await output.finalize();
  return new Uint8Array((output.target as BufferTarget).buffer!);
}

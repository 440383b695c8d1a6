/**
 * Fixtures of the A/V end-to-end tests, made at test time (no binaries in the repository): a
 * simulated camera recording of the A/V pattern with a known offset, as an H.264 + AAC MP4 (the
 * CLI's encoder), and as the raw files Chromium's fake capture devices play (a Y4M video and a WAV).
 */
import fs from 'node:fs';
import { encodeWav } from '../../shared/io/wav-file';
import { simulateAvCamera, type AvCameraOptions, type AvCameraRecording } from '../../shared/simulation/av-camera';
import { writeMp4 } from '../../src-main/cli/av-media';

export async function cameraMp4(path: string, options: AvCameraOptions): Promise<AvCameraRecording> {
  const rec = simulateAvCamera(options);
  await writeMp4(path, {
    width: rec.width, height: rec.height, fps: options.cameraFps, frameCount: rec.timestampsS.length, timestampS: (i) => rec.timestampsS[i],
    renderLuma: rec.renderLuma, audio: rec.audio.samples, sampleRate: rec.audio.sampleRate, bitrate: 2_000_000,
  });
  return rec;
}

/** The recording as a Y4M (4:2:0, grey: chroma 128) at its frame rate, for --use-file-for-fake-video-capture. */
export function cameraY4m(path: string, rec: AvCameraRecording, fps: number): void {
  const { width, height } = rec;
  const fd = fs.openSync(path, 'w');
  try {
    fs.writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    const frame = new Uint8Array(width * height + 2 * (width >> 1) * (height >> 1));
    frame.fill(128, width * height);
    const luma = frame.subarray(0, width * height);
    for (let i = 0; i < rec.timestampsS.length; i++) {
      rec.renderLuma(i, luma);
      fs.writeSync(fd, 'FRAME\n');
      fs.writeSync(fd, frame);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The recording's sound as a 16-bit WAV, for --use-file-for-fake-audio-capture. */
export function cameraWav(path: string, rec: AvCameraRecording): void {
  fs.writeFileSync(path, encodeWav({ sampleRate: rec.audio.sampleRate, channels: [rec.audio.samples] }, { format: 'pcm16' }));
}

/**
 * A/V refusals: a code, what was found (with figures) and what to do about it.
 */
import type { AvAnalysisOutput, AvRefusal, AvRefusalCode } from './av-schema';

const ADVICE: Record<AvRefusalCode, string> = {
  NO_VIDEO: 'Choose the camera recording (MP4, MOV or WebM with a video track).',
  CODEC_UNSUPPORTED:
    'Record as H.264: on an iPhone, Settings › Camera › Formats › Most Compatible; on Android, turn off HEVC/H.265 in the camera settings. Or convert the file to H.264 MP4 first.',
  FRAME_RATE_TOO_LOW: 'Film at 30 fps or more; slow motion (120 or 240 fps) gives the smallest uncertainty.',
  VARIABLE_FRAME_RATE: 'Keep the frame timestamps: use the camera\'s own file (MP4/MOV/WebM as recorded), not a re-encoded or screen-captured copy, or record at a fixed frame rate.',
  NO_PATTERN:
    'Play the Latency Lab A/V pattern (latency-lab av-pattern, or the app\'s A/V page) full screen, and keep the whole screen in the picture and in focus for at least 10 seconds.',
  SCREEN_TOO_SMALL: 'Move the camera closer so that the screen fills at least a tenth of the picture.',
  OVER_EXPOSED: 'Lower the camera\'s exposure (tap the screen and drag the brightness down, or lock exposure on the screen) or the display\'s brightness, so that the dark and bright flashes differ in the picture.',
  NO_AUDIO: 'Record with sound: the recording has no audio track. Check that the camera app records sound (slow motion on some phones does not; use 120 fps video mode then).',
  NO_CLICKS: 'Turn the speaker up and check that it plays the pattern\'s sound (not muted, the right output chosen); keep the camera\'s microphone uncovered and close to the speaker.',
  TOO_FEW_EVENTS: 'Film for at least 10 seconds with the whole screen in view and the speaker audible, so that at least 5 flashes and their clicks are recorded.',
};

export function avRefusal(code: AvRefusalCode, message: string): AvRefusal {
  return { code, message, advice: ADVICE[code] };
}

export function refusedOutput(code: AvRefusalCode, message: string): AvAnalysisOutput {
  return { status: 'refused', error: avRefusal(code, message), warnings: [] };
}

/** Thrown inside the analysis to stop with a refusal; analyzeAvRecording turns it into the output. */
export class AvRefusalError extends Error {
  constructor(readonly refusal: AvRefusal) {
    super(refusal.message);
  }
}

export const refuse = (code: AvRefusalCode, message: string): never => {
  throw new AvRefusalError(avRefusal(code, message));
};

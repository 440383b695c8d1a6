/** How the e2e suites launch Debian's Chromium (never a downloaded browser). */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
];

/**
 * For a real audio device: a headless page counts as hidden, so keep its renderer (which runs the
 * AudioContext) at normal priority and its timers unthrottled (e2e/audio/README.md).
 */
export const REAL_AUDIO_ARGS = ['--disable-renderer-backgrounding', '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows'];

/** Chromium launched on the PulseAudio rig: its client environment, audio not muted, never throttled. */
export function realAudioLaunchOptions(env: NodeJS.ProcessEnv) {
  return {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...REAL_AUDIO_ARGS],
    // Headless Playwright adds --mute-audio: the stream would exist in PulseAudio but carry silence.
    ignoreDefaultArgs: ['--mute-audio'],
    // PULSE_SERVER & co. (and PULSE_LATENCY_MSEC=80, see the rig README) must reach Chromium's audio code.
    env,
  };
}

/**
 * Headful when there is a display (`xvfb-run -a npx playwright test …` in CI) unless
 * LATLAB_HEADLESS=1; LATLAB_HEADFUL=1 insists on it (and fails without a display).
 */
export function wantHeadful(): boolean {
  if (process.env.LATLAB_HEADFUL === '1') return true;
  if (process.env.LATLAB_HEADLESS === '1') return false;
  return Boolean(process.env.DISPLAY);
}

/**
 * The PulseAudio rig (e2e/audio/pulse-rig.sh) seen from a spec: its client environment, whether it
 * is running, and pactl to find the browser's playback stream and move it between sinks.
 *
 * The environment is the caller's when PULSE_SERVER is set (CI runs
 * `eval "$(bash e2e/audio/pulse-rig.sh env)"`), else what `pulse-rig.sh env` prints. It goes to the
 * browser (launchOptions.env) and to every pactl call.
 */
import { execFileSync } from 'node:child_process';
import { test } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RIG_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'audio', 'pulse-rig.sh');

export const RIG_SINKS = { out: 'latlab_out', delayA: 'latlab_delay_a', delayB: 'latlab_delay_b', lowpass: 'latlab_lowpass', pair: 'latlab_pair' } as const;
export const RIG_SOURCE = 'latlab_in';
export const RIG_RATE = 48000;

/** What to run to get the rig (shown when the spec is skipped or fails). */
export const RIG_START_COMMANDS = 'bash e2e/audio/pulse-rig.sh install && bash e2e/audio/pulse-rig.sh start';

export interface RigStatus {
  env: NodeJS.ProcessEnv;
  /** Null when the rig is up with every sink; else what is wrong. */
  problem: string | null;
  delayASamples: number;
  delayBSamples: number;
}

function rigEnvironment(): NodeJS.ProcessEnv {
  if (process.env.PULSE_SERVER) return { ...process.env, PULSE_LATENCY_MSEC: process.env.PULSE_LATENCY_MSEC ?? '80' };
  const out = execFileSync('bash', ['-c', 'eval "$(bash "$0" env)" && env -0', RIG_SCRIPT], { encoding: 'utf8', timeout: 10_000 });
  const env: NodeJS.ProcessEnv = {};
  for (const entry of out.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

export function pactl(env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync('pactl', args, { env, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const pactlJson = <T>(env: NodeJS.ProcessEnv, ...args: string[]): T => JSON.parse(pactl(env, '-f', 'json', ...args)) as T;

export function rigStatus(): RigStatus {
  let env: NodeJS.ProcessEnv = process.env;
  const status = (problem: string | null): RigStatus => ({
    env,
    problem,
    delayASamples: Number(env.LATLAB_DELAY_A_SAMPLES ?? 1200),
    delayBSamples: Number(env.LATLAB_DELAY_B_SAMPLES ?? 3840),
  });
  try {
    env = rigEnvironment();
  } catch (error) {
    return status(`the rig's environment could not be read (${(error as Error).message.split('\n')[0]})`);
  }
  try {
    const sinks = pactlJson<Array<{ name: string }>>(env, 'list', 'short', 'sinks').map((s) => s.name);
    const missing = Object.values(RIG_SINKS).filter((s) => !sinks.includes(s));
    if (missing.length > 0) return status(`the PulseAudio server at ${env.PULSE_SERVER} has no sink ${missing.join(', ')} (it is not the rig)`);
    const info = pactlJson<{ default_source_name: string }>(env, 'info');
    if (info.default_source_name !== RIG_SOURCE) return status(`the default source is ${info.default_source_name}, not ${RIG_SOURCE}`);
    return status(null);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return status('pactl is not installed (apt package pulseaudio-utils)');
    return status(`no PulseAudio rig answers at ${env.PULSE_SERVER ?? '(PULSE_SERVER unset)'}`);
  }
}

export interface SinkInput {
  index: number;
  sink: number;
  properties: Record<string, string>;
}

/** The browser's playback streams (Chromium names itself in application.name / process.binary). */
export function chromiumSinkInputs(env: NodeJS.ProcessEnv): SinkInput[] {
  return pactlJson<SinkInput[]>(env, 'list', 'sink-inputs').filter((s) =>
    /chrom/i.test(`${s.properties['application.name'] ?? ''} ${s.properties['application.process.binary'] ?? ''}`),
  );
}

export function sinkNameOf(env: NodeJS.ProcessEnv, sinkInput: number): string {
  const si = pactlJson<SinkInput[]>(env, 'list', 'sink-inputs').find((s) => s.index === sinkInput);
  if (!si) throw new Error(`sink-input ${sinkInput} is gone`);
  const sink = pactlJson<Array<{ index: number; name: string }>>(env, 'list', 'short', 'sinks').find((s) => s.index === si.sink);
  return sink?.name ?? `#${si.sink}`;
}

/** Moves the stream and checks that it arrived. */
export function moveSinkInput(env: NodeJS.ProcessEnv, sinkInput: number, sink: string): void {
  pactl(env, 'move-sink-input', String(sinkInput), sink);
  const now = sinkNameOf(env, sinkInput);
  if (now !== sink) throw new Error(`pactl move-sink-input ${sinkInput} ${sink}: the stream is on ${now}`);
}

/** The control values a LADSPA sink was loaded with (module-ladspa-sink's `control=` argument). */
export function ladspaControls(env: NodeJS.ProcessEnv, sink: string): number[] {
  const modules = pactlJson<Array<{ name: string; argument: string | null }>>(env, 'list', 'modules');
  const mod = modules.find((m) => m.name === 'module-ladspa-sink' && new RegExp(`(^|\\s)sink_name=${sink}(\\s|$)`).test(m.argument ?? ''));
  const control = /(?:^|\s)control=(\S+)/.exec(mod?.argument ?? '')?.[1];
  if (!control) throw new Error(`no module-ladspa-sink with sink_name=${sink} and control=…`);
  return control.split(',').map(Number);
}

/**
 * For a spec that needs the rig: its status, with every test of the spec skipped (and the commands
 * that start the rig printed once) when it is not running — unless LATLAB_REQUIRE_AUDIO_RIG=1 (CI),
 * where `assertUsable` in the test fails instead. Call at the top level of the spec.
 */
export function rigForSpec(specFile: string): RigStatus & { assertUsable: () => void } {
  const rig = rigStatus();
  const required = process.env.LATLAB_REQUIRE_AUDIO_RIG === '1';
  const howToStart = `Start it with: ${RIG_START_COMMANDS} — then run the e2e again (LATLAB_REQUIRE_AUDIO_RIG=1 turns this skip into a failure).`;
  const skipReason = `Real-audio rig not running: ${rig.problem}. ${howToStart}`;
  // The list reporter does not show skip reasons: say it once, when the runner collects the tests.
  if (rig.problem !== null && !required && process.env.TEST_WORKER_INDEX === undefined) console.log(`${specFile} will be skipped. ${skipReason}`);
  test.skip(rig.problem !== null && !required, skipReason);
  return {
    ...rig,
    assertUsable: () => {
      if (rig.problem) throw new Error(`LATLAB_REQUIRE_AUDIO_RIG=1 but the real-audio rig is not usable: ${rig.problem}. ${howToStart}`);
    },
  };
}

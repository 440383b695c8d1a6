import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateAvCamera } from '../../shared/simulation/av-camera';
import { avAnalysisOutputSchema } from '../../shared/av/av-schema';
import { avCalibrationOutputSchema } from '../../shared/av/av-calibration';
import { parseStoredReportText } from '../../shared/report/av-report';
import { writeMp4 } from './av-media';
import { expectUsageError, runCli } from './cli-test-support';

const dir = mkdtempSync(join(tmpdir(), 'av-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('latency-lab av-pattern and av-analyze', () => {
  it('exports the pattern as H.264 + AAC MP4 and refuses to overwrite without --force', async () => {
    const out = join(dir, 'pattern.mp4');
    const first = await runCli(dir, 'av-pattern', '--out', out, '--duration', '8', '--width', '320', '--height', '180');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/H\.264 \+ AAC/);
    expectUsageError(await runCli(dir, 'av-pattern', '--out', out, '--duration', '8'), /already exists/);
  });

  it('measures a simulated camera recording: JSON shape, corrections, verdicts', async () => {
    const rec = simulateAvCamera({ seed: 21, durationS: 12, cameraFps: 120, width: 320, height: 180, videoLatencyS: 0.02, audioLatencyS: 0.09, distanceM: 3, cameraOffsetMs: 5, displayPpm: 1000 });
    const path = join(dir, 'camera.mp4');
    await writeMp4(path, { width: 320, height: 180, fps: 120, frameCount: rec.timestampsS.length, timestampS: (i) => rec.timestampsS[i], renderLuma: rec.renderLuma, audio: rec.audio.samples, sampleRate: rec.audio.sampleRate, bitrate: 2_000_000 });
    const run = await runCli(dir, 'av-analyze', '--video', path, '--json', '--distance-m', '3', '--camera-offset-ms', '5', '--report', join(dir, 'av.json'));
    expect(run.code, run.stderr).toBe(0);
    const output = avAnalysisOutputSchema.parse(JSON.parse(run.stdout));
    const av = output.av!;
    expect(Math.abs(av.offsetMs - rec.trueOffsetMs)).toBeLessThanOrEqual(av.uncertaintyMs);
    expect(av.travelMs).toBeCloseTo(3000 / 343, 6);
    expect(av.cameraOffsetMs).toBe(5);
    expect(av.events.length).toBeGreaterThanOrEqual(8);
    expect(output.lipSync!.verdicts.map((v) => v.standardId)).toContain('ebu-r37');

    // --report writes an A/V report the library and `latency-lab report` read.
    const report = parseStoredReportText(readFileSync(join(dir, 'av.json'), 'utf8'));
    expect(report.kind).toBe('latency-lab-av-report');
    if (report.kind !== 'latency-lab-av-report') return;
    expect(report.analysis).toEqual(output);
    expect(report.settings).toMatchObject({ source: 'cli', videoFile: 'camera.mp4', distanceM: 3, cameraOffsetMs: 5, patternFps: 60 });
    expect(report.settings.codec).toMatch(/^avc1\./);
    expect(report.title).toMatch(/^A\/V offset [+−]?\d+\.\d ms ± \d+\.\d ms$/);
    const html = await runCli(dir, 'report', join(dir, 'av.json'), '--html', join(dir, 'av.html'), '--csv-events', join(dir, 'av.csv'));
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(join(dir, 'av.html'), 'utf8')).toContain('Latency Lab A/V report');
    expect(readFileSync(join(dir, 'av.csv'), 'utf8').trimEnd().split('\n').length).toBe(av.events.length + 1);
    expectUsageError(await runCli(dir, 'report', join(dir, 'av.json'), '--csv-fr', join(dir, 'fr.csv')), /A\/V \(lip-sync\) report: .*no frequency response/);
    expect(existsSync(join(dir, 'fr.csv'))).toBe(false);
  });

  it('--title and --setup need --report, and are limited like analyze\'s', async () => {
    expectUsageError(await runCli(dir, 'av-analyze', '--video', join(dir, 'x.mp4'), '--title', 'x'), /--title and --setup go into the report/);
    expectUsageError(await runCli(dir, 'av-analyze', '--video', join(dir, 'x.mp4'), '--report', join(dir, 'r.json'), '--title', 'x'.repeat(201)), /at most 200/);
  });

  it('refuses a recording without sound (exit 1) and a missing file (exit 2)', async () => {
    const rec = simulateAvCamera({ seed: 22, durationS: 8, cameraFps: 60, width: 160, height: 90, videoLatencyS: 0.02, audioLatencyS: 0.09, muted: true });
    const path = join(dir, 'muted.mp4');
    await writeMp4(path, { width: 160, height: 90, fps: 60, frameCount: rec.timestampsS.length, timestampS: (i) => rec.timestampsS[i], renderLuma: rec.renderLuma, audio: rec.audio.samples, sampleRate: rec.audio.sampleRate, bitrate: 500_000 });
    const run = await runCli(dir, 'av-analyze', '--video', path, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('NO_CLICKS');
    expectUsageError(await runCli(dir, 'av-analyze', '--video', join(dir, 'nope.mp4')), /no such file/);
  });

  it('av-calibrate: the camera offset of a recording of a reference of known offset, within its uncertainty', async () => {
    const rec = simulateAvCamera({ seed: 23, durationS: 12, cameraFps: 120, width: 320, height: 180, videoLatencyS: 0.02, audioLatencyS: 0.024, distanceM: 0.5, cameraOffsetMs: 8, displayPpm: 1000 });
    const path = join(dir, 'calibration.mp4');
    await writeMp4(path, { width: 320, height: 180, fps: 120, frameCount: rec.timestampsS.length, timestampS: (i) => rec.timestampsS[i], renderLuma: rec.renderLuma, audio: rec.audio.samples, sampleRate: rec.audio.sampleRate, bitrate: 2_000_000 });
    const known = rec.trueOffsetMs.toFixed(3);
    const run = await runCli(dir, 'av-calibrate', '--video', path, '--reference-offset-ms', known, '--distance-m', '0.5', '--json');
    expect(run.code, run.stderr).toBe(0);
    const output = avCalibrationOutputSchema.parse(JSON.parse(run.stdout));
    expect(output.status).toBe('ok');
    if (output.status !== 'ok') return;
    expect(Math.abs(output.calibration.cameraOffsetMs - 8)).toBeLessThanOrEqual(output.calibration.uncertaintyMs + 0.001);
    const text = await runCli(dir, 'av-calibrate', '--video', path, '--reference-offset-ms', known, '--distance-m', '0.5');
    expect(text.stdout).toMatch(/^Camera offset -?\d+\.\d\d ms ± \d+\.\d\d ms/);
    expect(text.stdout).toContain('--camera-offset-ms');
    expectUsageError(await runCli(dir, 'av-calibrate', '--video', path, '--reference-offset-ms', '5000'), /reference-offset-ms/);
    expectUsageError(await runCli(dir, 'av-analyze', '--video', path, '--camera-calibration-fps', '120'), /goes with --camera-offset-ms/);
    // Used at the frame rate it was calibrated at: no warning about it.
    const use = await runCli(dir, 'av-analyze', '--video', path, '--json', '--distance-m', '0.5', '--camera-offset-ms', output.calibration.cameraOffsetMs.toFixed(3), '--camera-calibration-fps', output.calibration.videoFps.toFixed(3));
    expect(use.code, use.stderr).toBe(0);
    expect(JSON.parse(use.stdout).warnings.map((w: { code: string }) => w.code)).not.toContain('CALIBRATION_OTHER_FRAME_RATE');
    const other = await runCli(dir, 'av-analyze', '--video', path, '--json', '--camera-offset-ms', '8', '--camera-calibration-fps', '240');
    expect(JSON.parse(other.stdout).warnings.map((w: { code: string }) => w.code)).toContain('CALIBRATION_OTHER_FRAME_RATE');
    expectUsageError(await runCli(dir, 'av-calibrate'), /av-calibrate needs --video/);
  });
});

/**
 * Test support for the CLI's integration tests: run the bundled CLI (out/cli/latency-lab.mjs, built
 * by `npm run build:cli`) in a folder as a user would, and check a usage error's shape.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'out/cli/latency-lab.mjs');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd`; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runCli(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(new Error(`latency-lab ${args.join(' ')} did not exit normally: ${error.message}`));
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** Exit 2, nothing on stdout, exactly one stderr line "latency-lab: …" without a stack trace. */
export function expectUsageError(run: Run, message: RegExp): void {
  expect(run, run.stderr).toMatchObject({ code: 2, stdout: '' });
  expect(run.stderr.endsWith('\n')).toBe(true);
  const lines = run.stderr.slice(0, -1).split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0].startsWith('latency-lab: ')).toBe(true);
  expect(lines[0]).not.toContain('    at ');
  expect(lines[0]).not.toContain('internal error');
  expect(lines[0]).toMatch(message);
}

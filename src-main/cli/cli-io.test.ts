// The CLI's input helpers in process: read limits by bytes actually read, the size wording, strict
// decimal numbers, and text made safe for a terminal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, formatBytes, integerOption, MAX_INPUT_BYTES, numberOption, oneLine, printable, printableJson, readInputFile, readInputText } from './cli-io';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-cli-io-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readInputFile', () => {
  it('reads a file of exactly the limit and refuses one byte more, naming exact sizes', () => {
    writeFileSync(join(dir, 'at.bin'), Buffer.alloc(100, 7));
    writeFileSync(join(dir, 'over.bin'), Buffer.alloc(101, 7));
    expect(readInputFile(join(dir, 'at.bin'), 'capture', 100)).toEqual(Buffer.alloc(100, 7));
    expect(() => readInputFile(join(dir, 'over.bin'), 'capture', 100)).toThrow(new CliError(`capture ${join(dir, 'over.bin')} is 101 bytes, more than the 100 bytes this command reads`));
  });

  it('caps by the bytes read, not by stat (a /proc file says 0 bytes)', () => {
    expect(readInputFile('/proc/self/status', 'profile', 1 << 20).toString('utf8')).toMatch(/^Name:/);
    expect(() => readInputFile('/proc/self/status', 'profile', 16)).toThrow('profile /proc/self/status holds more than the 16 bytes this command reads (its stated size is 0 bytes)');
  });

  it('refuses devices and directories; the limit is 1 GiB', () => {
    expect(() => readInputFile('/dev/zero', 'capture')).toThrow(/capture \/dev\/zero is a device, not a regular file/);
    expect(() => readInputFile(dir, 'capture')).toThrow(/is a directory, not a file/);
    expect(MAX_INPUT_BYTES).toBe(1073741824);
  });

  it('readInputText drops a UTF-8 byte order mark', () => {
    writeFileSync(join(dir, 'bom.json'), '\ufeff{"a":1}');
    expect(readInputText(join(dir, 'bom.json'), 'profile', 1000)).toBe('{"a":1}');
  });
});

describe('sizes in messages', () => {
  it('exact bytes, and MiB or GiB with one decimal, so 1 GiB + 1 byte does not read as "1024 MiB, more than 1024 MiB"', () => {
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(MAX_INPUT_BYTES)).toBe('1073741824 bytes (1.0 GiB)');
    expect(formatBytes(MAX_INPUT_BYTES + 1)).toBe('1073741825 bytes (1.0 GiB)');
    expect(formatBytes(5 * 2 ** 20 + 2 ** 19)).toBe('5767168 bytes (5.5 MiB)');
  });
});

describe('numbers', () => {
  it('integers in decimal digits only', () => {
    expect(integerOption('rate', '48000', 8000, 384000)).toBe(48000);
    expect(integerOption('rate', '+8000', 8000, 384000)).toBe(8000);
    for (const bad of ['0x1F40', '0b1', '0o7', '8e3', '8000.0', '', ' ', 'Infinity']) expect(() => integerOption('rate', bad, 0, 1e9), bad).toThrow(CliError);
  });

  it('numbers in decimal notation only', () => {
    expect(numberOption('level', '-20.5', -60, 0)).toBe(-20.5);
    expect(numberOption('duration', '1e1', 1, 100)).toBe(10);
    expect(numberOption('duration', '.5', 0, 1)).toBe(0.5);
    for (const bad of ['0x10', 'Infinity', '-Infinity', 'NaN', '1_000', '', '12ms']) expect(() => numberOption('duration', bad, -1e9, 1e9), bad).toThrow(/expects a number/);
  });
});

describe('printable text', () => {
  it('strips C0 (but tab and line feed), DEL and C1 controls', () => {
    expect(printable('a\u001b[2Jb\u0007c\u0000d\u007fe\u009bf\tg\nh\ri')).toBe('a[2Jbcdef\tg\nhi');
    expect(oneLine('one\n two\r\nthree\u001b')).toBe('one two three');
  });

  it('JSON keeps the data but escapes what JSON.stringify leaves raw', () => {
    const value = { name: 'x\u001b\u007f\u0085y' };
    const text = printableJson(value);
    expect(text).toBe('{"name":"x\\u001b\\u007f\\u0085y"}');
    expect(JSON.parse(text)).toEqual(value);
  });
});

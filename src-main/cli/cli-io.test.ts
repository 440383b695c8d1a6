// The CLI's input helpers in process: read limits by bytes actually read, the size wording, strict
// decimal numbers, and text made safe for a terminal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, readWavLayout } from '../../shared/io/wav-file';
import { CliError, formatBytes, integerOption, MAX_INPUT_BYTES, numberOption, oneLine, printable, printableJson, readInputFile, readInputText, readWavInput } from './cli-io';

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

describe('readWavInput', () => {
  const audio = (channelCount: number, frames: number): Float32Array[] =>
    Array.from({ length: channelCount }, (_, c) => Float32Array.from({ length: frames }, (_, i) => Math.sin(0.01 * i * (c + 1)) * 0.5));

  it("decodes a mono float file (samples at byte 58) to a view of the file's own bytes, moved to a 4-byte boundary", () => {
    const channels = audio(1, 10_000);
    const file = encodeWav({ sampleRate: 48000, channels }, { format: 'float32' });
    expect(readWavLayout(file).dataStart % 4).not.toBe(0);
    writeFileSync(join(dir, 'mono.wav'), file);
    const input = readWavInput(join(dir, 'mono.wav'), 'capture');
    const samples = input.channel(1, 'capture-channel');
    expect(samples).toEqual(channels[0]);
    expect(samples.byteOffset % 4).toBe(0);
    // A view, not a copy: its buffer holds the whole file and the slack the read leaves.
    expect(samples.buffer.byteLength).toBeGreaterThanOrEqual(file.length);
    expect(samples.buffer.byteLength).toBeLessThan(file.length + 8);
    // Decoding the channel again gives the same samples (the bytes were moved once).
    expect(input.channel(1, 'capture-channel')).toEqual(channels[0]);
  });

  it('decodes other formats and channel counts as copies, the same samples as before', () => {
    for (const [format, channelCount] of [['float32', 2], ['pcm24', 1]] as const) {
      const channels = audio(channelCount, 5000);
      const file = encodeWav({ sampleRate: 44100, channels }, { format });
      writeFileSync(join(dir, `${format}-${channelCount}.wav`), file);
      const input = readWavInput(join(dir, `${format}-${channelCount}.wav`), 'reference');
      for (let c = 0; c < channelCount; c++) {
        const samples = input.channel(c + 1, 'reference-channel');
        expect(samples.length).toBe(5000);
        for (let i = 0; i < 5000; i += 97) expect(samples[i]).toBeCloseTo(channels[c][i], format === 'pcm24' ? 6 : 12);
        expect(samples.buffer.byteLength).toBe(5000 * 4);
      }
    }
  });
});

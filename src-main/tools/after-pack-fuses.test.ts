// The packaging hook flips the Electron fuses: checked on a stand-in binary that carries a fuse
// wire as Electron's does (the sentinel, version 1, the wire length, one byte per fuse), for the
// file name electron-builder gives each platform.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module without types (electron-builder loads it by path)
import afterPack, { fuseConfig, packagedBinary } from './after-pack-fuses.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 49;
const OFF = 48;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-fuses-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in binary: filler, the fuse wire with every fuse at Electron's default, more filler. */
function fakeElectron(path: string): void {
  const defaults = [ON, OFF, ON, ON, OFF, OFF, ON, ON]; // RunAsNode … GrantFileProtocolExtraPrivileges, as shipped
  writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 0xcc), Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, defaults.length, ...defaults]), Buffer.alloc(4096, 0xdd)]));
}

const context = (platform: string, appOutDir: string) => ({
  electronPlatformName: platform,
  appOutDir,
  packager: { executableName: 'latency-lab', appInfo: { productFilename: 'Latency Lab' } },
});

describe('afterPack: Electron fuses', () => {
  for (const [platform, file, integrity] of [['linux', 'latency-lab', OFF], ['win32', 'Latency Lab.exe', ON]] as const) {
    it(`${platform}: ${file} gets the fuses, nothing else of the binary changes`, async () => {
      const out = join(dir, platform);
      mkdirSync(out);
      const binary = join(out, file);
      fakeElectron(binary);
      const before = readFileSync(binary);
      expect(packagedBinary(context(platform, out))).toBe(binary);
      await afterPack(context(platform, out));
      const wire = await getCurrentFuseWire(binary);
      expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(integrity);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
      expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(ON); // left as shipped
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
      const after = readFileSync(binary);
      expect(after.length).toBe(before.length);
      const changed = [...after].filter((byte, i) => byte !== before[i]).length;
      expect(changed).toBe(integrity === ON ? 7 : 6);
    });
  }

  it('macOS: the .app bundle, with the ad-hoc signature reset', () => {
    expect(packagedBinary(context('darwin', '/out'))).toBe(join('/out', 'Latency Lab.app'));
    expect(fuseConfig('darwin')).toMatchObject({ resetAdHocDarwinSignature: true, [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true });
    expect(fuseConfig('linux').resetAdHocDarwinSignature).toBe(false);
  });
});

describe('the packaging configuration (.config/electron-builder.yml)', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const config = readFileSync(join(root, '.config/electron-builder.yml'), 'utf8');

  it('runs this hook, and every file it names exists', () => {
    expect(config).toMatch(/^afterPack: src-main\/tools\/after-pack-fuses\.mjs$/m);
    for (const [, file] of config.matchAll(/^\s*(?:afterPack|entitlements|entitlementsInherit): (\S+)$/gm)) expect(existsSync(join(root, file)), file).toBe(true);
  });

  it('builds installers for Linux, Windows and macOS, from the built app only', () => {
    for (const target of ['AppImage', 'deb', 'nsis', 'dmg']) expect(config).toContain(`- ${target}`);
    expect(config).toMatch(/^files:\n {2}- out\/main\/\*\*\n {2}- out\/preload\/\*\*\n {2}- out\/renderer\/\*\*\n/m);
    expect(config).toMatch(/^asar: true$/m);
  });
});

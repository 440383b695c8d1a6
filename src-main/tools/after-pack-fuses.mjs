// electron-builder afterPack hook (.config/electron-builder.yml): flips the Electron fuses of the
// packaged app before it is signed and turned into installers. Fuses are switches compiled into
// the Electron binary; flipped off, a feature cannot be turned back on by command-line flags or
// environment variables on the user's machine.
//
//   RunAsNode off                       ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node
//   EnableNodeOptionsEnvironmentVariable off   NODE_OPTIONS cannot inject code
//   EnableNodeCliInspectArguments off   --inspect cannot attach a debugger
//   EnableCookieEncryption on           cookies on disk are encrypted with the OS key store
//   OnlyLoadAppFromAsar on              the app code is loaded from app.asar only
//   EnableEmbeddedAsarIntegrityValidation on (macOS and Windows, where electron-builder records the
//                                       asar's hash): a modified app.asar is refused
//   GrantFileProtocolExtraPrivileges off  file:// gets no extra privileges (the app uses app://)
//
// The fuses are checked in src-main/tools/after-pack-fuses.test.ts on a binary with a fuse wire.
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** The fuse settings for a platform (electron-builder's electronPlatformName). */
export function fuseConfig(platform) {
  return {
    version: FuseVersion.V1,
    // Flipping fuses changes the binary: an ad-hoc macOS signature must be redone (electron-builder signs after this hook).
    resetAdHocDarwinSignature: platform === 'darwin' || platform === 'mas',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'darwin' || platform === 'mas' || platform === 'win32',
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** The packaged Electron binary (or .app bundle) in electron-builder's output folder. */
export function packagedBinary(context) {
  const { electronPlatformName: platform, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${name}.app`);
  if (platform === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName);
}

export default async function afterPack(context) {
  const binary = packagedBinary(context);
  await flipFuses(binary, fuseConfig(context.electronPlatformName));
  console.log(`  • Electron fuses flipped in ${binary}`);
}

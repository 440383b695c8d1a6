// `npm start` runs this first: the project does not let Electron's npm package download its binary
// on install (package.json `allowScripts`: the CI machines cannot reach GitHub), so fetch it once,
// with the package's own installer (node_modules/electron/install.js), when it is missing. Note:
// requiring 'electron' would also try to download; this checks the files instead.
//
// The installer prints a raw stack trace when the download fails (`TypeError: fetch failed ...`);
// its output is kept to itself and only our message, which says what to do, is printed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = new URL('../../node_modules/electron/', import.meta.url);

function binaryPresent() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return true;
  const pathFile = new URL('path.txt', packageDir);
  if (!existsSync(pathFile)) return false;
  return existsSync(new URL(`dist/${readFileSync(pathFile, 'utf8').trim()}`, packageDir));
}

if (!existsSync(new URL('package.json', packageDir))) {
  console.error('Electron is not installed: run `npm install` first.');
  process.exit(1);
}
if (!binaryPresent()) {
  console.log('Downloading the Electron binary (once)...');
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('install.js', packageDir))], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0 || !binaryPresent()) {
    console.error(
      'Could not download the Electron binary (it comes from GitHub). Check the network, or set ELECTRON_MIRROR, ' +
        'then run `node node_modules/electron/install.js`. The app also runs in a browser without Electron: `npm run web`.',
    );
    process.exit(1);
  }
}

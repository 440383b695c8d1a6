// Electronegativity security scan of the desktop app: the main process and preload sources
// (src-main, without the CLI) and, when built, the bundles in out/ (main, preload, renderer).
// Prints every finding as a table and exits 1 on any HIGH severity finding (2 when the scan
// itself fails), so CI fails on a dangerous Electron configuration.
//
//   node src-main/tools/security-scan.mjs            # scan src-main and out/ (if built)
//   node src-main/tools/security-scan.mjs --json     # findings as JSON on stdout
//   node src-main/tools/security-scan.mjs --input D  # scan folder D instead (used by the tests)
//
// Offline by design: Electronegativity fetches translations and Electron's release list from the
// network; both look-ups are answered "offline" here (its documented fallback), and the release
// check (AvailableSecurityFixesGlobalCheck) is skipped: the Electron version is pinned by the
// lockfile and upgraded through the registry. The Electron version is read from the installed
// package's package.json (never require('electron'), which would try to download the binary).
//
// The Content-Security-Policy: the app sets it as a response header of its app:// protocol
// (src-main/main/window/app-protocol.ts, with CONTENT_SECURITY_POLICY from
// shared/contract/content-security-policy.ts), in a way Electronegativity's CSP checks cannot follow
// (they look for onHeadersReceived assignments or <meta> tags). So the scan stages that very policy
// as a <meta> tag (app-protocol-csp/index.html, built from the same constant), and the CSP check
// evaluates the policy the app really sends instead of reporting it missing.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, cpSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const asJson = process.argv.includes('--json');
const inputIndex = process.argv.indexOf('--input');
const inputOverride = inputIndex > 0 ? process.argv[inputIndex + 1] : null;

/** Checks that cannot apply offline or to this project, with the reason. */
const EXCLUDED_CHECKS = {
  AvailableSecurityFixesGlobalCheck: 'needs the network (GitHub); the Electron version is pinned and upgraded through npm',
};

// --- Keep Electronegativity offline -------------------------------------------------------------
const runnerPath = require.resolve('@doyensec/electronegativity');
const gotPath = createRequire(runnerPath).resolve('got');
const offline = () => Promise.reject(new Error('offline: network look-ups are disabled in the security scan'));
const gotStub = Object.assign(offline, { head: offline, get: offline, stream: offline, extend: () => gotStub });
const stubModule = new Module(gotPath);
stubModule.filename = gotPath;
stubModule.loaded = true;
stubModule.exports = gotStub;
require.cache[gotPath] = stubModule;
// Its "Could not retrieve updated translations" line is expected offline; keep the output clean.
const realLog = console.log;
console.log = (...args) => {
  if (typeof args[0] === 'string' && /Could not retrieve updated translations|Something went wrong while fetching Electron/.test(args[0])) return;
  realLog(...args);
};
// Electronegativity logs through winston; its missing-version warning is irrelevant with the override.
const run = require('@doyensec/electronegativity');

// --- What to scan -------------------------------------------------------------------------------
const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;

/** The policy the app:// protocol sends, read from its one definition. */
async function appContentSecurityPolicy() {
  const source = join(ROOT, 'shared/contract/content-security-policy.ts');
  const { outputFiles } = await build({ entryPoints: [source], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent' });
  const url = `data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`;
  const { CONTENT_SECURITY_POLICY } = await import(url);
  if (typeof CONTENT_SECURITY_POLICY !== 'string' || CONTENT_SECURITY_POLICY === '') throw new Error(`no CONTENT_SECURITY_POLICY in ${pathToFileURL(source).href}`);
  return CONTENT_SECURITY_POLICY;
}

const escapeAttribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A copy of the sources to scan: src-main without the CLI, the tools and the tests, and the app's CSP. */
async function stageSources() {
  const stage = mkdtempSync(join(tmpdir(), 'latency-lab-scan-'));
  const src = join(ROOT, 'src-main');
  const skip = (path) => {
    const rel = relative(src, path);
    return rel.startsWith(`cli${sep}`) || rel === 'cli' || rel.startsWith(`tools${sep}`) || rel === 'tools' || /\.test\.ts$/.test(rel) || /test-fixtures\.ts$/.test(rel);
  };
  cpSync(src, join(stage, 'src-main'), { recursive: true, filter: (path) => !skip(path) });
  for (const part of ['main', 'preload', 'renderer']) {
    const built = join(ROOT, 'out', part);
    if (existsSync(built)) cpSync(built, join(stage, 'out', part), { recursive: true, filter: (path) => !path.endsWith('.map') });
  }
  const csp = await appContentSecurityPolicy();
  mkdirSync(join(stage, 'app-protocol-csp'));
  writeFileSync(
    join(stage, 'app-protocol-csp', 'index.html'),
    `<!doctype html>\n<!-- The Content-Security-Policy header of the app:// protocol (shared/contract/content-security-policy.ts), staged by security-scan.mjs -->\n` +
      `<html><head><meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}"></head><body></body></html>\n`,
  );
  return stage;
}

function countFiles(dir) {
  let count = 0;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    count += statSync(path).isDirectory() ? countFiles(path) : 1;
  }
  return count;
}

function pad(text, width) {
  const s = String(text);
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

const stage = inputOverride ? mkdtempSync(join(tmpdir(), 'latency-lab-scan-')) : await stageSources();
if (inputOverride) cpSync(inputOverride, join(stage, 'input'), { recursive: true });
let result;
try {
  result = await run({
    input: stage,
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: Object.keys(EXCLUDED_CHECKS),
    severitySet: 'informational',
    confidenceSet: 'tentative',
  });
} catch (error) {
  console.error(`The security scan could not run: ${error instanceof Error ? error.message : String(error)}`);
  rmSync(stage, { recursive: true, force: true });
  process.exit(2);
}
const scannedFiles = countFiles(stage);
rmSync(stage, { recursive: true, force: true });
console.log = realLog;

const issues = result.issues.map((issue) => ({
  id: issue.id,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  file: issue.file,
  line: issue.location?.line ?? 0,
  column: issue.location?.column ?? 0,
  manualReview: issue.manualReview === true,
  description: issue.description,
}));
const order = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 };
issues.sort((a, b) => (order[a.severity] ?? 9) - (order[b.severity] ?? 9) || a.file.localeCompare(b.file) || a.line - b.line);
const high = issues.filter((i) => i.severity === 'HIGH');
const parseErrors = result.errors.filter((e) => !e.tolerable);

if (asJson) {
  console.log(JSON.stringify({ electronVersion, scannedFiles, excluded: EXCLUDED_CHECKS, issues, parseErrors }, null, 2));
} else {
  console.log(`Electronegativity ${require('@doyensec/electronegativity/package.json').version}: ${result.globalChecks} global and ${result.atomicChecks} atomic checks on ${scannedFiles} files (Electron ${electronVersion})`);
  for (const [check, why] of Object.entries(EXCLUDED_CHECKS)) console.log(`  skipped ${check}: ${why}`);
  if (!inputOverride) console.log('  CSP: the app:// protocol header (shared/contract/content-security-policy.ts) is staged as app-protocol-csp/index.html');
  if (issues.length === 0) {
    console.log('No findings.');
  } else {
    const widths = { severity: 13, confidence: 10, id: 40, where: 50 };
    console.log(`\n${pad('SEVERITY', widths.severity)} ${pad('CONFIDENCE', widths.confidence)} ${pad('CHECK', widths.id)} ${pad('FILE:LINE', widths.where)} DESCRIPTION`);
    for (const i of issues) {
      const review = i.manualReview ? ' (review)' : '';
      console.log(`${pad(i.severity, widths.severity)} ${pad(i.confidence, widths.confidence)} ${pad(i.id, widths.id)} ${pad(`${i.file}:${i.line}:${i.column}`, widths.where)} ${i.description}${review}`);
    }
  }
  for (const e of parseErrors) console.log(`could not parse ${e.file}: ${e.message}`);
  console.log(`\n${issues.length} finding(s): ${high.length} HIGH, ${issues.filter((i) => i.severity === 'MEDIUM').length} MEDIUM, ${issues.filter((i) => i.severity === 'LOW').length} LOW, ${issues.filter((i) => i.severity === 'INFORMATIONAL').length} informational.`);
}

if (parseErrors.length > 0) {
  console.error('The security scan failed: some files could not be parsed (see above).');
  process.exit(2);
}
if (high.length > 0) {
  console.error(`The security scan failed: ${high.length} HIGH severity finding(s).`);
  process.exit(1);
}
// With --json, stdout holds the JSON only.
(asJson ? console.error : console.log)('Security scan passed: no HIGH severity findings.');

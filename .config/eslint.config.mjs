// Lint rules for the whole project. Run with `npm run lint` (eslint -c .config/eslint.config.mjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Convention 1: shared/ is laid out in layers, and a layer imports only from layers below it (or
 * from itself). A new folder in shared/ must be added here, or every import into it is an error.
 * simulation/ (synthetic paths and filters with a known answer) serves tests, the bench and e2e;
 * no product code imports it.
 */
export const SHARED_LAYERS = {
  primitives: 0, // fft, random numbers, statistics, levels, sinc interpolation, version
  dsp: 1, // correlation, convolution, sub-sample peaks
  io: 1, // WAV codec
  stimulus: 2, // click train, pink noise, log sweep
  analysis: 3, // stimulus layout, latency, frequency response, the one analysis pass
  claims: 4, // claims catalogue and seed articles, lip-sync standards, verdicts
  report: 5, // report schema, HTML, CSV, export renderer, chart maths
  contract: 6, // IPC contract, library entry, CSP
  simulation: 7, // test-only: may import any layer, imported by none in product code
};
const TEST_SUPPORT = /(\.test\.tsx?|\.e2e\.ts|test-fixtures\.ts|test-support\.ts|jsdom-chart-layout\.ts)$/;

const layerOf = (absPath) => {
  const rel = relative(resolve(ROOT, 'shared'), absPath);
  if (rel.startsWith('..')) return null;
  const folder = rel.split(sep)[0];
  return folder in SHARED_LAYERS ? folder : undefined;
};

const layersPlugin = {
  rules: {
    layers: {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const file = context.filename;
        const fromRel = relative(ROOT, file);
        const isTestSupport = TEST_SUPPORT.test(file) || fromRel.startsWith(`e2e${sep}`) || fromRel.startsWith(`src-main${sep}tools${sep}`);
        const fromLayer = layerOf(file);
        const check = (node, spec) => {
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const target = resolve(dirname(file), spec);
          const toLayer = layerOf(target);
          if (toLayer === null) return;
          if (toLayer === undefined) {
            context.report({ node, message: `'${spec}' is in no layer of shared/: put it in a layer folder (see SHARED_LAYERS in .config/eslint.config.mjs).` });
            return;
          }
          if (toLayer === 'simulation' && !isTestSupport && fromLayer !== 'simulation') {
            context.report({ node, message: `Product code must not import shared/simulation/ ('${spec}'): it is for tests, the bench and e2e only.` });
            return;
          }
          if (fromLayer && !TEST_SUPPORT.test(file) && SHARED_LAYERS[toLayer] > SHARED_LAYERS[fromLayer]) {
            context.report({ node, message: `shared/${fromLayer}/ (layer ${SHARED_LAYERS[fromLayer]}) must not import from the higher layer shared/${toLayer}/ (layer ${SHARED_LAYERS[toLayer]}): move the code down or pass the value in.` });
          } else if (fromLayer && !TEST_SUPPORT.test(file) && toLayer !== fromLayer && SHARED_LAYERS[toLayer] === SHARED_LAYERS[fromLayer]) {
            context.report({ node, message: `shared/${fromLayer}/ must not import its sibling layer shared/${toLayer}/: both are layer ${SHARED_LAYERS[toLayer]}.` });
          }
        };
        return {
          ImportDeclaration: (node) => check(node.source, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
          ExportAllDeclaration: (node) => check(node.source, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
        };
      },
    },
  },
};

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https', 'module',
  'net', 'os', 'path', 'process', 'stream', 'url', 'util', 'worker_threads', 'zlib',
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'bench-results/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['shared/**/*.ts', 'src-main/**/*.{ts,mjs}', 'src-renderer/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    plugins: { 'latency-lab': layersPlugin },
    rules: { 'latency-lab/layers': 'error' },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Convention 1: shared/ is pure TypeScript over Float32Array + sampleRate. No DOM, no Node, no
    // Electron, no React: it runs unchanged in the CLI, the Web Worker and the main process.
    // Tests (*.test.ts) may use Node to read fixtures; the purity rules cover the production code.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'shared/ must stay pure: no Electron imports.' },
          { name: 'react', message: 'shared/ must stay pure: no React imports.' },
          ...nodeBuiltins.map((name) => ({ name, message: 'shared/ must stay pure: no Node built-ins.' })),
        ],
        patterns: [
          { group: ['node:*'], message: 'shared/ must stay pure: no Node built-ins.' },
          { group: ['electron/*', 'react-dom', 'react-dom/*'], message: 'shared/ must stay pure.' },
          { group: ['**/src-main/**', '**/src-renderer/**'], message: 'shared/ must not depend on the app.' },
        ],
      }],
      'no-restricted-globals': ['error',
        ...['window', 'document', 'navigator', 'localStorage', 'indexedDB', 'AudioContext', 'OfflineAudioContext', 'fetch',
          'process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'self', 'postMessage']
          .map((name) => ({ name, message: `shared/ must stay pure: no ${name}.` })),
      ],
    },
  },
  {
    files: ['src-main/**/*.{ts,mjs,js}', 'e2e/**/*.{ts,mjs}', '.config/**/*.{mjs,ts}', 'electron.vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer reaches the host only through the preload bridge.' }],
        patterns: [{ group: ['node:*', '**/src-main/**'], message: 'The renderer must not import Node or main-process code.' }],
      }],
    },
  },
  {
    // The renderer's Vite config runs in Node, at build time.
    files: ['src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);

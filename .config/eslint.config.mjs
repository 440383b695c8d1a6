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
  av: 3.5, // the A/V test pattern and the analysis of a camera recording of it
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

/**
 * Convention 2: the renderer is laid out by feature. src-renderer/app/ composes the pages and is
 * imported by nothing but the entry (main.tsx). A feature (src-renderer/features/NAME/) imports
 * only its own files, the shared renderer folders (ui/, navigation/, host/, worker/, audio/) and
 * shared/; another feature only through that feature's public index.ts. The shared renderer folders
 * import no feature and not app/. Test support (src-renderer/test-support/) is for tests only.
 */
const RENDERER = resolve(ROOT, 'src-renderer');

/** The renderer area of a file: { area: 'app' | 'features' | 'test-support' | other top folder, feature?, rest }. */
const rendererAreaOf = (absPath) => {
  const rel = relative(RENDERER, absPath);
  if (rel.startsWith('..') || rel === '') return null;
  const parts = rel.split(sep);
  if (parts.length === 1) return { area: null, feature: null, rest: parts };
  if (parts[0] === 'features') return { area: 'features', feature: parts[1] ?? null, rest: parts.slice(2) };
  return { area: parts[0], feature: null, rest: parts.slice(1) };
};

const isFeatureIndex = (rest) => rest.length === 0 || (rest.length === 1 && /^index(\.tsx?)?$/.test(rest[0]));

const rendererBoundaries = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    const from = rendererAreaOf(file);
    if (!from) return {};
    const isTest = /\.test\.tsx?$/.test(file);
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = rendererAreaOf(resolve(dirname(file), spec));
      if (!to) return;
      if (to.area === 'app' && from.area !== 'app' && from.area !== null) {
        context.report({ node, message: `'${spec}': only the entry imports src-renderer/app/; pass what a page needs as props, or move shared code to ui/ or navigation/.` });
      } else if (to.area === 'features' && from.area === 'features' && to.feature !== from.feature && !isFeatureIndex(to.rest)) {
        context.report({ node, message: `'${spec}': features/${from.feature} must not import the internals of features/${to.feature}; move shared UI to src-renderer/ui/, or import the feature's public index.ts.` });
      } else if (to.area === 'features' && from.area !== 'features' && from.area !== 'app' && from.area !== null) {
        context.report({ node, message: `'${spec}': src-renderer/${from.area}/ is shared by the features and must not import one.` });
      } else if (to.area === 'test-support' && from.area !== 'test-support' && !isTest) {
        context.report({ node, message: `'${spec}': src-renderer/test-support/ is for tests only.` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

const rendererPlugin = { rules: { boundaries: rendererBoundaries } };

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
    // Convention 2: features do not reach into each other or into app/ (see rendererBoundaries).
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'latency-lab-renderer': rendererPlugin },
    rules: { 'latency-lab-renderer/boundaries': 'error' },
  },
  {
    // The renderer's Vite config runs in Node, at build time.
    files: ['src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);

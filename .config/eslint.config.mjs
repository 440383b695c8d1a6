// Lint rules for the whole project. Run with `npm run lint` (eslint -c .config/eslint.config.mjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

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

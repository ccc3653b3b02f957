// The lint rules are the review's findings written down, so they are caught by `npm test`
// instead of by a reader: no console output from library code (a logger is injected), no
// reaching into another package's files or a library's private fields, no promise left
// unhandled, explained `@ts-expect-error`s, type-only imports marked as such, nothing
// unused. Formatting is Prettier's, checked by `npm run lint` first.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const privateFieldMessage =
  "a library's private internals (a leading underscore) change without notice; use its public API. WatermelonDB's documented raw-record fields are allowed.";

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/.next-*/**',
      '**/.scratch/**',
      '**/generated/**',
      '**/test-results/**',
      '**/playwright-report/**',
      'bench/results/**',
      '.data/**',
      '**/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unhandled rejections crash Node and hide failures; `void` marks a deliberate fire-and-forget.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': 'allow-with-description', minimumDescriptionLength: 10 },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@clapper/*/*', '!@clapper/collab/client', '!@clapper/sync-client/preload'],
              message: 'import another package through its entry (`@clapper/<name>`), never its internal files',
            },
            {
              regex: '^(\\.\\./)+(packages|apps)/|^(\\.\\./)+[\\w-]+/src/',
              message: 'import another package through its entry (`@clapper/<name>`), never its internal files',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // One leading underscore: a library's private field (`router._def._config`). Two
          // are the conventional hooks a page exposes to tests (`__clapper`, `__lexicalEditor`).
          selector: 'MemberExpression[property.name=/^_(?!_|raw$|status$|changed$|getRaw$|setRaw$)/]',
          message: privateFieldMessage,
        },
      ],
    },
  },
  {
    // Plain JavaScript (scripts, configs) is outside every tsconfig: lint without types.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    // The web app's service worker runs in a ServiceWorkerGlobalScope.
    files: ['apps/web/public/sw.js'],
    languageOptions: { globals: { self: 'readonly', caches: 'readonly', Response: 'readonly' } },
  },
  {
    // Library and server code logs through the injected logger, never the console.
    files: ['packages/**/*.{ts,tsx}', 'apps/server/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);

// Rules that catch real bugs (an un-awaited promise loses its error and, in an activity, its retry),
// keep workflow code inside Temporal's deterministic sandbox, and keep files readable; layout is
// Prettier's job (npm run format), so nothing here argues with it.
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Workflow code may import only the workflow SDK and other workflow files; types may come from anywhere. */
const WORKFLOW_SANDBOX_FENCE = {
  patterns: [
    {
      regex: '^(?!@temporalio/(workflow|common)$|\\./[\\w-]+$)',
      allowTypeImports: true,
      message:
        "Workflows run in Temporal's deterministic sandbox: only @temporalio/workflow, @temporalio/common and ./ workflow files (import type for the rest).",
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', 'data/**', 'eslint.config.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Node built-ins, then packages, then this repository's files.
      'import-x/order': [
        'error',
        { groups: ['builtin', 'external', ['internal', 'parent', 'sibling', 'index']], 'newlines-between': 'never' },
      ],
      'import-x/first': 'error',
      'import-x/no-duplicates': 'error',
      // Prettier wraps code at 120 (.prettierrc.json) but leaves comments alone: this holds comment lines to the same width.
      'max-len': ['error', { code: 120, ignorePattern: '^(?!\\s*(//|/\\*|\\*)).*$', ignoreUrls: true }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', WORKFLOW_SANDBOX_FENCE] },
  },
);

// Type-aware lint: no floating promises, exhaustive switches, no import cycles, apps never import each other.
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const apps = ['gateway', 'scheduler', 'executor', 'chat'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { typescript: true, node: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
    },
  },
  // The library depends on no app.
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/**', '@assemblr/*/apps/**'], message: 'libs/shared must not depend on an app' }] }],
    },
  },
  // Apps import the shared library through its one public entry and never each other.
  ...apps.map((app) => ({
    files: [`apps/${app}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...apps.filter((other) => other !== app).map((other) => ({ group: [`**/apps/${other}/**`, `**/${other}/src/**`], message: 'apps never import each other' })),
            { group: ['**/libs/shared/**', '@assemblr/shared/*'], message: "import from '@assemblr/shared' only" },
          ],
        },
      ],
    },
  })),
);

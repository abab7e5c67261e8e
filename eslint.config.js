import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';

/**
 * The layers (decision 0030): domain is pure and imports nothing of ours outside itself; store imports
 * domain; web imports domain; server imports domain, store and web; cli may import anything, and nothing
 * imports cli. `src/config.ts` is read by server and cli. Tests are exempt: they wire layers together.
 */
const layers = [
  { from: 'domain', allow: ['domain'] },
  { from: 'store', allow: ['domain', 'store'] },
  { from: 'web', allow: ['domain', 'web'] },
  { from: 'server', allow: ['domain', 'store', 'web', 'server'] },
  { from: 'cli', allow: ['domain', 'store', 'web', 'server', 'cli'] },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.spiegel/**', 'coverage/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/include': ['src/**/*.ts'],
      'boundaries/elements': [
        { type: 'domain', pattern: 'src/domain' },
        { type: 'store', pattern: 'src/store' },
        { type: 'web', pattern: 'src/web' },
        { type: 'server', pattern: 'src/server' },
        { type: 'cli', pattern: 'src/cli' },
      ],
      'boundaries/files': [{ category: 'config', pattern: 'src/config.ts' }],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            ...layers.map(({ from, allow }) => ({
              from: { element: { type: from } },
              allow: { to: { element: { types: { anyOf: allow } } } },
            })),
            {
              from: { element: { types: { anyOf: ['server', 'cli'] } } },
              allow: { to: { file: { categories: 'config' } } },
            },
            { from: { file: { categories: 'config' } }, allow: { to: { element: { type: 'domain' } } } },
          ],
        },
      ],
    },
  },
  // Formatting is Prettier's job (`npm run lint` runs `prettier --check`); turn off rules that would fight it.
  prettier,
);

// One linter for the whole tree (npm run lint): ESLint's and typescript-eslint's recommended rules,
// with the few settings below, each for a reason given beside it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'clients/typescript/dist/',
      'node_modules/',
      'data/',
      'coverage/',
      '.services/',
      '.scratch/',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `const { secret: _secret, ...rest } = x` is how a property is left out of a copy here.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests read JSON answers of every shape; typing each one would test the types, not the API.
      '@typescript-eslint/no-explicit-any': 'off',
      // chai's property assertions (`.to.be.empty`, `.not.NaN`) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);

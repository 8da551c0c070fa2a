// central/ follows the repository's lint rules (../.eslintrc.js) with its own TypeScript
// project; the root config ignores central/ because central is a separate npm package.
module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: {
    project: 'tsconfig.test.json',
    tsconfigRootDir: __dirname,
    sourceType: 'module'
  },
  plugins: ['@typescript-eslint'],
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/eslint-recommended',
    'plugin:@typescript-eslint/recommended',
    'plugin:prettier/recommended'
  ],
  rules: {
    '@typescript-eslint/no-explicit-any': 'off',
    '@typescript-eslint/no-unused-vars': ['warn', { args: 'none' }],
    curly: ['error', 'all'],
    eqeqeq: 'error',
    'prefer-arrow-callback': 'error',
    'max-len': ['error', { code: 100, ignoreUrls: true }]
  },
  ignorePatterns: [
    'node_modules',
    'dist',
    'dist-test',
    'public',
    'test-results',
    '*.js',
    '*.cjs',
    '*.mjs'
  ]
};

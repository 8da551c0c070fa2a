// central/ follows the repository's lint rules (../.eslintrc.js, extended, not repeated). It
// adds only what differs: its own TypeScript project, the 100-column limit its prettier
// config also uses, and its own build folders.
module.exports = {
  root: true,
  extends: ['../.eslintrc.js'],
  // Resolved from central's own node_modules: the root's may not be installed.
  parser: require.resolve('@typescript-eslint/parser'),
  parserOptions: { project: 'tsconfig.test.json', tsconfigRootDir: __dirname },
  rules: {
    'max-len': ['error', { code: 100, ignoreUrls: true }]
  },
  ignorePatterns: [
    'node_modules',
    'dist',
    'dist-test',
    'public',
    'test-results',
    'src/generated',
    '*.js',
    '*.cjs',
    '*.mjs'
  ]
};

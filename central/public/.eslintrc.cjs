// The dashboard: browser ES modules served as they are (no build), same rules as the rest.
module.exports = {
  root: true,
  env: { browser: true, es2022: true },
  parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
  extends: ['eslint:recommended', 'plugin:prettier/recommended'],
  rules: {
    curly: ['error', 'all'],
    eqeqeq: 'error',
    'max-len': ['error', { code: 100, ignoreUrls: true }],
    // Destructuring leaves fields out on purpose (`const { a, ...rest } = x`).
    'no-unused-vars': ['error', { ignoreRestSiblings: true }]
  }
};

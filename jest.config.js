/** Unit tests of the pure TypeScript logic (analyzer, policy composition, gate decisions). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  // The contract types are generated from schema/ before any test file is compiled.
  globalSetup: '<rootDir>/scripts/jest-schema-setup.js',
  // Transpile only (isolatedModules in tsconfig.test.json): `make test-unit` type-checks the
  // specs with one `tsc -p tsconfig.test.json` first, much faster than ts-jest per file.
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  }
};

/** jest globalSetup: regenerate src/contracts/_schema.ts so tests never compile stale types. */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = () => {
  execFileSync(process.execPath, [path.join(__dirname, 'build-schema.mjs')], {
    stdio: 'inherit'
  });
};

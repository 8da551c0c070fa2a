/**
 * Build output is never committed: each generated file is rebuilt by `npm run build:*`
 * (or `prepare`), git-ignored, and absent from `git ls-files`.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** What the builds write: the CLI bundle, the contract types, tsc and labextension output. */
const GENERATED: [string, RegExp][] = [
  ['bin/warden-scan.js', /^bin\/warden-scan\.js$/],
  ['bin/warden-scan-main.js', /^bin\/warden-scan-main\.js$/],
  ['bin/warden-scan-main.js.cache', /^bin\/warden-scan-main\.js\.cache$/],
  ['src/contracts/_schema.ts', /^src\/contracts\/_schema\.ts$/],
  ['lib/src/index.js', /^lib\//],
  [
    'jupyterlab_warden/labextension/package.json',
    /^jupyterlab_warden\/labextension\//
  ],
  ['central/dist/server.js', /^central\/dist\//],
  ['central/src/generated/contract-enums.ts', /^central\/src\/generated\//],
  ['tsconfig.tsbuildinfo', /\.tsbuildinfo$/],
  ['node_modules/x/index.js', /(^|\/)node_modules\//],
  ['jupyterlab-warden-0.1.0.tgz', /\.tgz$/]
];

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
}

describe('generated files', () => {
  it('are not in git ls-files', () => {
    const tracked = git('ls-files').split('\n').filter(Boolean);
    expect(tracked.length).toBeGreaterThan(100);
    const committed = tracked.filter(file =>
      GENERATED.some(([, pattern]) => pattern.test(file))
    );
    expect(committed).toEqual([]);
  });

  it.each(GENERATED.map(([example]) => example))(
    '%s is git-ignored, so `git add -A` cannot commit it',
    example => {
      // check-ignore exits 1 (execFileSync throws) when the path is not ignored.
      expect(git('check-ignore', '--no-index', example).trim()).toBe(example);
    }
  );
});

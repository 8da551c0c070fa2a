/**
 * The warden-scan hook installs from a clean clone, as pre-commit's node installer does it:
 * `npm install` with dev dependencies in the clone, `npm pack` (whose prepare/prepack build the
 * CLI bundle, which git does not hold), then `npm install -g` of the packed tarball.
 *
 * One shortcut keeps this under a minute: the clone links this tree's node_modules instead of
 * downloading the same dev dependencies again. The clone is of the committed HEAD, so the test
 * proves what a user gets from git, not the working tree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' }
  });
}

let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-git-install-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('installs the warden-scan hook from a clean clone and flags pickle.loads', () => {
  const clone = path.join(tmp, 'clone');
  run('git', ['clone', '--quiet', ROOT, clone], tmp);
  // Nothing generated comes from git: the build below must make it.
  expect(fs.existsSync(path.join(clone, 'bin', 'warden-scan.js'))).toBe(false);
  expect(
    fs.existsSync(path.join(clone, 'src', 'contracts', '_schema.ts'))
  ).toBe(false);
  fs.symlinkSync(
    path.join(ROOT, 'node_modules'),
    path.join(clone, 'node_modules'),
    'dir'
  );

  const tarball = run('npm', ['pack', '--silent'], clone)
    .trim()
    .split('\n')
    .pop()!;
  expect(tarball).toMatch(/^jupyterlab-warden-.*\.tgz$/);
  const listing = run('tar', ['tzf', tarball], clone).split('\n');
  expect(listing).toContain('package/bin/warden-scan.js');

  const prefix = path.join(tmp, 'global');
  run(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      '--prefer-offline',
      path.join(clone, tarball)
    ],
    clone
  );
  const bin = path.join(prefix, 'bin', 'warden-scan');
  expect(fs.existsSync(bin)).toBe(true);

  const project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(
    path.join(project, 'load.py'),
    'import pickle\n\nmodel = pickle.loads(blob)\n'
  );
  fs.writeFileSync(
    path.join(project, 'clean.py'),
    'import json\njson.loads(s)\n'
  );

  const flagged = spawnSync(bin, ['--format', 'json', 'load.py'], {
    cwd: project,
    encoding: 'utf8'
  });
  expect(flagged.stderr).toBe('');
  expect(flagged.status).toBe(1);
  const report = JSON.parse(flagged.stdout);
  expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
    'pickle-load'
  ]);

  const clean = spawnSync(bin, ['clean.py'], {
    cwd: project,
    encoding: 'utf8'
  });
  expect(clean.status).toBe(0);

  // The install policy's data (OSV snapshot, popular names and the imitation rules' tables)
  // ships with the package: a typosquat in a requirements file is decided by the installed copy.
  for (const file of [
    'osv-snapshot.json',
    'top-packages.txt',
    'imitation-rules.json'
  ]) {
    expect(listing).toContain(`package/jupyterlab_warden/kernel/deps/${file}`);
  }
  fs.writeFileSync(
    path.join(project, 'requirements.txt'),
    'numpy\ntorcj==2.0\n'
  );
  const deps = spawnSync(bin, ['--format', 'json', 'requirements.txt'], {
    cwd: project,
    encoding: 'utf8'
  });
  expect(deps.stderr).toBe('');
  expect(
    JSON.parse(deps.stdout).findings.map(
      (f: { ruleId: string; line: number }) => [f.ruleId, f.line]
    )
  ).toEqual([['install-imitation-name', 2]]);

  // Output cut short by a closed pipe (pre-commit, `| head`) is not a crash.
  const piped = spawnSync(
    'sh',
    ['-c', `"${bin}" --format json load.py | head -c 1`],
    { cwd: project, encoding: 'utf8' }
  );
  expect(piped.stderr).toBe('');
}, 180_000);

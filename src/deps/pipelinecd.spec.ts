/**
 * Mend 81: a `cd`/`pushd`/`popd` in a pipeline's stage before its last runs in a subshell of
 * its own (bash, dash) and moves nothing; the last stage's may run in the shell itself
 * (lastpipe) and stays unknown. The lines of testdata/pipeline-cd-lines.json, read here as
 * tests/deps/test_mend81_pipeline_cd.py reads them on the kernel side.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import lines from './testdata/pipeline-cd-lines.json';
import { shellInstalls } from './commands';
import { decideInstall } from './decide';
import { COMMAND_LINE } from './request';
import { shippedData } from './shipped';

function rulesFor(line: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-pipeline-cd-'));
  try {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'r.txt'), 'black\n');
    fs.writeFileSync(path.join(dir, 'sub', 'r.txt'), lines.sub_requirements);
    const env = {
      HOME: path.join(dir, 'home'),
      PIP_CONFIG_FILE: os.devNull,
      XDG_CONFIG_DIRS: path.join(dir, 'home')
    };
    const context = {
      cwd: dir,
      place: COMMAND_LINE,
      env,
      readFile: (p: string) => fs.readFileSync(p, 'utf8'),
      label: (p: string) => path.basename(p)
    };
    const rules = new Set<string>();
    for (const found of shellInstalls(line, 0, env, context)) {
      for (const f of decideInstall(
        found.request,
        {},
        shippedData(),
        COMMAND_LINE
      )) {
        rules.add(f.ruleId);
      }
    }
    return [...rules].sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('a cd in a pipeline stage', () => {
  it.each(lines.cases.map(c => [c.line, c] as const))(
    '%s',
    (_name, { line, rules }) => {
      expect(rulesFor(line)).toEqual(rules);
    }
  );
});

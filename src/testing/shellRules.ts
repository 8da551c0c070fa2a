/**
 * The static side's rules for one shell line, read in a fresh folder holding r.txt (`black`)
 * and sub/r.txt (`subRequirements`): the reading the generated-lines and pipeline-cd specs
 * share with the kernel side's fixtures.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellInstalls } from '../deps/commands';
import { decideInstall } from '../deps/decide';
import { COMMAND_LINE } from '../deps/request';
import { shippedData } from '../deps/shipped';

export function shellLineRules(
  line: string,
  subRequirements = 'black\n'
): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-shell-lines-'));
  try {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'r.txt'), 'black\n');
    fs.writeFileSync(path.join(dir, 'sub', 'r.txt'), subRequirements);
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

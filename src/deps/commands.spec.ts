/**
 * `namesInstaller`: when the words of a program Warden has no table for name an installer
 * (the kernel's `commands.names_installer`). Red team 27b R27b-2: a build line naming the
 * Python include folder, then an `-I`/`-D` flag, read as "python3.11 -I" and refused; a
 * Python's name counts only as a program word followed by a whole Python option word.
 */
import { namesInstaller } from './commands';
import { installProblems } from '../testing/install-problems';

const UNREAD = /may run an installer named in its arguments/;

describe('namesInstaller: build lines that name a Python (red team 27b R27b-2)', () => {
  it.each([
    'g++ -O2 -shared -fPIC -I/usr/include/python3.11 -I. x.cpp -o x.so',
    'g++ k.cpp -O3 -shared -fPIC -I/opt/py/include/python3.11 -I/opt/torch/include -o k.so',
    'gcc -shared x.c -I/opt/py/include/python3.12 -I/usr/local/cuda/include -o x.so',
    'cmake -S . -B build -DPYTHON_EXECUTABLE=/usr/bin/python3 -DCMAKE_BUILD_TYPE=Release',
    'cmake -S . -B build -DPython3_EXECUTABLE=/usr/bin/python3 -DBUILD_SHARED_LIBS=ON',
    'nvcc -Xcompiler -fPIC -I/usr/include/python3.11 -Isrc k.cu'
  ])('%s is no installer', line => {
    const [, ...args] = line.split(' ');
    expect(namesInstaller(args)).toBe(false);
    expect(installProblems(line).join(' ')).not.toMatch(UNREAD);
  });

  it.each([
    ['setpriv', '--reuid=1 python3 -I run.py'],
    ['setpriv', '--reuid=1 /usr/bin/python3 -E x.py'],
    ['setpriv', '--reuid=1 python3.11 -IS x.py'],
    ['setpriv', '--reuid=1 python3 -u -I x.py'],
    ['setpriv', '--reuid=1 python3 -W ignore -E x.py'],
    ['setpriv', '--reuid=1 python3 -Ic print()'],
    ['npx', "-c 'python3 -I -c x'"]
  ])('%s %s drops the guard: still flagged', (program, args) => {
    const words = args.split(' ');
    expect(namesInstaller(words)).toBe(true);
    expect(installProblems(`${program} ${args}`).join(' ')).toMatch(UNREAD);
  });

  it('reads the words after a Python as its options only up to its code', () => {
    expect(namesInstaller(['python3', '-c', 'x', '-I'])).toBe(false);
    expect(namesInstaller(['python3', 'x.py', '-I'])).toBe(false);
    expect(namesInstaller(['-DPYTHON=python3', '-DCMAKE_EXE=1'])).toBe(false);
    expect(
      namesInstaller(['python3', '--check-hash-based-pycs', 'never', '-I', 'x'])
    ).toBe(true);
  });
});

describe("namesInstaller: a Python's options read from whole words (red team 28a R28a-3)", () => {
  it.each([
    ['flock', 'lock python3 -X utf8=1 -I run.py'],
    ['flock', 'lock python3 -Xfrozen_modules=off -I run.py'],
    ['flock', 'lock python3 -X int_max_str_digits=0 -E run.py'],
    ['flock', 'lock python3 -X pycache_prefix=pc run.py'],
    ['flock', 'lock python3 -Xpycache_prefix=pc run.py'],
    ['flock', 'lock python3 -X presite=m run.py'],
    ['flock', 'lock python3 -tI run.py'],
    ['flock', 'lock python3 -t -I run.py'],
    ['flock', 'lock python3 -bIc print()'],
    ['flock', 'lock python3 -Wignore::DeprecationWarning -I run.py'],
    ['flock', 'lock python3 --version -I run.py'],
    ['npx', "-c 'python3 -X utf8=1 -I run.py'"]
  ])('%s %s drops the guard: flagged', (program, args) => {
    expect(namesInstaller(args.split(' '))).toBe(true);
    expect(installProblems(`${program} ${args}`).join(' ')).toMatch(UNREAD);
  });

  it.each([
    'flock lock python3 -X dev script.py',
    'flock lock python3 -X importtime -c print()',
    'flock lock python3 -X utf8=1 -W ignore script.py',
    'flock lock python3 -- -I',
    'flock lock python3 --frobnicate -I',
    'nvcc -Xcompiler -fPIC -I/usr/include/python3.11 -Isrc k.cu'
  ])('%s keeps the guard', line => {
    const [, ...args] = line.split(' ');
    expect(namesInstaller(args)).toBe(false);
    expect(installProblems(line).join(' ')).not.toMatch(UNREAD);
  });

  it('reads -t as the CPython flag it is on a direct start', () => {
    const line = `python3 -tI -c "import os; os.system('pip install x')"`;
    expect(installProblems(line).join(' ')).toMatch(/python -I starts without/);
    expect(installProblems('python3 -X dev -c "print(1)"')).toEqual([]);
  });
});

/**
 * Red team 19 R19-4: what the static side refuses of a program folder an untabled program is
 * given. The cases that need no program file are shared vectors (`R19-4: ...`); these are the
 * static side's own: the kernel refuses them when the folder holds a program written since it
 * started (tests/deps/test_redteam19_folders.py), which a vector cannot write.
 */
import * as os from 'node:os';
import { shellInstalls } from './commands';
import { decideInstall } from './decide';
import { operandValue } from './programfolders';
import { COMMAND_LINE } from './request';
import { shippedData } from './shipped';

function refused(line: string): boolean {
  const env = { HOME: os.tmpdir(), PIP_CONFIG_FILE: os.devNull };
  const context = {
    cwd: os.tmpdir(),
    place: COMMAND_LINE,
    env,
    readFile: () => '',
    label: (p: string) => p
  };
  return shellInstalls(line, 0, env, context).some(found =>
    decideInstall(found.request, {}, shippedData(), COMMAND_LINE).some(
      f => f.ruleId === 'install-unreadable'
    )
  );
}

describe('program folders (R19-4, static side)', () => {
  it.each([
    ['--opt=PATH', '--dbus-daemon=./x.pl', './x.pl'],
    ['-XPATH', '-B./tc/as', './tc/as'],
    ['an option alone', '--verbose', ''],
    ['a short option', '-c', ''],
    ['an operand', 'x.c', 'x.c'],
    ['a NAME=VALUE setting', 'CC=tc/cc', '']
  ])('reads %s as the kernel does', (_what, word, value) => {
    expect(operandValue(word)).toBe(value);
  });

  it.each([
    'gcc -B./tc/as -c x.c -o x.o',
    'gcc -B./tc/ -c x.c -o x.o',
    'gcc -Btc/ -c x.c -o x.o',
    'gcc -Btc/x- -c x.c',
    'cc -B/tmp/tc/ -c x.c',
    'cc -B/usr/local/tc/ -c x.c',
    'cc -B/usr/../tmp/tc/ -c x.c',
    'dbus-run-session --dbus-daemon=./x.pl -- true'
  ])('refuses an attached path value: %s', line => {
    expect(refused(line)).toBe(true);
  });

  it.each([
    'gcc -O2 -c x.c -o x.o',
    'gcc -Iinclude -Llib main.c',
    'gcc -I include/ -c x.c',
    'g++ -std=c++17 a.cpp',
    'make -j4',
    'cmake -S . -B build',
    'pytest tests/',
    'COMPILER_PATH=/usr/lib/gcc gcc -c x.c',
    'cp a.c b.c && gcc -c /tmp/b.c',
    'gcc -I/usr/include/python3.11 -L/usr/lib/x86_64-linux-gnu -c x.c'
  ])('runs an ordinary line: %s', line => {
    expect(refused(line)).toBe(false);
  });
});

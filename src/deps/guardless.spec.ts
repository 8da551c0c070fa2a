/**
 * The static side's reading of a guardless Python's code (red team 10 R10-10): the same
 * cases as tests/deps/test_guardless_python.py reads with the kernel's `dynamic_code`.
 */
import { dynamicCode, literalStarts } from './guardless';

describe('dynamicCode', () => {
  it.each([
    ["exec(bytes.fromhex('7072696e74283129'))", 'calls exec'],
    ["import base64; eval(base64.b64decode(b'MQ=='))", 'calls eval'],
    ["__import__('p'+'ip')", '__import__'],
    ["import importlib; importlib.import_module('p'+'ip')", 'importlib'],
    ["from importlib import import_module as f; f('x')", 'importlib'],
    ["import runpy; runpy.run_module('x')", 'runpy'],
    ["import os; getattr(os, 'sys' + 'tem')('x')", 'computed name'],
    [
      "import os; os.system(bytes.fromhex('6c73').decode())",
      'computed arguments'
    ],
    ["from subprocess import run as r; r(['x', y])", 'computed arguments'],
    ["import os; f = os.system; f('ls')", 'passes os.system around'],
    ['().__class__.__base__.__subclasses__()', 'it reaches __'],
    ["import pickle; pickle.loads(b'')", 'pickle'],
    [
      'from multiprocessing.spawn import spawn_main; spawn_main(pipe_handle=7)',
      'multiprocessing'
    ],
    ["import os; getattr(os, 'system')('x')", 'it uses os,'], // R12-7
    ["import subprocess as s; t = s; t.run(['x'])", 'it uses subprocess,'], // R12-7
    ["import sys; sys.modules['os'].system('x')", 'uses sys.modules'], // R12-7
    [
      "import functools, os; functools.reduce(getattr, ['system'], os)",
      'passes getattr around'
    ], // R12-7
    [
      "import operator; operator.methodcaller('system', 'x')",
      'operator.methodcaller'
    ], // R12-7
    [
      "from distutils.spawn import spawn; spawn(['x'])",
      'distutils.spawn.spawn'
    ], // R12-7
    ["import popen2; popen2.Popen3('x')", 'popen2.Popen3'], // R12-7
    [
      'import _posixsubprocess as p; p.fork_exec()',
      '_posixsubprocess.fork_exec'
    ], // R12-7
    ["import webbrowser; webbrowser.open('x')", 'webbrowser.open'], // R12-7
    ['import platform; platform.architecture()', 'platform.architecture'], // R12-7
    [
      "import asyncio; asyncio.get_event_loop().subprocess_shell('x')",
      'asyncio.get_event_loop'
    ], // R12-7
    [
      "import posix; posix.system(bytes.fromhex('6c73').decode())",
      'starts a process (os.system)'
    ], // R12-7
    [
      "from IPython.utils.process import system; system('u' + 'v')",
      'IPython.utils.process.system'
    ], // R12-7
    ["import helpers; helpers.run('x')", 'helpers.run'], // R12-7
    ['from numpy import *', 'imports every name of numpy'], // R12-7
    ['print(1', 'does not parse']
  ])('%s: %s', (code, why) => {
    expect(dynamicCode(code)).toContain(why);
  });

  it.each([
    'import sys; print(sys.version)',
    "import re; print(re.compile('x').pattern)",
    "import os, subprocess; os.system('ls -l'); subprocess.run(['git', 'status'])",
    'import numpy as np; print(np.__version__)',
    "import os, json; print(os.path.join('a', 'b'), json.dumps({}), os.environ.get('X'))", // R12-7
    "from pathlib import Path; print(Path('x').exists())", // R12-7
    "import posix; posix.system('ls -l')", // R12-7
    'import asyncio\nasync def main():\n    await asyncio.sleep(0)\nasyncio.run(main())', // R12-7
    'class A:\n    def __init__(self):\n        super().__init__()\n'
  ])('reads plain code: %s', code => {
    expect(dynamicCode(code)).toBe('');
  });
});

// The kernel's guardless.literal_starts gives the same starts for these (red team 11 R11-15):
// each literal start is then read as a start on the line (commands.ts readLiteralStarts).
describe('literalStarts', () => {
  const shell = (line: string) => ({ kind: 'shell', line });
  const argv = (...words: string[]) => ({ kind: 'argv', words });
  it.each([
    ['import os; os.system(\'ls\' " -l")', [shell('ls -l')], ''],
    [
      "import subprocess as s; s.run(['a', b'x', 1], shell=True)",
      [shell('a')],
      ''
    ],
    [
      "import subprocess; subprocess.run(args=['uv', 'sync'], cwd='d')",
      [argv('uv', 'sync')],
      ''
    ],
    [
      "from os import execv; execv('/bin/ls', ['ls', '-l', '\\x41\\n'])",
      [argv('/bin/ls', '-l', 'A\n')],
      ''
    ],
    [
      "import os; os.posix_spawn('tools/ls', ['ls', 'sync'], {})",
      [argv('tools/ls', 'sync')],
      ''
    ],
    [
      "import os, pathlib; pathlib.Path('x').write_text('y'); os.system(r'a\\tb')",
      [shell('a\\tb')],
      'write_text'
    ],
    [
      "import os; open('f', 'r'); os.fork(); os.system('''u\\\nv''')",
      [shell('uv')],
      ''
    ],
    ["import pty; pty.spawn(('bash', '-i'))", [argv('bash', '-i')], ''],
    ["import os; os.chdir('d'); os.system('ls')", [shell('ls')], 'os.chdir'],
    ["import os; os.system('\\N{LATIN SMALL LETTER U}v sync')", [null], '']
  ])('%s', (code, starts, changer) => {
    expect(literalStarts(code)).toEqual({ starts, changer });
  });
});

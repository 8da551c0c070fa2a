/**
 * The static side's reading of a guardless Python's code (red team 10 R10-10): the same
 * cases as tests/deps/test_guardless_python.py reads with the kernel's `dynamic_code`.
 */
import cases from './testdata/guardless-writes.json';
import {
  dynamicCode,
  importsBeyondStart,
  leadingImports,
  literalStarts,
  mayWrite,
  runModuleProblem
} from './guardless';

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
    ["import sys; sys.modules['os'].system('x')", '.system of a value'], // R12-7, R13-4
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
    ["import webbrowser; webbrowser.open('x')", 'imports webbrowser'], // R12-7, R14-29: the import alone
    ['import antigravity', 'imports antigravity'], // R14-29: opens $BROWSER at import
    ['help(len)', 'help'], // R14-29: pydoc's pager runs $MANPAGER/$PAGER
    ['import platform; platform.architecture()', 'platform.architecture'], // R12-7
    [
      "import asyncio; asyncio.get_event_loop().subprocess_shell('x')",
      '.subprocess_shell of a value'
    ], // R12-7 (R13-4: the loop's method is refused first)
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
    ['print(1', 'does not parse'],
    // R13-3: a module an allowed module holds is that module
    ["import shutil; shutil.os.system('u' + 'v')", 'process (os.system)'],
    ["import os.path; os.path.os.system('u' + 'v')", 'process (os.system)'],
    ["import tempfile; tempfile._os.system('u' + 'v')", 'process (os.system)'],
    ["import logging; logging.os.system('u' + 'v')", 'process (os.system)'],
    ["from shutil import os as o; o.system('u' + 'v')", 'process (os.system)'],
    ["import typing; typing.sys.modules['os']", 'uses sys.modules'],
    ['import typing; typing._eval_type(x, {}, {})', 'typing._eval_type'],
    ['import typing; typing.get_type_hints(f)', 'typing.get_type_hints'],
    ["import zipfile; zipfile.importlib.import_module('x')", 'importlib'],
    ["import shutil; t = shutil; t.os.system('x')", 'module shutil around'],
    ['import os; p = os.path', 'module os.path around'],
    // R13-4: namespaces, names in strings, attributes of values
    [
      "g = globals()['__builtins__']; getattr(g, '__import__')('o' + 's')",
      'reads a namespace (globals)'
    ],
    ["vars()['__builtins__']", 'reads a namespace (vars)'],
    ["b = vars(type(x))['a' + 'b']", 'reads a namespace (vars)'],
    ['print(dir())', 'reads a namespace (dir)'],
    ["getattr(f, '__globals__')", 'reaches __globals__'],
    ["d = {}; d.get('__im' 'port__')", 'reaches __import__'],
    [
      "import sys; sys.exc_info()[2].tb_frame.f_builtins['exec'](x)",
      '.f_builtins of a value'
    ],
    ["x = 'tb_frame'", 'names tb_frame'],
    [
      "import string; string.Formatter().get_field('0.x', [f], {})",
      '.get_field of a value'
    ],
    ['import string; F = string.Formatter', 'string.Formatter'],
    [
      "import asyncio\nasync def m(c):\n    asyncio.create_task(c).get_loop().subprocess_shell('x')",
      '.subprocess_shell of a value'
    ],
    [
      "import asyncio\nasync def m(c):\n    l = getattr(asyncio.create_task(c), 'get_loop')()",
      '.get_loop of a value'
    ],
    ["import shutil; [shutil][0].os.system('x')", '.system of a value'],
    [
      "import sys; sys.path.insert(0, '/tmp/x'); import payload",
      'sys.path.insert'
    ],
    ['import sys; sys.meta_path.append(Finder())', 'sys.meta_path']
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
    'class A:\n    def __init__(self):\n        super().__init__()\n',
    // R13-3/R13-4: ordinary code stays readable
    "import shutil; shutil.os.system('ls')",
    "import argparse\np = argparse.ArgumentParser()\np.add_argument('--lr', type=float)\nprint(p.parse_args().lr)",
    "import json, os\nwith open(os.path.join('d', 'x.json')) as f:\n    d = json.load(f)\nprint(d.get('a'), list(d.items()))",
    "import re; print(re.compile('x').sub('y', 'z').upper())",
    "import logging; log = logging.getLogger(__name__); log.info('x')",
    "if __name__ == '__main__':\n    print('__main__', '____', '__init__.py', '__pycache__')",
    'def f():\n    """calls __import__ (docs)"""\n    return 1',
    'class A:\n    def fit(self, x):\n        self._w = x\n        return self._w\nA().fit(1)'
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
      'cwd='
    ],
    // red team 13: a start after an environment change, or with its own env
    [
      "import os; os.environ['PATH'] = 't'; os.system('ls')",
      [shell('ls')],
      'os.environ'
    ],
    [
      "from os import environ as e; e.update(PATH='t'); import os; os.system('ls')",
      [shell('ls')],
      'os.environ'
    ],
    [
      "import os; del os.environ['PATH']; os.system('ls')",
      [shell('ls')],
      'os.environ'
    ],
    [
      "import os; os.putenv('PATH', 't'); os.system('ls')",
      [shell('ls')],
      'os.putenv'
    ],
    [
      "import subprocess; subprocess.run(['ls'], env={'PATH': 't'})",
      [argv('ls')],
      'env='
    ],
    [
      "import os; os.execvpe('ls', ['ls'], {'PATH': 't'})",
      [argv('ls')],
      'its env'
    ],
    [
      "import os; print(os.environ.get('A'), os.environ['B']); os.posix_spawn('/bin/ls', ['ls'], {})",
      [argv('/bin/ls')],
      ''
    ],
    [
      "import subprocess; subprocess.run(['git', 'status'], env=None, cwd=None)",
      [argv('git', 'status')],
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
    // one decoder with the analyzer (src/deps/pystring.ts): a name it knows is read, as Python
    // does; one it does not know leaves the start unreadable
    [
      "import os; os.system('\\N{LATIN SMALL LETTER U}v sync')",
      [shell('uv sync')],
      ''
    ],
    ["import os; os.system('\\N{BLACK STAR}uv sync')", [null], ''],
    ["import os; os.system(b'u\\xffv sync')", [null], '']
  ])('%s', (code, starts, changer) => {
    expect(literalStarts(code)).toEqual({ starts, changer });
  });
});

// red team 17 R17-1, R17-12: the kernel's may_write cases (tests/deps/test_redteam17_guardless.py)
describe('mayWrite', () => {
  const refused = (code: string) =>
    !!mayWrite(code) &&
    importsBeyondStart(code, false, leadingImports(code)) !== '';
  it.each(cases.writers)('counts a writer: %s', code => {
    expect(mayWrite(code)).not.toBe('');
    expect(refused(`${code}\nimport json`)).toBe(true);
  });
  it.each(cases.ordinary)('passes ordinary code: %s', code => {
    expect(refused(code)).toBe(false);
  });
  it('reports the first write in run order', () => {
    expect(mayWrite("import sys\nopen(sys.argv[1], 'w').write('x')")).toBe(
      'open'
    );
  });
  it('counts the code first imports as imported before any write', () => {
    expect([
      ...leadingImports('import subprocess; subprocess.run(["ls"])')
    ]).toEqual(['subprocess']);
    // a module that may be local runs its code there: what follows is no longer first
    expect([...leadingImports('import helpers\nimport json')]).toEqual([
      'helpers'
    ]);
  });
});

// red team 17 R17-7: -m of a standard-library module is an allow list of command lines
describe('runModuleProblem', () => {
  it.each([
    [
      ['smtpd', ['-n', '-c', 'evil.Server']],
      'command line Warden does not know'
    ],
    [['pickle', ['x.pkl']], 'command line Warden does not know'],
    [['webbrowser', ['http://x/']], 'its environment or PATH'],
    [['http.server', ['--cg']], '--cgi'],
    [['venv', ['--upgrade-deps', 'v']], '--upgrade-deps']
  ] as Array<[[string, string[]], string]>)(
    'refuses %j',
    ([module, args], why) => {
      expect(runModuleProblem(module, args)).toContain(why);
    }
  );
  it.each([
    ['json.tool', ['x.json']],
    ['http.server', ['--bind', '127.0.0.1', '8000']],
    ['venv', ['.venv']],
    ['mypackage.train', ['--cgi']] // not the standard library's: the kernel reads its files
  ] as Array<[string, string[]]>)('passes %s', (module, args) => {
    expect(runModuleProblem(module, args)).toBe('');
  });
});

"""Red team 13: what a guardless Python's code reaches through the allow list (R13-3, R13-4).

R13-3: an allow-list entry for a whole module (``shutil``) matched every name under it, the
modules it imports included: ``shutil.os.system`` is ``os.system``. Names are now rewritten
through the modules table of schema/guardless-calls.json (generated from the real modules)
before they are judged, private names under an entry are not covered, and a module used as a
value is refused. R13-4: namespaces (``globals()``, ``vars()``), names hidden in strings
(``getattr(g, "__import__")``) and dangerous attributes of values whose type Warden cannot
tell (``create_task(c).get_loop().subprocess_shell``) are refused.

The malicious cases prove themselves in a kernel of the lab's launch environment: without
Warden the guardless child installs torcj from a refused local index with the real uv, with
Warden the start is refused before anything runs.
"""

import json
import os

import pytest
from test_redteam12_starts import PROJECT, UV

from jupyterlab_warden.kernel.guard.installs import commands, guardless

# the install the child computes: uv's name and the package's are built at run time
INSTALL = (
    "{uvdir!r} + '/u' + 'v p' + 'ip ins' + 'tall -q --no-config --no-cache --python ' + "
    "sys.executable + ' --target {target} --index-url {index} tor' + 'cj'"
)


def _guardless_cell(code: str) -> str:
    return f"import subprocess, sys\nsubprocess.run([sys.executable, '-I', '-c', {code!r}])\n"


@pytest.mark.parametrize(
    "code",
    [
        "import shutil, sys; shutil.os.system({install})",  # R13-3
        "import os.path, sys; os.path.os.system({install})",
        "import tempfile, sys; tempfile._os.system({install})",
        "import typing, sys; typing.sys.modules['os'].system({install})",
        "import shutil, sys; t = shutil; t.os.system({install})",
        # R13-4
        "import sys; g = globals()['__builtins__']; getattr(g, '__import__')('os').system("
        "{install})",
        "import sys\ntry:\n    1/0\nexcept Exception:\n    b = sys.exc_info()[2].tb_frame"
        ".f_builtins\nb['__import__']('os').system({install})",
        "import asyncio, sys\nasync def main():\n    async def idle():\n        pass\n"
        "    loop = asyncio.create_task(idle()).get_loop()\n    done = loop.create_future()\n"
        "    class Exit(asyncio.SubprocessProtocol):\n        def process_exited(self):\n"
        "            done.set_result(0)\n"
        "    await loop.subprocess_shell(Exit, {install})\n    await done\n"
        "asyncio.run(main())",
    ],
)
def test_guardless_code_reaching_a_start_through_an_allowed_name_is_refused(kernel, code):
    install = INSTALL.format(
        uvdir=os.path.dirname(UV), target=kernel.target, index=kernel.index.simple
    )
    cell = _guardless_cell(code.replace("{install}", install))
    refused = kernel.proves(cell.replace("{", "{{").replace("}", "}}"), name="torcj")
    assert "code Warden cannot read" in refused, refused


@pytest.mark.parametrize(
    ("code", "why"),
    [
        # R13-3: the module an allowed module holds, read as that module
        ("import shutil; shutil.os.system('u' + 'v')", "process (os.system) with computed"),
        ("import os.path; os.path.os.system('u' + 'v')", "process (os.system) with computed"),
        ("import logging; logging.os.system('u' + 'v')", "process (os.system) with computed"),
        ("import argparse; argparse._os.system('u' + 'v')", "process (os.system) with"),
        ("from shutil import os as o; o.system('u' + 'v')", "process (os.system) with"),
        ("import typing; typing.sys.modules['os']", "it uses sys.modules"),
        ("import logging.handlers; logging.handlers.pickle.loads(b'')", "pickle.loads"),
        ("import zipfile; zipfile.importlib.import_module('x')", "importlib.import_module"),
        ("import gzip; gzip.builtins.exec('x')", "builtins.exec"),
        ("import typing; typing._eval_type(x, {}, {})", "typing._eval_type"),  # private
        ("import typing; typing.get_type_hints(f)", "typing.get_type_hints"),  # evaluates
        ("import functools\n@functools.singledispatch\ndef f(x): pass", "singledispatch"),
        ("import shutil; t = shutil; t.os.system('x')", "passes the module shutil around"),
        ("import os; p = os.path", "passes the module os.path around"),
        # R13-4: namespaces, names in strings, attributes of values
        ("g = globals()['__builtins__']; getattr(g, '__import__')", "namespace (globals)"),
        ("vars()['__builtins__']", "namespace (vars)"),
        ("b = vars(type(x))['a' + 'b']", "namespace (vars)"),
        ("print(locals(), dir())", "namespace (locals)"),
        ("getattr(f, '__globals__')", "reaches __globals__"),
        ("d = {}; d.get('__im' 'port__')", "reaches __import__"),
        ("x = 'tb_frame'", "names tb_frame"),
        ("import sys; sys.exc_info()[2].tb_frame.f_builtins['exec'](x)", ".f_builtins of"),
        ("import string; string.Formatter().get_field('0.x', [f], {})", ".get_field of"),
        ("import string\nclass F(string.Formatter):\n    pass", "string.Formatter"),
        ("import asyncio; asyncio.create_task(c).get_loop()", ".get_loop of a value"),
        ("import asyncio; getattr(asyncio.create_task(c), 'get_loop')", ".get_loop of"),
        ("import asyncio; asyncio.get_event_loop().subprocess_shell('x')", "subprocess_shell"),
        ("import shutil; [shutil][0].os.system('x')", ".system of a value"),
        # an import from a folder the code adds runs that module's code unread
        ("import sys; sys.path.insert(0, '/tmp/x'); import payload", "sys.path.insert"),
        ("import sys; sys.meta_path.append(Finder())", "sys.meta_path"),
    ],
)
def test_the_reading_refuses(code, why):
    assert why in guardless.dynamic_code(code)
    with pytest.raises(commands.Unreadable, match="cannot read"):
        commands.invocations(["python3", "-I", "-c", code])


ORDINARY = [
    "import shutil; shutil.copy('a', 'b'); shutil.rmtree('c', ignore_errors=True)",
    "import os; print(os.path.join('a', 'b'), os.path.exists('x'))",
    "import argparse\np = argparse.ArgumentParser()\np.add_argument('--lr', type=float)\n"
    "args = p.parse_args()\nprint(args.lr)",
    "import json, os\nwith open(os.path.join('d', 'x.json')) as f:\n    d = json.load(f)\n"
    "print(d.get('a'), list(d.items()))",
    "import re; print(re.compile('x').sub('y', 'z').upper())",
    "import logging; log = logging.getLogger(__name__); log.info('x')",
    "if __name__ == '__main__':\n    print('__main__', '____', '__init__.py', '__pycache__')",
    'def f():\n    """calls __import__ (documentation)"""\n    return 1',
    "import sys; print(sys.argv[1:], sys.version_info.major)",
    "from pathlib import Path; print(Path('x').read_text().splitlines())",
    "import collections; c = collections.Counter('abc'); print(c.most_common(1))",
    "import time, random; random.seed(0); t = time.time(); print(random.random())",
    "import csv\nwith open('d.csv') as f:\n    rows = list(csv.DictReader(f))\n"
    "print(sum(float(r['loss']) for r in rows) / len(rows))",
    "class Model:\n    def __init__(self):\n        self._w = 0.0\n    def fit(self, x):\n"
    "        self._w += sum(x)\n        return self\n    def predict(self, x):\n"
    "        return [v * self._w for v in x]\nprint(Model().fit([1, 2]).predict([3]))",
    "import shutil; shutil.os.system('ls -l')",  # a literal start, read as os.system's
]


@pytest.mark.parametrize("code", ORDINARY)
def test_ordinary_guardless_code_is_still_read(code):
    assert guardless.dynamic_code(code) == ""


def test_a_literal_start_through_a_held_module_is_read_as_that_start():
    assert guardless.literal_starts("import shutil; shutil.os.system('ls')") == (
        [("shell", "ls")],
        "",
    )
    with pytest.raises(commands.Unreadable, match="installs|install"):
        commands.invocations(
            ["python3", "-I", "-c", "import tempfile; tempfile._os.system('pip install x')"]
        )


def test_the_modules_table_is_the_real_modules():
    """schema/guardless-calls.json's modules table, as the generator writes it from this
    Python's modules (run scripts/guardless-module-attributes.py after changing the lists)."""
    import importlib.util
    from pathlib import Path

    root = Path(guardless.__file__).resolve().parents[4]
    spec = importlib.util.spec_from_file_location(
        "module_attributes", root / "scripts" / "guardless-module-attributes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = json.loads((root / "schema" / "guardless-calls.json").read_text())
    assert table["modules"] == module.build(table)
    assert table["modules"]["shutil"]["os"] == "os"
    assert guardless.resolve("os.path.os.path.join") == "os.path.join"


# -- a literal start after the code changed its environment, or given its own ---------------
# (found while fixing R13-3: the literal start was read with this process's PATH and folder)


@pytest.mark.parametrize(
    "code",
    [
        "import os; os.environ['PATH'] = 'tools:' + os.environ['PATH']; os.system('ls sync -q')",
        "import os; os.environ.update(PATH='tools:' + os.environ['PATH']); os.system('ls sync -q')",
        "from os import environ as e; e['PATH'] = 'tools:' + e['PATH']; import os; "
        "os.system('ls sync -q')",
        "import subprocess; subprocess.run(['ls', 'sync', '-q'], env={'PATH': 'tools:' + PATH})",
        "import subprocess; subprocess.run(['../ls', 'sync', '-q'], cwd='tools/x')",
        "import os; os.execvpe('ls', ['ls', 'sync', '-q'], {'PATH': 'tools:' + PATH})",
    ],
)
def test_a_literal_start_in_another_environment_or_folder_is_refused(kernel, code):
    """tools/ls is a link to uv, the project's index a refused one: without Warden the child
    runs `uv sync` and installs torcj; Warden read `ls` on its own PATH (or ./ls in its own
    folder) and let it start. Now a start after the code changed os.environ, or given its own
    env or cwd, is refused as after a file change."""
    (kernel.work / "pyproject.toml").write_text(
        PROJECT.replace("warden-demo-pkg", "torcj").format(index=kernel.index.simple)
    )
    (kernel.work / "tools" / "x").mkdir(parents=True)
    os.symlink(UV, kernel.work / "tools" / "ls")
    # a literal PATH (the child's code must stay literal for the start to be read)
    code = code.replace("'tools:' + PATH", repr("tools:" + kernel.env(False)["PATH"]))
    cell = _guardless_cell(code).replace("{", "{{").replace("}", "}}")
    refused = kernel.proves(cell, name="torcj")
    assert "changes files or its environment" in refused, refused


@pytest.mark.parametrize(
    "code",
    [
        "import os, subprocess; print(os.environ.get('HOME'), os.environ['PATH']); "
        "subprocess.run(['ls', '-l'])",
        "import os; os.posix_spawn('/bin/ls', ['ls'], {})",
        "import subprocess; subprocess.run(['git', 'status'], env=None, cwd=None)",
        "import os; os.environ['X'] = '1'",  # a change without a start
    ],
)
def test_starts_that_keep_the_environment_still_run(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert commands.invocations(["python3", "-I", "-c", code]) == []


@pytest.mark.parametrize(
    ("code", "changer"),
    [
        ("import os; os.environ['PATH'] = 't'; os.system('ls')", "os.environ"),
        ("from os import environ as e; e.update(PATH='t'); import os; os.system('ls')", "os."),
        ("import os; del os.environ['PATH']; os.system('ls')", "os.environ"),
        ("import os; os.putenv('PATH', 't'); os.system('ls')", "os.putenv"),
        ("import subprocess; subprocess.run(['ls'], env={'PATH': 't'})", "env="),
        ("import subprocess; subprocess.run(args=['uv', 'sync'], cwd='d')", "cwd="),
        ("import os; os.execvpe('ls', ['ls'], {'PATH': 't'})", "its env"),
        ("import os; print(os.environ.get('A'), os.environ['B']); os.posix_spawn('/bin/ls', "
         "['ls'], {})", ""),
        ("import subprocess; subprocess.run(['git', 'status'], env=None, cwd=None)", ""),
    ],
)  # fmt: skip
def test_environment_changes_are_found_as_the_static_side_finds_them(code, changer):
    """The same cases as src/deps/guardless.spec.ts `literalStarts`."""
    found = guardless.literal_starts(code)[1]
    assert found.startswith(changer) and bool(found) == bool(changer), found

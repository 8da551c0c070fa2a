"""Red team 90 F9 (fixC): npm's and conda's ABBREVIATED long options. npm reads its words with
nopt, which takes a unique abbreviation of any config key (``--prefi web``), a single-dash key
(``-prefix=web``), a shorthand with more dashes (``--C=web``) and bundled single letters
(``-dC web`` is ``--loglevel info --prefix web``); conda's argparse takes a unique prefix
(``conda run --pre ENV``, ``--cw DIR``, ``conda install --pr ENV``). Warden read only the full
spellings (``npm_run_path``'s ``--prefix``/``-C``, conda run's ``-p``/``--prefix``/``--cwd``),
so the folder npm or conda put first on its command's PATH was not the one Warden read:
``npx --prefi web gzip`` ran the cell's new web/node_modules/.bin/gzip.

Fixed (``long_options``): npm's words are rewritten as nopt reads them (npm 11's own table,
schema/npm-cli.json) before ``npm_run_path`` reads them; conda's long options are written out
by argparse's rule, and a prefix of several that conda may read as an option Warden reads is
refused. pip (optparse, ``arguments.resolve_pip_long``) and pipx (``pipx_cli``) were read so
already; uv (clap) takes no abbreviation (checked below with the real uv)."""

import json
import os
import shutil
import subprocess

import pytest
from install_env import GUARDED_ENV
from launched import installed, system_call
from real_uv import real_uv
from test_redteam82_path_link_target import _payload

from jupyterlab_warden.kernel.guard.installs import long_options, npm_run_path
from jupyterlab_warden.kernel.guard.installs.arguments import resolve_pip_long
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

WRITE = """import os, json
os.makedirs('web/node_modules/.bin', exist_ok=True)
json.dump(dict(name='w', version='1.0.0'), open('web/package.json', 'w'))
with open('web/node_modules/.bin/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('web/node_modules/.bin/gzip', 0o755)
"""
SPELLINGS = {
    "abbreviated": "npx --prefi web --offline gzip -c a.txt > a.gz",
    "bundled": "npx -dC web --offline gzip -c a.txt > a.gz",
    "single-dash": "npm -prefix=web exec --offline gzip -- -c a.txt > a.gz",
}


@pytest.mark.parametrize("form", sorted(SPELLINGS))
def test_an_abbreviated_npm_prefix_is_read(kernel, form):
    """The proof: without Warden npm runs web/node_modules/.bin/gzip (it installs); with
    Warden the start is refused, naming the new gzip of that folder."""
    installed("npm")
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "package.json").write_text('{"name": "x", "version": "1.0.0"}')

    def fresh() -> str:
        shutil.rmtree(kernel.work / "web", ignore_errors=True)
        return WRITE.format(payload=_payload(kernel)) + system_call(SPELLINGS[form])

    guarded = kernel.kept_from_refused_host(fresh)
    assert "web/node_modules/.bin" in (guarded["refused"] or ""), guarded


# -- npm's words as its own nopt reads them ------------------------------------------------------

NOPT = r"""
const npm = process.argv[1]
const nopt = require(npm + '/node_modules/nopt')
const { definitions, shorthands } = require(npm + '/node_modules/@npmcli/config/lib/definitions')
const types = {}
for (const [k, d] of Object.entries(definitions)) types[k] = d.type
nopt.abbrevHandler = () => {}
nopt.unknownHandler = () => {}
nopt.invalidHandler = () => {}
const out = JSON.parse(require('fs').readFileSync(0, 'utf8')).map((argv) => {
  const parsed = nopt(types, shorthands, argv, 0)
  const keys = Object.keys(parsed).filter((k) => k !== 'argv').sort()
  return { keys, remain: parsed.argv.remain }
})
console.log(JSON.stringify(out))
"""
ARGVS = [
    ["--prefi", "web", "exec", "gzip"], ["--prefi=web", "run", "x"], ["--pref", "web", "ls"],
    ["-prefix", "web", "run", "x"], ["--C", "web", "exec"], ["-dC", "web", "exec"],
    ["---prefix", "web", "x"], ["-C=web", "x"], ["-Cweb", "x"], ["-i", "x"], ["-ws", "test"],
    ["-w", "pkg", "run", "b"], ["--worksp", "a", "run"], ["--no-workspaces", "run", "x"],
    ["run", "x", "--prefi=web"], ["exec", "--cal=tar czf o a", "--prefi", "web"],
    ["--reg", "http://x", "install", "y"], ["--script-sh=tools/x", "test"],
    ["--ignore-s", "install", "./pkg"], ["--ign", "install"], ["--ignore-scripts", "false", "i"],
    ["--color", "always", "ls"], ["--yes", "null", "x"], ["--call", "-x", "exec"],
    ["-gC", "x", "y"],
    ["--porc", "ls"], ["--include-w", "run"], ["install", "--save-dev", "x", "--", "--prefix", "y"],
    ["-qws", "run"], ["--workspace", "--prefix", "w"], ["--browser", "firefox", "docs"],
]  # fmt: skip


def _npm_folder() -> str:
    return os.path.dirname(os.path.dirname(os.path.realpath(installed("npm"))))


def test_npm_words_are_read_as_npms_nopt_reads_them():
    """Every argv above: the keys nopt sets and the words it leaves (the command and its
    operands) are those ``npm_args`` gives, from the real npm's own nopt and table."""
    done = subprocess.run(
        [installed("node"), "-e", NOPT, _npm_folder()], input=json.dumps(ARGVS),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    for argv, real in zip(ARGVS, json.loads(done.stdout)):
        words = long_options.npm_args(argv)
        cut = words.index("--") if "--" in words else len(words)
        keys = sorted({w[2:].split("=", 1)[0] for w in words[:cut] if w.startswith("--")})
        remain = [w for w in words[:cut] if not w.startswith("--")] + words[cut + 1 :]
        # a value nopt finds invalid for its type (`--prefix --`) is dropped after parsing
        assert set(real["keys"]) <= set(keys), (argv, words, real)
        assert remain == real["remain"], (argv, words, real)


def test_the_table_is_the_installed_npms():
    from jupyterlab_warden.kernel.contracts import load_contract

    with open(os.path.join(_npm_folder(), "package.json")) as fh:
        version = json.load(fh)["version"]
    assert load_contract("npm-cli.json")["npm"] == version, "run scripts/npm-cli-table.js"


@pytest.mark.parametrize(
    "args",
    [["--prefi", "web", "exec", "x"], ["-dC", "web", "x", "y"], ["--C=web", "run", "b"],
     ["-prefix", "web", "test"], ["run", "b", "--prefi=web"]],
)  # fmt: skip
def test_every_spelling_of_the_prefix_adds_its_folders(tmp_path, args):
    folders = npm_run_path.bin_folders("npm", args, {}, str(tmp_path))
    assert str(tmp_path / "web" / "node_modules" / ".bin") in folders


@pytest.mark.parametrize(
    "args", [["-ws", "test"], ["--worksp=a", "run", "b"], ["-qws", "run", "b"], ["-w=a", "test"]]
)
def test_every_spelling_of_a_workspace_is_unplaced(tmp_path, args):
    if args[0].startswith("--worksp"):
        args = ["--workspace=a", "run", "b"]  # `--worksp` is no abbreviation: ambiguous
    with pytest.raises(ValueError, match="other packages' folders"):
        npm_run_path.bin_folders("npm", args, {}, str(tmp_path))


def test_no_workspaces_and_an_unknown_key_are_no_workspace(tmp_path):
    assert npm_run_path.bin_folders("npm", ["--no-workspaces", "test"], {}, str(tmp_path))
    assert npm_run_path.bin_folders("npm", ["--worksp", "a", "run"], {}, str(tmp_path))


# -- conda (argparse; conda is not installed here: read as the kernel's gate reads a line) -------

GZIP = '#!/usr/bin/perl\nmy $p = "p" . "ip";\nsystem($p, "install", "warden-demo-pkg");\n'


def _problems(line: str, cwd) -> list:
    env = {"PATH": os.environ["PATH"], "HOME": str(cwd), **GUARDED_ENV}
    return [p for r in read_requests(None, line, env, str(cwd)) for p in r.problems]


@pytest.fixture
def env_folder(tmp_path, monkeypatch):
    installed("perl")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envx" / "bin").mkdir(parents=True)
    gzip = tmp_path / "envx" / "bin" / "gzip"
    gzip.write_text(GZIP)
    gzip.chmod(0o755)
    return tmp_path


@pytest.mark.parametrize(
    "line",
    [
        "conda run --pre envx tar czf o.tgz a.txt",
        "conda run --pr=envx tar czf o.tgz a.txt",
        "conda run --prefi envx --no-capture tar czf o.tgz a.txt",
        "mamba run --pref envx tar czf o.tgz a.txt",
    ],
)
def test_an_abbreviated_conda_run_prefix_is_read(env_folder, line):
    """Before: `--pre` was read as an unknown flag and `envx` as the command."""
    found = _problems(line, env_folder)
    assert any("envx/bin" in p and "gzip" in p for p in found), found


@pytest.mark.parametrize(
    "line, said",
    [
        ("conda run --cw /tmp uv pip install x", "another folder"),
        ("conda run --n x tar czf o.tgz a.txt", "--name"),
        ("conda install --pr envx x", "--prefix"),
        ("conda install --c https://example.invalid/c x", "--channel"),
        ("conda create --n x python", "--name"),
    ],
)
def test_an_ambiguous_or_moving_conda_abbreviation_is_refused(env_folder, line, said):
    found = _problems(line, env_folder)
    assert any(said in p for p in found), found


def test_a_unique_conda_install_abbreviation_is_read_in_full(env_folder):
    (env_folder / "reqs.txt").write_text("foo\n")
    line = "conda install --chan https://example.invalid/c --fil reqs.txt"
    requests = read_requests(None, line, {"PATH": os.environ["PATH"]}, str(env_folder))
    (request,) = requests
    assert "https://example.invalid/c" in [s.url for s in request.sources]
    assert [r.name for r in request.requirements] == ["foo"]


@pytest.mark.parametrize(
    "word, known, full",
    [
        ("--chan=u", {"--channel", "--clone"}, "--channel=u"),
        ("--channel", {"--channel", "--channel-alias"}, "--channel"),
        ("--zz", {"--channel"}, "--zz"),
        ("-c", {"--channel"}, "-c"),
    ],
)
def test_argparse_long(word, known, full):
    assert long_options.argparse_long(word, known, {"--channel"}) == full


# -- pip, pipx and uv: read so already -----------------------------------------------------------


def test_pip_reads_its_abbreviations_already():
    assert resolve_pip_long("--index-u") == "--index-url"
    assert resolve_pip_long("--extra-ind") == "--extra-index-url"
    assert resolve_pip_long("--i") is None  # ambiguous: a refusal of its own (arguments.py)


def test_uv_takes_no_abbreviation():
    done = subprocess.run(
        [real_uv(), "pip", "install", "--dry-run", "--index-u", "http://127.0.0.1:9/", "x"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0 and "unexpected argument '--index-u'" in done.stderr


# -- no false refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["npm --prefix web ls", "npm --prefix=web run build", "npx --offline hello",
     "npm install --save-dev x", "conda run -n base python -V", "conda install -c conda-forge x"],
)  # fmt: skip
def test_ordinary_lines_pass(tmp_path, monkeypatch, line):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "web").mkdir()
    assert _problems(line, tmp_path) == [], line

"""Red team 90 F15 (fixC): npm installs of specs npm BUILDS on install. ``npm install ./pkg``
(``file:pkg``, ``x@./pkg``, a tarball, a git or URL spec, a ``file:`` dependency of a bare
``npm install``) runs the package's life-cycle scripts (preinstall, install, postinstall,
prepare) as shell text; npm 11 warns about scripts ``allowScripts`` does not cover and runs them.
A package.json the cell wrote ran ``uv pip install`` from its postinstall while Warden read a
plain npm start (npm is no installer Warden decides; the scripts are no words of the line).

Fixed (``npm_built_specs``, from ``commands._npm_run_env``): a building npm command (install and
its aliases and abbreviations, ci, update, install-test, link, rebuild, pack) given a spec that
is no registry package is refused unless npm reads ignore-scripts as true (any spelling on the
command line, npm_config_ignore_scripts, the project's or user's .npmrc); a local folder is
read, and passes when its package.json has no install-time script, no binding.gyp, and only
registry dependencies."""

import json
import os
import shlex
import sys

import pytest
from install_env import GUARDED_ENV
from launched import installed, system_call
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import npm_built_specs
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

NPM = "npm --offline --no-audit --no-fund --loglevel=error"
LINES = {
    "folder": f"{NPM} install ./pkg",
    "file-spec": f"{NPM} i file:pkg",
    "alias-abbreviated": f"{NPM} isntal x@./pkg",
    "dependency": f"{NPM} install",
}


def _install(kernel) -> str:
    return shlex.join(
        [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--no-deps",
         "--python", sys.executable, "--target", str(kernel.target), "--index-url",
         kernel.index.simple, "warden-demo-pkg"]
    )  # fmt: skip


def _cell(kernel, line: str, dependency: bool) -> str:
    pkg = {"name": "pkg", "version": "1.0.0", "scripts": {"postinstall": _install(kernel)}}
    app = {"name": "app", "version": "1.0.0"}
    if dependency:
        app["dependencies"] = {"pkg": "file:pkg"}
    text = (
        "import os, json, shutil\n"
        "shutil.rmtree('node_modules', ignore_errors=True)\n"
        "for f in ('package-lock.json',):\n"
        "    os.path.exists(f) and os.remove(f)\n"
        "os.makedirs('pkg', exist_ok=True)\n"
        f"json.dump({pkg!r}, open('pkg/package.json', 'w'))\n"
        f"json.dump({app!r}, open('package.json', 'w'))\n" + system_call(line)
    )
    return text.replace("{", "{{").replace("}", "}}")  # Kernel.cell formats the cell


@pytest.mark.parametrize("form", sorted(LINES))
def test_a_built_spec_whose_scripts_install_is_refused(kernel, form):
    """The proof: without Warden the package's postinstall installs; with Warden the npm
    start is refused."""
    installed("npm")
    cell = _cell(kernel, LINES[form], form == "dependency")
    guarded = kernel.kept_from_refused_host(cell)
    assert "--ignore-scripts" in (guarded["refused"] or ""), guarded


def test_ignore_scripts_installs_the_folder_without_its_scripts(kernel):
    """No false refusal: with --ignore-scripts npm runs (the package lands in node_modules)
    and its postinstall does not."""
    installed("npm")
    kernel.reset()
    cell = _cell(kernel, f"{NPM} install --ignore-scripts ./pkg", False)
    result = kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "node_modules" / "pkg").exists(), result
    assert not kernel.installed() and not kernel.index.requests


def test_a_plain_folder_installs(kernel):
    installed("npm")
    kernel.reset()
    plain = {"name": "plain", "version": "1.0.0", "main": "index.js"}
    cell = (
        "import os, json\nos.makedirs('plain', exist_ok=True)\n"
        f"json.dump({plain!r}, open('plain/package.json', 'w'))\n"
        "json.dump({'name': 'app', 'version': '1.0.0'}, open('package.json', 'w'))\n"
        + system_call(f"{NPM} install ./plain")
    )
    result = kernel.cell(cell.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "node_modules" / "plain").exists(), result


# -- readings ------------------------------------------------------------------------------------


def _problems(line: str, cwd, **more) -> list:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), **GUARDED_ENV, **more}
    return [p for r in read_requests(None, line, env, str(cwd)) for p in r.problems]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "package.json").write_text('{"name": "app", "version": "1.0.0"}')
    for name, manifest in {
        "pkg": {"name": "pkg", "version": "1.0.0", "scripts": {"install": "x"}},
        "prep": {"name": "prep", "version": "1.0.0", "scripts": {"prepare": "x"}},
        "gyp": {"name": "gyp", "version": "1.0.0"},
        "deps": {"name": "deps", "version": "1.0.0", "dependencies": {"a": "file:../pkg"}},
        "git": {"name": "git", "version": "1.0.0", "optionalDependencies": {"a": "u/r"}},
        "plain": {"name": "plain", "version": "1.0.0", "dependencies": {"lodash": "^4"},
                  "scripts": {"test": "jest", "build": "tsc"}},
    }.items():  # fmt: skip
        (tmp_path / name).mkdir()
        (tmp_path / name / "package.json").write_text(json.dumps(manifest))
    (tmp_path / "gyp" / "binding.gyp").write_text("{}")
    (tmp_path / "nomanifest").mkdir()
    (tmp_path / "x.tgz").write_bytes(b"")
    return tmp_path


@pytest.mark.parametrize(
    "line",
    [
        "npm install ./pkg", "npm add file:pkg",
        "npm install x@./pkg", "npm isntall ./pkg", "npm instal ./prep", "npm installTest ./pkg",
        "npm ci ./pkg", "npm up ./gyp", "npm i ./deps", "npm i ./git", "npm i ./nomanifest",
        "npm i ./missing", "npm i ./x.tgz", "npm i x.tgz", "npm i github:u/r", "npm i u/r",
        "npm i git+https://example.invalid/r.git", "npm i git@example.invalid:u/r.git",
        "npm i https://example.invalid/x.tgz", "npm i x@https://example.invalid/x.tgz",
        "npm rebuild", "npm rb", "npm pack ./prep", "npm link ./pkg", "npm -C pkg link",
        "npm i --no-ignore-scripts ./pkg",
        "npm publish ./prep --dry-run", "npm diff --diff=./prep", "npm diff --diff ./pkg",
        "npm cache add github:u/r", "npm cache add ./prep",
        "npm_config_ignore_scripts=false npm i ./pkg",
        "npm_config_ignore_scripts=true npm i --ignore-scripts=false ./pkg",
    ],
)  # fmt: skip
def test_a_spec_npm_builds_is_refused(project, line):
    found = _problems(line, project)
    assert any("--ignore-scripts" in p for p in found), (line, found)


@pytest.mark.parametrize(
    "line, more",
    [
        ("npm install --ignore-scripts ./pkg", {}),
        ("npm i --ignore-s github:u/r", {}),
        ("npm i --ignore-scripts true ./pkg", {}),
        ("npm i ./pkg", {"npm_config_ignore_scripts": "true"}),
        ("npm i ./pkg", {"NPM_CONFIG_IGNORE-SCRIPTS": "true"}),
        ("npm install ./plain", {}),
        ("npm install lodash @types/node@20 left-pad@^1.3 y@npm:left-pad@1", {}),
        ("npm install", {}),
        ("npm ci", {}),
        ("npm --prefix web ls", {}),
        ("npm ls", {}),
        ("npm run build", {}),
        ("npm publish --dry-run", {}),
        ("npm diff --diff=lodash@4 --diff=lodash@3", {}),
        ("npm cache add lodash@4", {}),
        ("npm cache ls", {}),
        ("npm cache clean --force", {}),
    ],
)
def test_no_false_refusals(project, line, more):
    assert _problems(line, project, **more) == [], line


def test_the_npmrc_says_ignore_scripts(project):
    (project / ".npmrc").write_text("ignore-scripts = true\n")
    assert _problems("npm i ./pkg", project) == []
    (project / ".npmrc").write_text("ignore-scripts=false\n")
    assert _problems("npm i ./pkg", project)
    (project / ".npmrc").unlink()
    user = project / "home"
    user.mkdir()
    (user / ".npmrc").write_text("ignore-scripts=true\n")
    assert _problems("npm i ./pkg", project, HOME=str(user)) == []
    assert _problems("npm i ./pkg", project, HOME=str(user), npm_config_ignore_scripts="")


def test_a_bare_install_reads_the_projects_dependencies(project):
    (project / "package.json").write_text(
        '{"name": "app", "version": "1.0.0", "dependencies": {"p": "file:pkg"}}'
    )
    assert _problems("npm install", project)
    assert _problems("npm install --ignore-scripts", project) == []


@pytest.mark.parametrize(
    "word, command",
    [("i", "install"), ("isntall", "install"), ("rebui", "rebuild"),
     ("installTest", "install-test"), ("cit", "install-ci-test"), ("ls", "ls"), ("x", "exec")],
)  # fmt: skip
def test_npm_command_derefs_as_npm(word, command):
    assert npm_built_specs.npm_command(word) == command


def test_npm_runs_a_folders_scripts_here(tmp_path):
    """What the rule stands on, measured with the npm here: a folder spec's four install-time
    scripts run, and none with --ignore-scripts."""
    npm = installed("npm")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "package.json").write_text('{"name": "app", "version": "1.0.0"}')
    (tmp_path / "pkg").mkdir()
    scripts = {s: f"touch ../ran-{s}" for s in ("preinstall", "install", "postinstall", "prepare")}
    manifest = {"name": "pkg", "version": "1.0.0", "scripts": scripts}
    (tmp_path / "pkg" / "package.json").write_text(json.dumps(manifest))
    env = {**os.environ, "HOME": str(tmp_path), "npm_config_cache": str(tmp_path / "cache")}
    import subprocess

    run = [npm, "install", "--offline", "--no-audit", "--no-fund", "../pkg"]
    subprocess.run(run + ["--ignore-scripts"], cwd=tmp_path / "app", env=env, check=True)
    assert not list(tmp_path.glob("ran-*"))
    subprocess.run(run, cwd=tmp_path / "app", env=env, check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.glob("ran-*")) == sorted(f"ran-{s}" for s in scripts)


def test_npm_publish_and_diff_prepare_a_folder_here(tmp_path):
    """What ``_FETCHING`` stands on, measured with the npm here: ``npm publish FOLDER`` (even
    ``--dry-run``) and ``npm diff --diff=FOLDER`` run the folder's prepare script."""
    npm = installed("npm")
    (tmp_path / "pkg").mkdir()
    manifest = {"name": "pkg", "version": "1.0.0", "scripts": {"prepare": "touch ../ran"}}
    (tmp_path / "pkg" / "package.json").write_text(json.dumps(manifest))
    env = {**os.environ, "HOME": str(tmp_path), "npm_config_cache": str(tmp_path / "cache")}
    import subprocess

    for words in (["publish", "./pkg", "--dry-run"], ["diff", "--diff=./pkg", "--diff=./pkg"]):
        subprocess.run([npm, *words], cwd=tmp_path, env=env, capture_output=True, timeout=120)
        assert (tmp_path / "ran").exists(), words
        (tmp_path / "ran").unlink()

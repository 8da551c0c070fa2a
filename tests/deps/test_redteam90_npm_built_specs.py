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
    # red team 91c: the whole tree is built whatever the line names; npm run by npm exec
    "uninstall-tree": f"{NPM} uninstall lodash",
    "exec-call": f"{NPM} exec -c '{NPM} install ./pkg'",
}
# the forms whose project names the folder as a file: dependency
DEPENDING = ("dependency", "uninstall-tree")


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
    cell = _cell(kernel, LINES[form], form in DEPENDING)
    guarded = kernel.kept_from_refused_host(cell)
    assert "--ignore-scripts" in (guarded["refused"] or "") or "own command" in (
        guarded["refused"] or ""
    ), guarded


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
        "npm stage publish ./prep --dry-run", "npm --editor=true edit lodash",
        "npm i file:~/pkg", "npm i x@~/pkg", "HOME=/tmp npm i file:~/pkg",
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
        ("npm i lodash@~4.17.21 -D @types/node@~20.11.0 y@npm:left-pad@~1.3", {}),
        ("npm audit", {}),
        ("npm i --ignore-scripts https://example.invalid/x.tgz", {}),
    ],
)
def test_no_false_refusals(project, line, more):
    assert _problems(line, project, **more) == [], line


def test_an_npmrc_is_not_trusted_to_turn_scripts_off(project):
    """npm skips the project's .npmrc in global mode and a workspace's for its root's, nests
    keys under sections and takes userconfig from an .npmrc (red team 91c): only the command
    line and the environment turn scripts off."""
    (project / ".npmrc").write_text("ignore-scripts = true\n")
    assert _problems("npm i ./pkg", project)
    assert _problems("npm i --ignore-scripts ./pkg", project) == []
    user = project / "home"
    user.mkdir()
    (user / ".npmrc").write_text("ignore-scripts=true\n")
    assert _problems("npm i ./pkg", project, HOME=str(user))
    assert _problems("npm i ./pkg", project, npm_config_ignore_scripts="true") == []


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


@pytest.mark.parametrize(
    "line",
    [
        "npm i --ignore-scripts github:u/r",
        "npm i --ignore-s u/r",
        "npm i --ignore-scripts git+https://example.invalid/r.git",
    ],
)
def test_a_git_spec_is_refused_with_scripts_off(project, line):
    """npm clones a git spec with the ``git`` program its configuration names (``--git=./x``,
    an .npmrc's ``git=``): red team 91c ran ./evilgit under --ignore-scripts."""
    assert any("git program" in p for p in _problems(line, project)), line


@pytest.mark.parametrize(
    "line", ["npm i ./plain", "npm i lodash", "npm uninstall lodash", "npm dedupe", "npm prune",
             "npm audit fix", "npm ci", "npm install", "npm up"],
)  # fmt: skip
@pytest.mark.parametrize(
    "manifest, files",
    [
        ({"dependencies": {"p": "file:pkg"}}, {}),
        ({"dependencies": {"p": "~1.2.3"}, "workspaces": ["pkg"]}, {}),
        ({"dependencies": {"p": "^1.0.0"}},
         {"package-lock.json": {"packages": {"": {}, "node_modules/p": {
             "version": "1.0.0", "resolved": "file:p-1.0.0.tgz"}}}}),
        ({"dependencies": {"p": "^1.0.0"}},
         {"npm-shrinkwrap.json": {"dependencies": {"p": {"version": "git+ssh://h/r.git"}}}}),
        ({"dependencies": {"p": "^1.0.0"}},
         {"package-lock.json": {"packages": {"node_modules/p": {"link": True,
                                                                "resolved": "pkg"}}}}),
    ],
    ids=["file-dependency", "workspaces", "lock-file-tarball", "shrinkwrap-git", "lock-link"],
)  # fmt: skip
def test_the_whole_tree_is_read(project, line, manifest, files):
    """arborist installs and builds the project's whole tree whatever the line names (red team
    91c: a file: dependency, workspaces, a lockfile resolving a cell's tarball)."""
    (project / "package.json").write_text(
        json.dumps({"name": "app", "version": "1.0.0", **manifest})
    )
    for name, data in files.items():
        (project / name).write_text(json.dumps(data))
    assert any("--ignore-scripts" in p for p in _problems(line, project)), line
    assert _problems(line.replace("npm ", "npm --ignore-scripts ", 1), project) == [], line


def test_a_registry_lockfile_passes(project):
    lock = {"lockfileVersion": 3, "packages": {"": {"name": "app"}, "node_modules/lodash": {
        "version": "4.17.21", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
        "integrity": "sha512-x"}}}  # fmt: skip
    (project / "package.json").write_text('{"name": "app", "dependencies": {"lodash": "~4.17"}}')
    (project / "package-lock.json").write_text(json.dumps(lock))
    for line in ("npm ci", "npm install", "npm i lodash@~4.17.21", "npm uninstall lodash"):
        assert _problems(line, project) == [], line


@pytest.mark.parametrize(
    "line",
    ["npx npm i ./pkg", "npx -- npm i ./pkg", "npm exec npm i ./pkg", "npm x npm i ./pkg",
     "npm exec -c 'npm i ./pkg'", "npx -c 'npm i ./pkg'", "npm exec --call='npm i ./pkg'",
     "npx --call 'cd pkg && npm i'", "yarn dlx npm i ./pkg", "pnpm dlx npm i ./pkg"],
)  # fmt: skip
def test_a_node_package_manager_run_by_a_runner_is_refused(project, line):
    """Red team 91c: npx and ``npm exec`` ran ``npm i ./pkg``, whose start Warden read no
    further (the folder's postinstall ran)."""
    assert any("run npm as its own command" in p for p in _problems(line, project)), line


@pytest.mark.parametrize("line", ["npx cowsay hi", "npx -c 'tsc -p .'", "npm exec tsc", "npx tsc"])
def test_a_runners_ordinary_command_passes(project, line):
    assert _problems(line, project) == [], line

"""Red team 88 F6 (fix88d) (HIGH where Node's npm is installed, as here: /usr/bin/npm 11): npm puts
``node_modules/.bin`` of its folder (and of each parent) first on the PATH of what it runs
(@npmcli/run-script's set-path; libnpmexec runs a local bin by name first). Warden reads that
folder only for npm's command VALUES (``command_values._PROGRAM_PATH_FOLDERS``, red team 27
R27-3), never as a PATH folder of the start (``_refuse_path_programs`` /
``gate._path_programs``), and ``npx NAME`` is read as a package name to fetch from npm:

- ``npx``: ``npx gzip -c a.txt`` runs the cell's new node_modules/.bin/gzip itself;
- ``call``: ``npm exec --call='tar czf o.tgz a.txt'`` (no shell, wrapper or interpreter in
  the text, so ``_refuse_handed_text`` passes it): tar runs node_modules/.bin/gzip.
Both unread. (uv run's scripts folder got exactly this rule in fix87b, F8.)

Fixed (fix88d): a start of npm/npx/yarn/pnpm is read with the ``node_modules/.bin`` folders
from its working folder up first on its PATH (``npm_run_path``, ``commands._npm_run_env``):
the new gzip there is read as a start of its own and refused. Below: an ordinary project
(its node_modules older than the kernel) runs its local programs and scripts unrefused, and
npm's subcommands that run nothing are not read with the folders."""

import shutil

import pytest
from launched import installed, system_cell
from test_age81_old_path_programs import _older_than_a_start
from test_redteam82_path_link_target import _payload

WRITE = """import os
os.makedirs('node_modules/.bin', exist_ok=True)
with open('node_modules/.bin/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('node_modules/.bin/gzip', 0o755)
"""
LINES = {
    "npx": "npx --offline gzip -c a.txt > a.gz",
    "call": "npm exec --offline --call='tar czf o.tgz a.txt'",
    "popen": "",  # the start made by the cell's Python (the gate's start handler)
}
CALLS = {
    "popen": "import subprocess\n"
    "subprocess.run(['npm', 'exec', '--offline', '--call=tar czf o.tgz a.txt'])\n",
}


@pytest.mark.parametrize("how", sorted(LINES))
def test_npm_bin_folder_is_read_as_a_path_folder(kernel, how):
    installed("tar")
    installed("npm")
    (kernel.work / "a.txt").write_text("a\n")

    def fresh() -> str:
        shutil.rmtree(kernel.work / "node_modules", ignore_errors=True)
        (kernel.work / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
        return WRITE.format(payload=_payload(kernel)) + CALLS.get(
            how, f"os.system({LINES[how]!r})\n"
        )

    guarded = kernel.kept_from_refused_host(fresh)
    assert "gzip" in (guarded["refused"] or ""), guarded


# -- no false refusals ---------------------------------------------------------------------------

HELLO = "#!/usr/bin/env node\nrequire('fs').writeFileSync('ran.txt', 'hello')\n"
PACKAGE = '{"name": "x", "version": "1.0.0", "scripts": {"archive": "tar czf o.tgz a.txt"}}'


def _project(kernel) -> None:
    """An ordinary Node project, its node_modules/.bin older than the kernel (installed
    before it started): a local program ``hello`` (node code, as npm's links to a package's
    bin script are)."""
    installed("tar")
    installed("npm")
    work = kernel.work
    shutil.rmtree(work / "node_modules", ignore_errors=True)
    for name in ("ran.txt", "o.tgz"):
        (work / name).unlink(missing_ok=True)
    (work / "a.txt").write_text("a\n")
    (work / "package.json").write_text(PACKAGE)
    (work / "node_modules" / ".bin").mkdir(parents=True)
    hello = work / "node_modules" / ".bin" / "hello"
    hello.write_text(HELLO)
    hello.chmod(0o755)
    _older_than_a_start(hello)


@pytest.mark.parametrize(
    "line, made",
    [
        ("npx --offline hello", "ran.txt"),
        ("npm exec --offline --call='tar czf o.tgz a.txt'", "o.tgz"),
        ("npm run --offline archive", "o.tgz"),
    ],
)
def test_an_ordinary_project_runs(kernel, line, made):
    _project(kernel)
    result = kernel.cell(system_cell(line), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / made).exists(), result


def test_a_subcommand_that_runs_nothing_is_not_read_with_the_folders(kernel):
    """``npm ls`` with a new node_modules/.bin/gzip: npm runs no program by name, passed."""
    _project(kernel)
    cell = WRITE.format(payload="#!/bin/sh\nexit 0\n")
    result = kernel.cell(cell + "os.system('npm ls --offline > ls.txt')\n", launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "ls.txt").exists(), result

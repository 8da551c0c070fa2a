"""Red team 88 F6 (fix88d): the node_modules/.bin folders ``npm_run_path.bin_folders`` names
for a start of npm, npx, yarn or pnpm (npm 11's @npmcli/run-script set-path.js: the project
folder's node_modules/.bin and every parent's, nearest first), and the starts it cannot place
(other packages' folders: workspaces, recursive runs), refused with the reason."""

import os

import pytest
from install_env import line_problems

from jupyterlab_warden.kernel.guard.installs import commands, npm_run_path


def _walk(folder: str) -> list:
    found = []
    while True:
        found.append(os.path.join(folder, "node_modules", ".bin"))
        if folder == os.path.dirname(folder):
            return found
        folder = os.path.dirname(folder)


@pytest.mark.parametrize(
    "name, args",
    [
        ("npx", ["--offline", "gzip"]),
        ("npx-cli.js", ["gzip"]),
        ("npm", ["exec", "--call=tar czf o.tgz a.txt"]),
        ("npm", ["x", "gzip"]),
        ("npm", ["run", "build"]),
        ("npm", ["test"]),
        ("npm", ["start"]),
        ("npm", ["install"]),  # life-cycle scripts
        ("npm", ["--loglevel", "silent", "ls"]),  # an option's value: read as running
        ("yarn", ["build"]),
        ("pnpm", ["dlx", "x"]),
    ],
)
def test_runners_get_every_folder_from_the_start_up(tmp_path, name, args):
    folders = npm_run_path.bin_folders(name, args, {}, str(tmp_path))
    assert folders == _walk(str(tmp_path))


@pytest.mark.parametrize("args", [["ls"], ["view", "x"], ["config", "get", "prefix"], []])
def test_npm_subcommands_that_run_nothing_get_none(tmp_path, args):
    assert npm_run_path.bin_folders("npm", args, {}, str(tmp_path)) == []


@pytest.mark.parametrize("args", [["--prefix", "ls", "exec", "--call=tar czf o.tgz a"]])
def test_an_option_value_spelled_as_an_inert_subcommand_is_read(tmp_path, args):
    """`npm --prefix ls exec ...` runs exec (with ls as its prefix), not `npm ls`."""
    assert npm_run_path.bin_folders("npm", args, {}, str(tmp_path))


def test_a_prefix_adds_its_folders(tmp_path):
    folders = npm_run_path.bin_folders("npm", ["--prefix", "sub", "run", "x"], {}, str(tmp_path))
    assert folders[: len(_walk(str(tmp_path)))] == _walk(str(tmp_path))
    assert str(tmp_path / "sub" / "node_modules" / ".bin") in folders
    folders = npm_run_path.bin_folders("pnpm", ["--dir=d", "run", "x"], {}, str(tmp_path))
    assert str(tmp_path / "d" / "node_modules" / ".bin") in folders


@pytest.mark.parametrize(
    "name, args, env",
    [
        ("npm", ["run", "build", "-w", "pkg"], {}),
        ("npm", ["run", "build", "--workspace=pkg"], {}),
        ("npm", ["test", "-ws"], {}),
        ("npm", ["run", "build"], {"npm_config_workspaces": "true"}),
        ("pnpm", ["-r", "run", "build"], {}),
        ("pnpm", ["--filter", "a", "build"], {}),
        ("yarn", ["workspace", "a", "build"], {}),
    ],
)
def test_other_packages_folders_are_unplaced(tmp_path, name, args, env):
    with pytest.raises(ValueError, match="other packages' folders"):
        npm_run_path.bin_folders(name, args, env, str(tmp_path))


def test_the_start_is_read_with_the_folders_in_front(tmp_path, monkeypatch):
    monkeypatch.setattr(commands, "current_folder", lambda: str(tmp_path))
    env = commands._npm_run_env("npx", "npx-cli.js", ["gzip"], {"PATH": "/usr/bin:/bin"})
    assert env["PATH"] == os.pathsep.join(_walk(str(tmp_path)) + ["/usr/bin:/bin"])
    assert commands._npm_run_env("tar", "tar", ["x"], {"PATH": "/bin"}) == {"PATH": "/bin"}
    monkeypatch.setattr(commands, "current_folder", lambda: None)
    with pytest.raises(commands.Unreadable, match="cd to a folder written out"):
        commands._npm_run_env("npm", "npm-cli.js", ["test"], {})


def test_a_writer_into_the_folders_on_the_line_is_refused(tmp_path, monkeypatch):
    """``cp F node_modules/.bin/gzip && npm exec --call='tar ...'``: the folders are listed
    before the line runs, so the cp's file would go unread: refused, naming the writer (as
    for a PATH the line gives, red team 19 R19-2); ``npm ls`` after it runs nothing: passed."""
    (tmp_path / "node_modules" / ".bin").mkdir(parents=True)
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    monkeypatch.chdir(tmp_path)
    writer = "cp /bin/true node_modules/.bin/gzip && "
    run = "npm exec --offline --call='tar czf o.tgz a.txt'"
    path = os.environ["PATH"]
    found = line_problems(writer + run, tmp_path, path)
    assert any("earlier command on the line (cp)" in p for p in found), found
    assert line_problems(writer + "npm ls", tmp_path, path) == []
    assert line_problems(run, tmp_path, path) == []

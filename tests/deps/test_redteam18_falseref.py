"""Red team 18's false refusals (fix18c): R18-9, R18-8's declare -x.

- R18-9: git's key allow list (schema/git-config-keys.json) was git 2.39's own list, so keys
  other gits and git-lfs read were refused as unknown: Git for Windows' core.longpaths,
  git-lfs's lfs.* keys, filter.<driver>.required, and the filter values `git lfs install`
  writes. They are reviewed lists of scripts/git-config-keys.py now (git-lfs's program keys
  refused), and its exact_data makes git-lfs's own filter values data for exactly those values.
  The lines run with the real git in a launch-guarded kernel and land in its global config.
- The kernel's reason names the program again (`git setting KEY`, `make --eval`): su's
  `-s PROGRAM` had overwritten the attribute holding the program's name.
- R18-8: `declare -x PYTHONPATH=DIR` is read as the export it is on both sides (it was read as a
  value and as a form read as no value at once), and declare/export with value-keeping options
  is no writer before a guardless Python. The static side's guardless import rule is proved by
  the `R18-8:` vectors (the kernel refused those lines already).

The decisions on both sides are the `R18-9:` and `R18-8:` vectors.
"""

import configparser
import os
import subprocess

import pytest
from launched import BUILT, bash_cell, installed, system_cell

# the installer's name built by quotes the inner shell (git's `sh -c`) removes
QUOTED = BUILT.replace("u$@v", 'u""v').replace("p$@ip", 'p""ip')
LFS_INSTALL_KEYS = ("process", "clean", "smudge")


def _bash_ok(line: str) -> str:
    """A cell running ``line`` with bash (declare is bash's: os.system's sh has none), which
    must succeed."""
    return f"import subprocess\nsubprocess.run(['bash', '-c', {line!r}], check=True)\n"


def _global_config(kernel) -> str:
    path = kernel.home / ".gitconfig"
    return path.read_text() if path.exists() else ""


@pytest.mark.parametrize(
    "line, key, value",
    [
        ("git config --global core.longpaths true", "core.longpaths", "true"),
        ("git config --global lfs.concurrenttransfers 8", "lfs.concurrenttransfers", "8"),
        ("git config --global filter.lfs.required true", "filter.lfs.required", "true"),
        (
            'git config --global filter.lfs.process "git-lfs filter-process"',
            "filter.lfs.process", "git-lfs filter-process",
        ),
        (
            "git config --global https.proxy http://proxy.example:8080",
            "https.proxy", "http://proxy.example:8080",
        ),
    ],
)  # fmt: skip
def test_ordinary_git_settings_run_and_land(kernel, line, key, value):
    """Ordinary settings lines run with Warden, with the real git: the value is set."""
    installed("git")
    result = kernel.cell(f"import os\nassert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result
    got = subprocess.run(
        [installed("git"), "config", "--file", str(kernel.home / ".gitconfig"), "--get", key],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert got == value, _global_config(kernel)


def test_git_lfs_install_values_are_the_tables(tmp_path):
    """The exact values the table makes data are what the real `git lfs install` writes (with
    and without --skip-smudge): the table follows git-lfs, not a guess of its output."""
    import json
    from pathlib import Path

    table = json.loads(
        (Path(__file__).resolve().parents[2] / "schema" / "git-config-keys.json").read_text()
    )["exact_data"]
    installed("git-lfs")
    for flags in ([], ["--skip-smudge"]):
        home = tmp_path / ("home" + "".join(flags))
        home.mkdir()
        env = {"HOME": str(home), "PATH": os.environ["PATH"]}
        subprocess.run([installed("git"), "lfs", "install", *flags], env=env, check=True,
                       capture_output=True)  # fmt: skip
        config = configparser.ConfigParser(interpolation=None)
        config.read(home / ".gitconfig")
        for key in LFS_INSTALL_KEYS:
            assert config['filter "lfs"'][key] in table[f"filter.lfs.{key}"], (flags, key)


def test_lfs_install_settings_line_runs(kernel):
    """`git lfs install`'s settings written out as a line (what notebooks copy) run."""
    installed("git")
    line = (
        "git config --global filter.lfs.clean 'git-lfs clean -- %f' && "
        "git config --global filter.lfs.smudge 'git-lfs smudge -- %f' && "
        "git config --global filter.lfs.process 'git-lfs filter-process' && "
        "git config --global filter.lfs.required true"
    )
    result = kernel.cell(f"import os\nassert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result
    assert "process = git-lfs filter-process" in _global_config(kernel)


def test_filter_process_of_another_value_installs_without_warden_and_is_refused(kernel):
    """filter.lfs.process is data only for git-lfs's own values: another value is a command
    git runs when it cleans a file (here the install), refused before it starts."""
    installed("git")
    repo = "git init -q r && cd r && echo '*.bin filter=lfs' > .gitattributes && echo x > a.bin"
    line = f"{repo} && git -c filter.lfs.process='{QUOTED}; :' add a.bin"
    refused = kernel.proves(system_cell(line))
    # since red team 25 R25-1 a word is also read with its quotes removed: the value's
    # `u""v` names uv to the reading of git's words before git's table reads the setting
    assert "git setting filter.lfs.process" in refused or (
        "git may run an installer named in its arguments" in refused
    ), refused


@pytest.mark.parametrize(
    "line, named",
    [
        ("git config --global core.nosuchkey true", "git setting core.nosuchkey"),
        ("make --eval=x", "make --eval"),
    ],
)
def test_the_reason_names_the_program(kernel, line, named):
    """The kernel's reason starts with the program's name (it was left out)."""
    installed(line.split()[0])
    result = kernel.cell(system_cell(line), launched=True)
    assert named in (result["refused"] or ""), result


def test_declare_x_pythonpath_is_read_as_an_export(kernel):
    """`declare -x PYTHONPATH=src` is read as the export it is: a local module is read (it runs
    when it installs nothing) rather than refused as a form Warden does not read."""
    (kernel.work / "src").mkdir()
    (kernel.work / "src" / "mypkg.py").write_text("VALUE = 1\n")
    line = "declare -x PYTHONPATH=src; python3 -c 'import mypkg; print(mypkg.VALUE)'"
    result = kernel.cell(_bash_ok(line), launched=True)
    assert result["refused"] is None, result


def test_declare_x_pythonpath_module_that_installs_is_refused(kernel):
    """The same line whose module installs: installs without Warden, refused with it."""
    (kernel.work / "src").mkdir()
    code = f"import os\nos.system({kernel.uv_install()!r})\n"
    (kernel.work / "src" / "mypkg.py").write_text(code)
    kernel.proves(bash_cell("declare -x PYTHONPATH=src; python3 -c 'import mypkg'"))


def test_declare_x_is_no_writer_before_a_guardless_python(kernel):
    """`declare -x FOO=1` writes no file, as `export FOO=1` does not."""
    line = "declare -x FOO=1; python3 -E -c 'import json'"
    result = kernel.cell(_bash_ok(line), launched=True)
    assert result["refused"] is None, result

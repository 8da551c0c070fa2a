"""Red team 54a R54a-2: ``conda config`` (``--add channels``, ``--set channel_alias``,
``--prepend``...) writes a .condarc (``~/.condarc``, or ``--file F``), and the line's rule of
writers counts it as a plain install that writes nothing, so a later ``conda install`` on the
line is decided with the .condarc as it was BEFORE the line (``condarc.py``), while conda
reads the channels just written. conda is native: nothing decides its install again.

Root cause: ``commands._plain_install`` (commands.py:2080-2081) makes every conda/mamba/
micromamba command but activate/deactivate/init/shell/run (``_CONDA_STATE``, commands.py:154)
a plain install; ``arguments.conda_request`` returns None for ``config`` (nothing decided), so
``_may_write`` is False and ``line.changed`` stays empty. The same line with ``echo ... >
~/.condarc`` is refused "run the install as its own command". Same in
src/deps/commands.ts ``plainInstall`` (static twin: src/deps/redteam54a-buildwrites.spec.ts).
No conda on the test machine: the proof is the line reading's verdict (the problem set on the
install, which the gate refuses by). FAILS today.
"""

import pytest

from jupyterlab_warden.kernel.guard.installs import commands

CHANNEL = "http://127.0.0.1:9/ch"


def _install_problem(line: str) -> str:
    found = commands.shell_invocations(line)
    installs = [i for i in found if "install" in i.args]
    assert installs, found
    return installs[-1].problem


def test_control_a_plain_write_of_the_condarc_is_a_writer(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = f"echo 'channels: [{CHANNEL}]' > ~/.condarc && conda install -y numpy"
    assert "as its own command" in _install_problem(line)


@pytest.mark.parametrize(
    "config",
    [
        f"conda config --add channels {CHANNEL}",
        f"conda config --set channel_alias {CHANNEL}",
        f"conda config --env --prepend channels {CHANNEL}",
        f"mamba config --add channels {CHANNEL}",
        f"micromamba config append channels {CHANNEL}",
    ],
)
def test_conda_config_before_a_conda_install_is_a_writer(config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tool = config.split()[0]
    problem = _install_problem(f"{config} && {tool} install -y numpy")
    assert "as its own command" in problem, problem

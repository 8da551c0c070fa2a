"""Fix 67ordinary (red team 54c R54c-2): pip's resolved options count pip's declared default
index as pip's default, by the one rule of both readings (``sources.add_default_index``: it is
decided where nothing names an index), so a requirements file's own ``--index-url`` is the
install's index; PIP_INDEX_URL and pip.conf, which set pip's parser defaults, stay sources. A
refusal in pip's ``parse_args`` ends as Warden's message and a non-zero status, not a
traceback. R54c-1 (a word among an unknown program's words): the shared vectors
(schema/vectors/install-decision.json, "R54c-1") and the kernel reading below."""

import os
import subprocess
import sys
from pathlib import Path

from launched import KERNEL_BIN, line_refusal
from resolved_reading import index_urls

PRIVATE, OTHER = "https://private.example/simple", "https://other.example/simple"
PYPI = "https://pypi.org/simple"


def test_no_index_named_is_pips_default(tmp_path):
    assert index_urls(tmp_path, ["x"]) == [PYPI]


def test_the_files_index_replaces_the_default(tmp_path):
    (tmp_path / "requirements.txt").write_text(f"--index-url {PRIVATE}\nx\n")
    assert index_urls(tmp_path, ["-r", "requirements.txt"]) == [PRIVATE]


def test_pip_index_url_and_pip_conf_stay(tmp_path):
    """They set pip's parser default, not the option's declared one: real sources."""
    (tmp_path / "requirements.txt").write_text(f"--index-url {PRIVATE}\nx\n")
    got = index_urls(tmp_path, ["-r", "requirements.txt"], {"PIP_INDEX_URL": OTHER})
    assert sorted(got) == sorted([OTHER, PRIVATE])  # every index named anywhere is decided
    conf = tmp_path / "pip.conf"
    conf.write_text(f"[global]\nindex-url = {OTHER}\n")
    assert index_urls(tmp_path, ["x"], {"PIP_CONFIG_FILE": str(conf)}) == [OTHER]


def test_a_command_line_index_stays(tmp_path):
    assert index_urls(tmp_path, ["--index-url", OTHER, "x"]) == [OTHER]


# pip's own main wrapped as the guard wraps it, and a parse_args that refuses as
# decide_resolved does: what `python -m pip install ...` shows then
_REFUSED_IN_PARSE_ARGS = """
import sys
from pip._internal.cli import base_command
from pip._internal.cli.main import main
from jupyterlab_warden.kernel.guard.installs import gate

def parse_args(self, args):
    raise gate.WardenBlockedInstall("Jupyter Warden refused this installation: TEST REASON")

base_command.Command.parse_args = parse_args
sys.exit(gate.pip_main_wrapper(main, "", None)(["install", "x"]))
"""


def test_a_refusal_in_pips_parse_args_ends_as_wardens_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, "-c", _REFUSED_IN_PARSE_ARGS],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 126, done
    assert "Jupyter Warden refused this installation: TEST REASON" in done.stderr, done
    assert "Traceback" not in done.stderr, done


def test_a_refusal_names_whose_argument_it_is(tmp_path):
    """A word among an unknown program's words still refused names that program (R54c-1)."""
    why = line_refusal("jupyter make -f - all", tmp_path, {})
    assert why.startswith("jupyter's argument 'make' may be a program it runs: make"), why
    assert line_refusal("jupyter nbconvert --to script nb.ipynb", tmp_path, KERNEL_BIN) == ""
    assert "reads commands from its input" in line_refusal("script out.log", tmp_path, {})

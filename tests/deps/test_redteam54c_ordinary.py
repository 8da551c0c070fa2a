"""Red team 54c: false refusals of a data scientist's ordinary lines (the 54c brief's list).

Each proof runs the line in a kernel of the lab's launch environment without Warden (the
control: it works) and with Warden under a policy trusting the test index (the assertion: it
is allowed and does its work; these fail on today's code).

- R54c-1 (MED, false refusal; LOW, message): `jupyter nbconvert --to script nb.ipynb` (the
  usual way to turn a notebook into a .py; also `jupytext --to script`, `... --to script
  --stdout`) is refused: `jupyter` has no table, so `commands._refuse_unread`
  (installs/commands.py:4371, loop at 4394-4407) reads EVERY operand word as a program start
  with `interpreters.refused` (4399); the format word `script` is taken for util-linux's
  `script` (with no command: "reads commands from its input"; `--to script --stdout` was
  refused once in exploration as "script --stdout is no option Warden can place", with an
  nb.py in the folder, and runs in this proof's folder). Same reading: `man script`,
  `jupytext --to script`, `jupyter nbconvert --to script --output train nb.ipynb`. The
  message names `script`, a program the user never ran, and says to "give them as
  arguments" / "run the installer directly".
- R54c-2 (MED, false refusal; LOW, message): a requirements file naming the trusted index
  itself (`--index-url https://private/simple` as its first line, the usual form for a private
  index) installs under Warden's pre-start reading but is refused inside pip: pip's
  `Command.parse_args` hook (installs/gate.py:1651 `decide_resolved`) rebuilds the request
  from pip's resolved options, and installs/resolved.py:22-23 adds pip's DEFAULT
  `options.index_url` (PyPI, which the file's `--index-url` replaces in pip's finder) as an
  explicit `--index-url ... (command line)`; the policy trusts only the private index, so the
  install is refused as "package index https://pypi.org/simple (command line) is not one of
  the indexes your organisation trusts". The refusal reaches the user as pip's crash
  traceback (WardenBlockedInstall out of parse_args), not as Warden's message.
"""

import json
import os
import sys

VENV_BIN = os.path.dirname(sys.executable)  # jupyter, pip: the kernel environment's scripts


def _trust_index(kernel) -> None:
    policy = {"schema_version": 1, "revision": 3}
    policy["trusted_sources"] = {"package_indexes": [kernel.index.simple]}
    kernel.policy.write_text(json.dumps(policy))


def _run(kernel, line: str, launched: bool) -> dict:
    env = kernel.env(launched)
    env["PATH"] = VENV_BIN + os.pathsep + env["PATH"]  # the kernel environment's bin first
    return kernel.shell_line(line, launched, env=env)


NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {}, "source": "print('hello')", "outputs": [],
         "execution_count": None}
    ],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}  # fmt: skip

NBCONVERT = [
    "jupyter nbconvert --to script nb.ipynb",
    "jupyter nbconvert --to script --stdout nb.ipynb",
]


def _converts(kernel, line: str, launched: bool) -> dict:
    for name in ("nb.py", "nb.txt"):  # .txt: a notebook without language_info
        (kernel.work / name).unlink(missing_ok=True)
    (kernel.work / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    result = _run(kernel, line, launched)
    written = any((kernel.work / name).exists() for name in ("nb.py", "nb.txt"))
    result["converted"] = written or "print('hello')" in (result["out"] or "")
    return result


def test_r54c_1_nbconvert_to_script(kernel):
    plain = _converts(kernel, NBCONVERT[0], launched=False)  # the control: it converts
    assert plain["out"].startswith("0\n") and plain["converted"], plain
    refused = {}
    for line in NBCONVERT:
        guarded = _converts(kernel, line, launched=True)
        if guarded["refused"] is not None or not guarded["converted"]:
            refused[line] = guarded["refused"]
    assert not refused, refused


def test_r54c_1_the_word_after_an_option_of_an_untabled_tool(kernel):
    """A value word of Jupyter's own tools (nbconvert's format `script`) is no start of that
    program: they hand a word no input; `man`'s words are pages (its table). Any other program
    Warden has no table for may hand its input to a word's start (red team 55a R55a-1: `choom
    -n 0 -- script` fed by `input=`, and no start's input is known to be settled), so
    `jupytext --to script` stays refused, the refusal naming whose word it is."""
    from launched import KERNEL_BIN, line_refusal

    (kernel.work / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    for line in (
        "jupyter nbconvert --to script --output train nb.ipynb",
        "jupyter-nbconvert --to script nb.ipynb",
        "man script",
    ):
        assert line_refusal(line, kernel.work, KERNEL_BIN) == "", line
    refused = line_refusal("jupytext --to script nb.ipynb", kernel.work, {})
    assert refused.startswith("jupytext's argument 'script' may be a program it runs"), refused


def test_r54c_2_requirements_file_naming_the_trusted_index(kernel):
    _trust_index(kernel)
    # the private-index project's requirements file: its index first, as pip documents it
    (kernel.work / "requirements.txt").write_text(
        f"# our index\n--index-url {kernel.index.simple}\nwarden-demo-pkg>=1.0\n"
    )
    for pip in ("pip", "python -m pip"):  # `!pip`, `%pip` (the kernel's Python -m pip)
        line = f"{pip} install -q --target {kernel.target} -r requirements.txt"
        kernel.reset()
        plain = _run(kernel, line, launched=False)  # the control
        assert plain["out"].startswith("0\n") and kernel.installed(), plain
        assert kernel.index.requests  # fetched from the trusted index only
        kernel.reset()
        guarded = _run(kernel, line, launched=True)
        assert guarded["refused"] is None, guarded["refused"]  # passes today: pre-start reading
        # fails today: pip's own guard refuses PyPI "(command line)", with a traceback
        assert "Traceback" not in guarded["out"], guarded["out"][-800:]
        assert guarded["out"].startswith("0\n") and kernel.installed(), guarded["out"][-800:]


def test_r54c_2_the_resolved_reading_keeps_the_files_index(tmp_path):
    """The mechanism: pip's resolved options of `pip install -r requirements.txt` (no
    --index-url given: pip's default in options.index_url) read as a request whose only
    index is the file's. In a child Python: pip's parse_args in this process would be the
    guard's, were one installed here by an earlier test of the run."""
    from resolved_reading import index_urls

    (tmp_path / "requirements.txt").write_text("--index-url https://private.example/simple\nx\n")
    assert index_urls(tmp_path, ["-r", "requirements.txt"]) == ["https://private.example/simple"]

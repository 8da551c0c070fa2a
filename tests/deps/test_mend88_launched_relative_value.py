"""A value the kernel was launched with whose part is a relative path with a ``/``
(``MODEL_DIR=data/models``) was refused at every unread program start after a cd Warden does
not follow (`cd "$(echo data)" && /path/to/tool`): the part was placed strictly from the
start's folder, while a bare part of a launched value (LS_COLORS') is read from the process's
folder, as the cell wrote none of its text (``commands._environment_folder``). The same value
set by the cell stays refused: it may name a folder the line made programs in."""

import pytest
from launched import shell_line_cell


@pytest.fixture
def launched_with(kernel):
    (kernel.work / "data" / "models").mkdir(parents=True)
    tool = kernel.work / "tool"  # a program Warden does not read
    tool.write_text("#!/bin/sh\necho ran\n")
    tool.chmod(0o755)
    env = kernel.env(launched=True)
    env["MODEL_DIR"] = "data/models"
    return kernel, env


def test_a_launched_relative_value_does_not_refuse_a_start_after_an_unfollowed_cd(launched_with):
    kernel, env = launched_with
    line = f'cd "$(echo data)" && {kernel.work}/tool'
    result = kernel.shell_line(line, launched=True, env=env)
    assert result["refused"] is None and result["out"] == "0\nran\n", result


def test_the_same_value_set_by_the_line_is_refused(launched_with):
    kernel, env = launched_with
    line = f'cd "$(echo data)" && MODEL_DIR=data/models {kernel.work}/tool'
    result = kernel.cell(shell_line_cell(line), launched=True, env=env)
    assert result["refused"] and "cannot tell" in result["refused"], result

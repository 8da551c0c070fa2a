"""Red team 44a R44a-1: a listed release installed through a ``[tool.uv.sources]`` path source.

``uv pip install ./w/warden_demo_pkg-0.9-py3-none-any.whl`` is decided as project
``warden-demo-pkg`` at 0.9 (its file name, ``requirements.set_artifact``, R11-19) and refused
when 0.9 is a listed (malicious) release; a file a local folder offers is decided the same way
(R43b-4). But uv also installs a wheel named by a ``path`` source of a pyproject it reads
(``uv pip install -r pyproject.toml``, ``uv pip install .``, ``uv sync``):

    [project]
    dependencies = ["warden-demo-pkg"]          # decided as a bare name: the index's newest
    [tool.uv.sources]
    warden-demo-pkg = { path = "w/warden_demo_pkg-0.9-py3-none-any.whl" }

``toml_files._add_path_source`` appends a ``Requirement(path, None, "path")`` for
``local_projects`` to read (start-up code, Requires-Dist) but never places the wheel's own
project and version, so the listed 0.9 is installed while the bare dependency passes as "the
newest release" (1.0, clean). uv follows a project's path sources for its BUILD requirements
too: ``uv pip install ./d`` with ``[build-system] requires = ["warden-demo-pkg"]`` and the same
path source in d's pyproject runs the listed release as the build backend (``local_projects``
reads d, decides the bare build requirement, and leaves the path source unplaced).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import sys

from listed_release import (
    DEMO,
    backend_ran,
    demo_index,
    proves_refused,
    record,
    run_guarded,
    uv_cell,
    write_policy,
)

# the test index serving 0.9 (listed below) and 1.0 (clean); 0.9's wheel file is also what
# the cell copies into the notebook folder, its module a build backend leaving a marker
index = demo_index("index44a", backend="0.9")

LISTED = record("MAL-2099-44")


# braces doubled: the cell code is str.format-ed by launched.Kernel.cell
PYPROJECT = (
    '[project]\nname = "proj"\nversion = "0.1"\ndependencies = ["warden-demo-pkg"]\n'
    "[tool.uv.sources]\n"
    'warden-demo-pkg = {{ path = "w/warden_demo_pkg-0.9-py3-none-any.whl" }}\n'
)


def _cell(kernel, *words: str, project: bool = True) -> str:
    """Copies the listed 0.9 wheel to ./w (and writes the pyproject), then runs the real uv."""
    head = "import os, shutil, subprocess\nos.makedirs('w', exist_ok=True)\n"
    head += f"shutil.copy({str(kernel.index.wheels['0.9'])!r}, 'w')\n"
    if project:
        head += f"open('pyproject.toml', 'w').write({PYPROJECT!r})\n"
    return uv_cell(*words, head=head)


def test_r44a_1_control_bare_name_installs_the_clean_release(kernel):
    write_policy(kernel, LISTED)
    result, version = run_guarded(kernel, _cell(kernel, DEMO, project=False))
    assert result["refused"] is None and version == "1.0", result


def test_r44a_1_control_the_listed_wheel_by_its_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell(kernel, "./w/warden_demo_pkg-0.9-py3-none-any.whl", project=False)
    result, version = run_guarded(kernel, code)
    assert result["refused"] and "MAL-2099-44" in result["refused"], result
    assert version is None


def test_r44a_1_listed_wheel_of_a_path_source_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell(kernel, "-r", "pyproject.toml")
    # without Warden: uv follows the path source: the listed release
    proves_refused(kernel, code, "MAL-2099-44")  # FAILS today: installs 0.9


# -- the same path source for a local project's build requirement: the listed code runs ------

BUILT = (
    '[build-system]\nrequires = ["warden-demo-pkg"]\nbuild-backend = "warden_demo_pkg_mod"\n'
    '[project]\nname = "localproj"\nversion = "0.1"\n[tool.uv.sources]\n'
    'warden-demo-pkg = {{ path = "../w/warden_demo_pkg-0.9-py3-none-any.whl" }}\n'
)


def _build_cell(kernel) -> str:
    """./d: a project whose build requirement is the bare name, its path source the listed
    0.9 wheel (whose module is the build backend); ``uv pip install ./d``."""
    head = _cell(kernel, "./d", project=False).rsplit("subprocess.run(", 1)[0]
    head += f"os.makedirs('d', exist_ok=True)\nopen('d/pyproject.toml', 'w').write({BUILT!r})\n"
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-config", "--python"]
    argv += [sys.executable, "--target", "{target}", "--index-url", "{index}", "./d"]
    return head + f"subprocess.run({argv!r})\n"


def test_r44a_1_build_requirement_path_source_of_the_listed_release_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _build_cell(kernel)
    result, ran = backend_ran(kernel, code, launched=False)
    assert ran, result  # uv builds ./d with the path source: the listed release's code runs
    result, ran = backend_ran(kernel, code, launched=True)
    assert not ran, result  # FAILS today: the listed release's code runs
    assert result["refused"] and "MAL-2099-44" in result["refused"], result

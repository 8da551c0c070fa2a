"""Red team 29a R29a-8: pip's build-hook runner, started by the cell, loads any module.

A guardless Python whose script was the installed pip's ``pyproject_hooks`` runner was not
read at all, "pip's own build of a project it was allowed to install". But the runner imports
whatever ``PEP517_BUILD_BACKEND`` names from ``PEP517_BACKEND_PATH``, plain variables a cell
sets: ``python -I RUNNER get_requires_for_build_wheel ctl`` ran the cell's module unguarded
and unread. pip's own hook starts now get the guard (``child_path``: pip's build environment
sets PYTHONPATH), so a guardless start of the runner is no pip's, and is read as any script;
the same start through PYTHONPATH gets the guard, whose refusal the child makes itself.
"""

# the cell's "backend" (an install, and the hook the runner calls), its input, its environment
HEAD = (
    "import os, sys, subprocess, json, site\n"
    "R = site.getsitepackages()[0] + '/pip/_vendor/pyproject_hooks/_in_process/_in_process.py'\n"
    "assert os.path.isfile(R), R\n"
    "os.makedirs('ev', exist_ok=True); os.makedirs('ctl', exist_ok=True)\n"
    "open('ev/backend.py', 'w').write('import os\\nos.system(' + repr({install!r}) + ')\\n'\n"
    "    'def get_requires_for_build_wheel(config_settings=None):\\n    return []\\n')\n"
    "json.dump({{'kwargs': {{'config_settings': {{}}}}}}, open('ctl/input.json', 'w'))\n"
    "E = dict(os.environ, PEP517_BUILD_BACKEND='backend', "
    "PEP517_BACKEND_PATH=os.path.abspath('ev'))\n"
)


def _cell(kernel, start: str) -> str:
    return HEAD.replace("{install!r}", repr(kernel.uv_install())) + start


def test_an_isolated_start_of_the_runner_is_read_as_any_script(kernel):
    code = (
        "subprocess.run([sys.executable, '-I', R, 'get_requires_for_build_wheel', 'ctl'], env=E)\n"
    )
    refused = kernel.proves(_cell(kernel, code))
    assert "python -I starts without Warden's guard" in refused, refused


def test_a_start_of_the_runner_by_pythonpath_gets_the_guard(kernel):
    code = (
        "subprocess.run([sys.executable, R, 'get_requires_for_build_wheel', 'ctl'], "
        "env=dict(E, PYTHONPATH=os.path.abspath('ctl')))\n"
    )
    assert kernel.child_refuses(_cell(kernel, code))

"""Red team 34 R34-4: a local wheel that carries start-up code (a ``.pth`` import line, a
``sitecustomize``...). No index is asked and no build code runs, and the installer's own
writes are allowed (uv is no guarded Python at all), so a Python started after it on the same
shell line ran the code before its guard. Warden reads such a wheel before the install runs
(``local_wheels.start_code``): named by path, or in a local find-links folder."""

import os
import shutil
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from local_index import build_wheel

from jupyterlab_warden.kernel.guard.installs import local_wheels, sources
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Source

# what the .pth line (or module) runs: installs warden-demo-pkg from the test index
INSTALL = (
    "import os; os.system('{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 "
    "--target {target} --index-url {index} warden-demo-pkg')"
)
WHEEL = "evil_pth-1.0-py3-none-any.whl"

LINES = {
    "uv_pip_local_wheel": "{uv} pip install -q --no-config --no-cache --offline --python PY "
    f"--no-index ./{WHEEL} && PY -c pass",
    "pip_local_wheel": f"PY -m pip install -q --no-index --no-cache-dir --no-deps ./{WHEEL} "
    "&& PY -c pass",
    "pip_find_links": "PY -m pip install -q --no-index --no-cache-dir --no-deps -f ./wheels "
    "evil-pth && PY -c pass",
    "uv_find_links": "{uv} pip install -q --no-config --no-cache --offline --python PY "
    "--no-index --find-links ./wheels evil-pth && PY -c pass",
}

# runs LINE with PY the kernel's Python, then removes what it installed into the site folder
CELL = (
    "import os, shutil, sys, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
    "try:\n    os.system(LINE.replace('PY', sys.executable))\nfinally:\n"
    "    for f in os.listdir(site):\n"
    "        if f.startswith(('evil_pth', 'good_pth', 'sitecustomize')):\n"
    "            p = os.path.join(site, f)\n"
    "            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)\n"
)


def _payload(kernel) -> str:
    from real_uv import real_uv

    return INSTALL.format(uv=real_uv(), target=kernel.target, index=kernel.index.simple)


def _place(kernel, wheel) -> None:
    """The wheel in the kernel's folder and in its ``wheels`` find-links folder."""
    shutil.copy(wheel, kernel.work / wheel.name)
    (kernel.work / "wheels").mkdir(exist_ok=True)
    shutil.copy(wheel, kernel.work / "wheels" / wheel.name)


def _runs_without_refused_with(kernel, line: str) -> str:
    """The payload runs without Warden and not with it: the refusal's text (the kernel's, or
    the guarded pip's on its stderr)."""
    code = CELL.replace("LINE", repr(line))
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed(), ("without Warden the wheel's start-up code runs", plain)
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not kernel.installed() and kernel.index.requests == [], guarded
    return (guarded["refused"] or "") + guarded["stderr"]


@pytest.mark.parametrize("case", sorted(LINES))
def test_a_local_wheels_pth_does_not_run_before_a_later_starts_guard(own_kernel, case):
    wheel = build_wheel(own_kernel.tmp, "evil-pth", extra={"evil_pth.pth": _payload(own_kernel)})
    _place(own_kernel, wheel)
    refused = _runs_without_refused_with(own_kernel, LINES[case])
    assert "evil_pth.pth" in refused and "site runs as code" in refused, refused


def test_a_local_wheels_data_purelib_pth_is_read_too(own_kernel):
    extra = {"evil_pth-1.0.data/purelib/evil_pth.pth": _payload(own_kernel)}
    _place(own_kernel, build_wheel(own_kernel.tmp, "evil-pth", extra=extra))
    refused = _runs_without_refused_with(own_kernel, LINES["uv_pip_local_wheel"])
    assert "data/purelib/evil_pth.pth" in refused, refused


def test_a_local_wheels_sitecustomize_does_not_run_before_a_later_starts_guard(own_kernel):
    payload = _payload(own_kernel).replace("; ", "\n")
    _place(own_kernel, build_wheel(own_kernel.tmp, "evil-pth", extra={"sitecustomize.py": payload}))
    # a guarded start imports the guard's sitecustomize first (which runs the wheel's after
    # its hook is in); one without the guard's path (-I) imports the wheel's alone
    line = LINES["uv_pip_local_wheel"].replace("PY -c pass", "PY -I -c pass")
    refused = _runs_without_refused_with(own_kernel, line)
    assert "sitecustomize.py (a module a Python imports while it starts)" in refused, refused


def test_an_ordinary_local_wheel_installs_and_a_python_runs_after_it(own_kernel):
    """No false refusal: a wheel with modules and a .pth of path lines inside its own install
    (like pywin32's) installs, and the Python after it on the line imports it."""
    extra = {"good_pth.pth": "# its own folder\ngood_pth_extra\n", "good_pth_extra/extra.py": ""}
    _place(own_kernel, build_wheel(own_kernel.tmp, "good-pth", extra=extra))
    for case in ("uv_pip_local_wheel", "pip_find_links"):
        line = LINES[case].replace("evil", "good").replace(" && PY -c pass", "")
        line += ' && PY -c \'import good_pth_mod, extra; open("imported", "w")\''
        own_kernel.reset()
        marker = own_kernel.work / "imported"
        marker.unlink(missing_ok=True)
        result = own_kernel.cell(CELL.replace("LINE", repr(line)), launched=True)
        assert result["refused"] is None and marker.exists(), (case, result)


# -- what the reading refuses, shape by shape (no process) ------------------------------------

EVIL = {
    "top_pth": {"x.pth": "import os; os.system('true')\n"},
    "tab_import": {"x.pth": "import\tos; os.system('true')\n"},
    "bom_import": {"x.pth": "\ufeffimport os; os.system('true')\n"},
    "after_path_lines": {"x.pth": "evil_pth_mod\nimport os; os.system('true')\n"},
    "platlib_pth": {"evil_pth-1.0.data/platlib/x.pth": "import os\n"},
    "data_site_pth": {"evil_pth-1.0.data/data/lib/python3.12/site-packages/x.pth": "import os\n"},
    "folded_name": {"evil_pth_mod/../x.pth": "import os\n"},
    "path_line_absolute": {"x.pth": "/tmp/elsewhere\n"},
    "path_line_up": {"x.pth": "../../elsewhere\n"},
    "customize_in_path_line_folder": {"x.pth": "sub\n", "sub/sitecustomize.py": ""},
    "usercustomize_package": {"usercustomize/__init__.py": ""},
    "sitecustomize_extension": {"sitecustomize.cpython-312-x86_64-linux-gnu.so": ""},
    # a known installer line is harmless only with the module it imports not the wheel's own
    "benign_line_own_module": {
        "distutils-precedence.pth": "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = "
        "os.environ.get(var, 'local') == 'local'; enabled and "
        "__import__('_distutils_hack').add_shim(); \n",
        "_distutils_hack/__init__.py": "",
    },
    "virtualenv_module": {"_virtualenv.py": ""},
    "script_python": {"evil_pth-1.0.data/scripts/python3": "#!/bin/sh\n"},
    "script_pip": {"evil_pth-1.0.data/scripts/pip": "#!/bin/sh\n"},
    "data_bin_bash": {"evil_pth-1.0.data/data/bin/bash": "#!/bin/sh\n"},
    "data_pyvenv_cfg": {"evil_pth-1.0.data/data/pyvenv.cfg": "home = /tmp\n"},
    "data_stdlib": {"evil_pth-1.0.data/data/lib/python3.12/encodings/__init__.py": ""},
    "warden_package": {"jupyterlab_warden/__init__.py": ""},
    "outside": {"evil_pth-1.0.data/purelib/../../x.pth": ""},
    "large_pth": {"x.pth": "#" * (1 << 20)},
}

FINE = {
    "module_only": {},
    "path_lines": {"x.pth": "# comment\n\nevil_pth_extra\n./evil_pth_more\n"},
    "known_line_without_its_module": {"x.pth": "import _virtualenv\n"},
    # setuptools' namespace-package line makes a module object, runs none of the package
    "namespace_package_line": {
        "evil_pth-1.0-nspkg.pth": "import sys, types, os;has_mfs = sys.version_info > (3, 5);"
        "p = os.path.join(sys._getframe(1).f_locals['sitedir'], *('evilns',));importlib = "
        "has_mfs and __import__('importlib.util');has_mfs and __import__('importlib.machinery');"
        "m = has_mfs and sys.modules.setdefault('evilns', importlib.util.module_from_spec("
        "importlib.machinery.PathFinder.find_spec('evilns', [os.path.dirname(p)])));"
        "m = m or sys.modules.setdefault('evilns', types.ModuleType('evilns'));"
        "mp = (m or []) and m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)\n",
        "evilns/sub/__init__.py": "",
    },
    "nested_pth": {"evil_pth_mod/inner.pth": "import os\n"},
    "script_tool": {"evil_pth-1.0.data/scripts/evil-tool": "#!/bin/sh\n"},
    "data_model_weights": {"evil_pth-1.0.data/data/share/evil/model.pth": "import os\n"},
    "data_share": {"evil_pth-1.0.data/data/share/jupyter/labextensions/x/package.json": "{}"},
}


def _problems(tmp_path, extra) -> list:
    wheel = build_wheel(tmp_path, "evil-pth", extra=extra)
    request = InstallRequest("pip", "pip install")
    local_wheels.add(request, str(wheel))
    return request.problems


@pytest.mark.parametrize("case", sorted(EVIL))
def test_a_wheels_start_up_code_is_refused(tmp_path, case):
    problems = _problems(tmp_path, EVIL[case])
    assert problems, case
    assert "before Warden's guard" in problems[0] and "index the policy allows" in problems[0]


@pytest.mark.parametrize("case", sorted(FINE))
def test_a_wheel_without_start_up_code_is_not_refused(tmp_path, case):
    assert _problems(tmp_path, FINE[case]) == []


def test_setuptools_wheel_the_kernel_runs_is_not_refused(tmp_path):
    """An offline build's find-links folder carries setuptools: its ``_distutils_hack`` and
    ``distutils-precedence.pth`` are what the kernel already runs (its ensurepip wheel), so
    the wheel is no new start-up code; the same wheel with that module changed is."""
    bundled = Path(sysconfig.get_paths()["stdlib"]) / "ensurepip" / "_bundled"
    found = sorted(bundled.glob("setuptools-*.whl"))
    assert found, f"ensurepip bundles setuptools with Python 3.11/3.12: none in {bundled}"
    request = InstallRequest("pip", "pip install")
    local_wheels.add(request, str(found[0]))
    assert request.problems == []
    changed = tmp_path / found[0].name
    with zipfile.ZipFile(found[0]) as source, zipfile.ZipFile(changed, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "_distutils_hack/__init__.py":
                data += b"\nimport os\n"
            out.writestr(info, data)
    local_wheels.add(request, str(changed))
    assert len(request.problems) == 1 and "_distutils_hack/__init__.py" in request.problems[0]


def _local_source_problems(tmp_path, url: str) -> list:
    request = InstallRequest("pip", "pip install")
    request.sources.append(Source(url, "find-links", "command line"))
    sources.read_local_pages(request, str(tmp_path))
    return request.problems


def test_a_find_links_folders_wheels_are_read(tmp_path):
    folder = tmp_path / "wheels"
    folder.mkdir()
    build_wheel(folder, "good-pth")
    assert _local_source_problems(tmp_path, "./wheels") == []
    build_wheel(folder, "evil-pth", extra=EVIL["top_pth"])
    problems = _local_source_problems(tmp_path, "./wheels")
    assert len(problems) == 1 and WHEEL in problems[0] and "x.pth" in problems[0], problems
    file_url = _local_source_problems(tmp_path, folder.as_uri())
    assert file_url and WHEEL in file_url[0], file_url
    named = _local_source_problems(tmp_path, f"./wheels/{WHEEL}")  # `-f ./x.whl`
    assert named and WHEEL in named[0], named


def test_a_local_pages_link_to_a_local_wheel_is_read(tmp_path):
    store, page = tmp_path / "store", tmp_path / "simple" / "evil-pth"
    store.mkdir()
    page.mkdir(parents=True)
    wheel = build_wheel(store, "evil-pth", extra=EVIL["top_pth"])
    (page / "index.html").write_text(f'<a href="../../store/{wheel.name}#sha256=0">w</a>')
    problems = _local_source_problems(tmp_path, str(tmp_path / "simple"))
    assert problems and WHEEL in problems[0], problems
    (page / "index.html").write_text(f'<a href="{wheel.as_uri()}">w</a>')
    problems = _local_source_problems(tmp_path, str(tmp_path / "simple"))
    assert problems and WHEEL in problems[0], problems


def test_the_module_names_the_interpreter_check_uses_are_pythons():
    """A script for bin is refused by ``fastpath.is_installer_name``: Pythons among them."""
    from jupyterlab_warden.kernel.guard.installs.fastpath import is_installer_name

    assert is_installer_name(os.path.basename(sys.executable))

"""A lab started with a relative folder on its PYTHONPATH (`PYTHONPATH=. jupyter lab`, `lib`):
the kernel is launched in the form its children get (``launch_env.kernel_pythonpath``), so it
hands every start its environment as it is, and the folder still works, in the kernel and in
the Pythons it starts."""

import hashlib
import json
import os
import shutil

from install_env import REPO
from launched import CELL, run_python

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR, kernel_env, kernel_pythonpath
from jupyterlab_warden.kernel.environ import DEFERRED_PYTHONPATH_ENV


def test_absolute_folders_are_launched_as_they_are():
    assert kernel_pythonpath("/opt/a:/opt/b") == {
        "PYTHONPATH": os.pathsep.join([SITE_DIR, "/opt/a", "/opt/b"])
    }
    assert kernel_pythonpath("") == {"PYTHONPATH": SITE_DIR}


def test_a_relative_folder_is_deferred_and_absolute_ones_stay():
    launched = kernel_pythonpath(os.pathsep.join(["lib", "/opt/a", ".", SITE_DIR]))
    assert launched == {
        "PYTHONPATH": os.pathsep.join([SITE_DIR, "/opt/a"]),
        DEFERRED_PYTHONPATH_ENV: os.pathsep.join([SITE_DIR, "lib", "/opt/a", "."]),
    }


# the kernel's own view, and a Python it starts (inherited environment, its guard's boot),
# written to result.json in the kernel's folder
RELATIVE_CELL = r"""
import json, os, subprocess, sys
import mymod
child = subprocess.run(
    [sys.executable, "-c", "import json, os, sys, mymod; print(json.dumps([mymod.__file__, "
     "os.environ['PYTHONPATH'], os.environ.get('WARDEN_DEFERRED_PYTHONPATH')]))"],
    capture_output=True, text=True,
)
assert child.returncode == 0, child.stderr
with open("result.json", "w") as out:
    json.dump({
        "kernel_module": mymod.__file__,
        "kernel_pythonpath": os.environ["PYTHONPATH"],
        "kernel_path": sys.path,
        "child": json.loads(child.stdout),
    }, out)
"""


def test_the_kernel_hands_on_its_environment_and_the_folder_works(kernel):
    lib = kernel.work / "lib"
    lib.mkdir()
    (lib / "mymod.py").write_text("VALUE = 1\n")
    # the lab's own PYTHONPATH: the harness's folder (absolute), then `lib`, relative
    lab = dict(kernel.env(launched=False), PYTHONPATH=os.pathsep.join([str(REPO), "lib"]))
    env = kernel_env(
        lab, kernel_id="k", policy_file=str(kernel.policy), spool_dir=str(kernel.spool),
        status_dir=str(kernel.tmp),
        policy_digest=hashlib.sha256(kernel.policy.read_bytes()).hexdigest(),
    )  # fmt: skip
    result = run_python(CELL, [RELATIVE_CELL], env, cwd=kernel.work, keep_stderr=True)
    assert result["refused"] is None, result
    done = json.loads((kernel.work / "result.json").read_text())
    module = str(lib / "mymod.py")
    assert done["kernel_module"] == module
    assert done["kernel_path"].count(str(lib)) == 1
    child_module, child_pythonpath, child_deferred = done["child"]
    assert child_module == module  # the deferred folder is back in the child, after its guard
    # the kernel hands on its own environment: the child's guard first, the relative folder
    # kept off its start, and no rewrite at the start (the child's PYTHONPATH is the kernel's)
    assert child_pythonpath == done["kernel_pythonpath"] == os.pathsep.join([SITE_DIR, str(REPO)])
    assert child_deferred == os.pathsep.join([SITE_DIR, str(REPO), "lib"])


def test_a_folder_holding_a_start_up_module_is_deferred(tmp_path):
    """Red team 56a R56a-3, the kernel's own (re)start: a folder the lab's PYTHONPATH names
    where a cell of the last run wrote ``encodings`` (Python imports it at init, before the
    guard) is launched deferred, put back after the guard; an ordinary project folder (a
    package of its own, a namespace folder named ``encodings``) stays as it is."""
    src, plain = tmp_path / "src", tmp_path / "plain"
    (plain / "mypkg").mkdir(parents=True)
    (plain / "mypkg" / "__init__.py").write_text("")
    (plain / "encodings").mkdir()  # no __init__: a namespace folder, the library's wins
    (plain / "__pycache__").mkdir()
    (plain / "__pycache__" / "encodings.cpython-311.pyc").write_bytes(b"")  # no source
    both = os.pathsep.join([str(plain), str(src)])
    src.mkdir()
    assert kernel_pythonpath(both) == {"PYTHONPATH": os.pathsep.join([SITE_DIR, both])}
    for made in ("encodings/__init__.py", "encodings.py", "os.cpython-311-x86_64-linux-gnu.so",
                 "codecs.pyc", "site/__init__.py"):  # fmt: skip
        shutil.rmtree(src)
        (src / made).parent.mkdir(parents=True, exist_ok=True)
        (src / made).write_text("")
        assert kernel_pythonpath(both) == {
            "PYTHONPATH": os.pathsep.join([SITE_DIR, str(plain)]),
            DEFERRED_PYTHONPATH_ENV: os.pathsep.join([SITE_DIR, both]),
        }, made

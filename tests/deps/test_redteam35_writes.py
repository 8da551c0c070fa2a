"""Red team 35: a guarded Python (``python w.py && python -c pass``) writes a start-up file the
guard's write rule (``installs.start_writes``) did not read as one.

- R35-2: ``os.open(name, flags, dir_fd=fd)`` names a file in the descriptor's folder, but the
  ``open`` event carries no ``dir_fd``: Warden's own package was judged by the folder the
  name has from the working folder. w.py writes ``boot/__pycache__/site_boot.cpython-311.pyc``
  (an unchecked hash-based pyc: its source is never compared) through a descriptor of that
  folder; every later guarded Python's sitecustomize loads ``site_boot.py`` by location
  (``SourceFileLoader``: the pyc is run) and runs the payload before its audit hook exists.
  A relative write is now judged in every folder the process holds open too
  (``StartWrites._check_held``).
- R35-4: ``io.FileIO(pathlib.Path(site) / 'zz.pth', 'w')`` audits ``open`` with the path
  object, which the rule took for a descriptor (``StartWrites._written_path``).

Each proof: without Warden the payload installs warden-demo-pkg from the test index; with
Warden w.py's guard refuses the write (the cell is not refused).
"""

import importlib.util
import os
import shutil

from lane_copies import copy_tree_cell
from test_redteam32_places import _site_cell

import jupyterlab_warden.kernel.boot.launch_env as launch_env


def _writer_cell(writer: str, then: str = "-c pass") -> str:
    """The site cell: the cell writes w.py (``writer``) and runs `py w.py; py THEN`."""
    start = (
        f"open('w.py', 'w').write({writer!r})\n    os.system(py + ' w.py; ' + py + ' ' + {then!r})"
    )
    return _site_cell(start)


# R35-2 -------------------------------------------------------------------------------------

BOOT = os.path.dirname(launch_env.SITE_DIR)  # Warden's boot folder: site_boot.py
CACHE = os.path.join(BOOT, "__pycache__")
PYC = importlib.util.cache_from_source(os.path.join(BOOT, "site_boot.py"))

# the payload runs once per process tree (uv's own Python queries boot Warden too)
PAYLOAD = (
    "import os as _o\n"
    "if not _o.environ.get('RT35_RAN'):\n"
    "    _o.environ['RT35_RAN'] = '1'\n"
    "    exec(open(%r).read())\n"
)
BYTECODE_WRITER = (
    "import importlib.util, marshal, os\n"
    "boot = BOOT\n"
    "pyc = importlib.util.cache_from_source(boot + '/site_boot.py')\n"
    "os.makedirs(boot + '/__pycache__', exist_ok=True)\n"
    "src = PAYLOAD % os.path.abspath('p.pth') + open(boot + '/site_boot.py').read()\n"
    "code = compile(src, boot + '/site_boot.py', 'exec')\n"
    "# an unchecked hash-based pyc: its source is never compared\n"
    "data = importlib.util.MAGIC_NUMBER + (1).to_bytes(4, 'little') + bytes(8)\n"
    "d = os.open(boot + '/__pycache__', os.O_RDONLY)\n"
    "fd = os.open(os.path.basename(pyc), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=d)\n"
    "os.write(fd, data + marshal.dumps(code))\n"
)
# without Warden nothing boots site_boot: the line's Python loads it as the boot's
# sitecustomize does (by location), so the same bytes prove themselves; with Warden, every
# guarded Python's boot loads it (and this load does too)
LOAD_AS_THE_BOOT = (
    "-c \"import importlib.util as u; s = u.spec_from_file_location('b', BOOT_FILE); "
    's.loader.exec_module(u.module_from_spec(s))"'
)


def _bytecode_writer(boot: str = BOOT) -> str:
    return BYTECODE_WRITER.replace("BOOT", repr(boot), 1).replace("PAYLOAD", repr(PAYLOAD), 1)


def _boot_bytecode_cell() -> str:
    """The attack on Warden's installed boot folder with Warden; without it (no guard in the
    kernel) on a copy of the folder, so the plain run never puts the payload's bytecode where
    every guarded Python of the other pytest lane boots from (CI of 2026-12-06: a Python of the
    other lane ran the payload, which installed into this test's target during its guarded
    run). The copy skips what the other lane's tests make and remove there meanwhile
    (``lane_copies``)."""
    start = (
        "import shutil as _sh, tempfile as _tf\n"
        f"    _boot = {BOOT!r}\n"
        "    if not any(n.startswith('jupyterlab_warden.kernel.guard') for n in sys.modules):\n"
        "        _boot = _tf.mkdtemp() + '/boot'\n"
        + copy_tree_cell(repr(BOOT), "_boot", " " * 8)
        + f"    _writer = {BYTECODE_WRITER!r}.replace('PAYLOAD', {repr(PAYLOAD)!r}, 1)\n"
        "    open('w.py', 'w').write(_writer.replace('BOOT', repr(_boot), 1))\n"
        f"    _line = {LOAD_AS_THE_BOOT!r}.replace('BOOT_FILE', repr(_boot + '/site_boot.py'))\n"
        "    os.system(py + ' w.py; ' + py + ' ' + _line)"
    )
    return _site_cell(start)


# the cell takes the bytecode away after its line (the run without Warden wrote it: the run
# with Warden after it would boot from it)
REMOVE_PYC = f"    os.path.exists({PYC!r}) and os.remove({PYC!r})\n"


def _remove_pyc(made_cache: bool) -> None:
    if os.path.exists(PYC):
        os.remove(PYC)
    if made_cache and os.path.isdir(CACHE) and not os.listdir(CACHE):
        shutil.rmtree(CACHE)


def test_warden_s_boot_bytecode_written_through_a_folder_descriptor(own_kernel):
    made_cache = not os.path.isdir(CACHE)
    # as in any installed package once imported (a guarded Python's `mkdir` of it is refused
    # quietly, as the import system's is: that would stop the write before the rule under test)
    os.makedirs(CACHE, exist_ok=True)
    _remove_pyc(False)
    try:
        code = _boot_bytecode_cell() + REMOVE_PYC
        blocked = own_kernel.child_refuses(code)
    finally:
        _remove_pyc(made_cache)
    assert any("site_boot" in e["message"] for e in blocked), blocked


def test_warden_s_boot_bytecode_runs_in_the_next_guarded_python(own_kernel):
    """The same write, then only `python -c pass`: its own boot would run the payload."""
    made_cache = not os.path.isdir(CACHE)
    _remove_pyc(False)
    try:
        own_kernel.reset()
        result = own_kernel.cell(_writer_cell(_bytecode_writer()), launched=True)
    finally:
        _remove_pyc(made_cache)
    assert not own_kernel.installed() and own_kernel.index.requests == [], result


# R35-4 -------------------------------------------------------------------------------------

# io.FileIO raises its `open` event with the path object it was given (a pathlib.Path), not
# the text
FILEIO_PATH = (
    "import io, pathlib, sysconfig\n"
    "site = pathlib.Path(sysconfig.get_paths()['purelib'])\n"
    "io.FileIO(site / 'zz.pth', 'w').write(open('p.pth', 'rb').read())\n"
)


def test_fileio_with_a_path_object_writes_a_pth(own_kernel):
    blocked = own_kernel.child_refuses(_writer_cell(FILEIO_PATH))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


# no false refusal --------------------------------------------------------------------------

# relative writes with folders held open (the working folder, a temporary folder), through
# a descriptor, and path objects opened for writing, of ordinary files
ORDINARY = (
    "import io, os, pathlib, tempfile\n"
    "here = os.open('.', os.O_RDONLY)\n"
    "tmp = tempfile.mkdtemp()\n"
    "held = os.open(tmp, os.O_RDONLY)\n"
    "open('r35_out.csv', 'w').write('1')\n"
    "os.close(os.open('r35_fd.csv', os.O_WRONLY | os.O_CREAT, dir_fd=here))\n"
    "os.close(os.open('r35_tmp.csv', os.O_WRONLY | os.O_CREAT, dir_fd=held))\n"
    "io.FileIO(pathlib.Path('r35_path.bin'), 'w').write(b'1')\n"
    "open(pathlib.Path('r35_open.txt'), 'w').write('x')\n"
    "with os.scandir('.') as entries:\n"
    "    next(entries)\n"
    "    open('r35_scan.txt', 'w').write('x')\n"
)
WRITTEN = ("r35_out.csv", "r35_fd.csv", "r35_path.bin", "r35_open.txt", "r35_scan.txt")


def test_ordinary_writes_with_folders_held_and_path_objects(own_kernel):
    for name in WRITTEN:
        (own_kernel.work / name).unlink(missing_ok=True)
    code = (
        (
            "import os, sys\n"
            f"open('w.py', 'w').write({ORDINARY!r})\n"
            "os.system(sys.executable + ' w.py')\n"
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    result = own_kernel.cell(code, launched=True)
    assert "Jupyter Warden refused" not in result["stderr"], result
    assert all((own_kernel.work / name).exists() for name in WRITTEN), result

"""Red team 43b R43b-3 (LOW as filed: inside the declared-open class "modules loaded before the
seal stay the process's objects (os, posixpath...: their attributes rebound reach the
reading)", docs/threat-model.md, red team 39; filed because its reach is the whole advisory
list for the kernel's life and the fix is small): which data files the kernel's guard reads
is the cell's to choose.

``names.data_path`` (the shipped ``kernel/deps`` folder: the OSV snapshot, the popular-name
ranking and, since fix47names, ``imitation-rules.json``) is computed at the FIRST install the
kernel decides (``gate.InstallGate.data``, lazily) from ``os.path.abspath(__file__)``, with
the process's live ``os.path``. A cell that runs before any install rebinds
``os.path.abspath`` so that the guard's ``names.py`` seems to live in a folder of its own,
plants copies of the three files there with an EMPTY advisory list (and its own name in the
ranking), and from then on every shipped malicious record is gone for the kernel's life:
``uv pip install azureml-contrib-daskonbatch`` (MAL-2023-8563 in the shipped snapshot, refused
in a fresh kernel) installs. uv is no Python, so no guarded child decides it again.

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import sys

from listed_release import demo_index, write_policy

BAD = "azureml-contrib-daskonbatch"  # MAL-2023-8563, whole project, in the shipped snapshot


index = demo_index("index43b3", versions=("1.0",), name=BAD)


UV = (
    "import subprocess\n"
    "subprocess.run(['{uv}', 'pip', 'install', '-q', '--no-config', '--no-cache', '--no-deps',"
    f" '--python', {sys.executable!r}, '--target', '{{target}}', '--index-url', '{{index}}',"
    f" {BAD!r}], check=True)\n"
)

# the cell's first lines: a data folder of its own, and os.path.abspath pointing the guard's
# names.py into it
PLANT = r"""
import json, os, shutil, jupyterlab_warden
real = os.path.join(os.path.dirname(jupyterlab_warden.__file__), 'kernel', 'deps')
fake = os.path.abspath('fake/kernel')
os.makedirs(fake + '/deps', exist_ok=True)
os.makedirs(fake + '/guard/installs', exist_ok=True)
shutil.copy(real + '/imitation-rules.json', fake + '/deps/')
shutil.copy(real + '/top-packages.txt', fake + '/deps/')
snap = json.load(open(real + '/osv-snapshot.json'))
snap['advisories'] = []
json.dump(snap, open(fake + '/deps/osv-snapshot.json', 'w'))
_abspath = os.path.abspath
def abspath(p, _a=_abspath, _f=fake):
    if str(p).endswith(('/guard/installs/names.py', '/guard/installs/names.pyc')):
        return _f + '/guard/installs/names.py'
    return _a(p)
os.path.abspath = abspath
"""


def _installed(kernel) -> bool:
    return bool(list(kernel.target.glob("azureml_contrib_daskonbatch*")))


def test_r43b_3_control_the_shipped_malicious_name_is_refused(kernel):
    write_policy(kernel)
    kernel.reset()
    result = kernel.cell(UV, launched=True)
    assert result["refused"] and "MAL-2023-8563" in result["refused"], result
    assert not _installed(kernel)


def test_r43b_3_a_rebound_abspath_swaps_the_data_folder(kernel):
    write_policy(kernel)
    code = PLANT + UV
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and _installed(kernel), plain  # the install itself works
    kernel.reset()
    result = kernel.cell(code, launched=True)
    assert not _installed(kernel), result  # FAILS today: the malicious project installs
    assert result["refused"] and "MAL-2023-8563" in result["refused"], result

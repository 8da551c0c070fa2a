"""Red team 34 R34-1: a guarded child Python (w.py on the kernel's line, ``python w.py; python -c
pass``) starts a writer that copies a .pth into the kernel's site folder; the next Python on
the line runs it before its guard (payload: an install from the refused index).
``gate.InstallGate._child_writes`` read only the starts whose program is on ``line_writers``'
table, so a writer behind a launcher (``env``, ``nice``, ``timeout``, ``stdbuf``, ``setsid``,
``flock``, ``find -exec``), ``rsync``, or cp linked under another name was never read; and
``xargs cp p.pth`` (the destination on stdin) was read as writing nothing known. Now any start
whose words hold a path or a writer's name, or that runs in a site folder or library, is read
(``gate._may_reach_start_places``), and xargs with a writer writes where Warden cannot place.
Each case installs without Warden and installs nothing with it; ``plain_cp``, ``sh_c`` and
``perl`` held before."""

import pytest
from test_redteam32_places import _site_cell

# w.py's body: WRITE is the start of a writer (site: the kernel's site folder)
W = "import os, subprocess, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"


def _cell(write: str) -> str:
    writer = W + write + "\n"
    start = f"open('w.py', 'w').write({writer!r}); os.system(py + ' w.py; ' + py + ' -c pass'); "
    # the kernel removes what w.py left in the site folder (zz.pth itself: _site_cell)
    start += "[os.remove(os.path.join(site, f)) for f in os.listdir(site) if f.startswith('zz')]"
    return _site_cell(start)


CASES = {
    "plain_cp": "subprocess.run(['cp', 'p.pth', site + '/zz.pth'])",
    "env_cp": "subprocess.run(['env', 'cp', 'p.pth', site + '/zz.pth'])",
    "nice_cp": "subprocess.run(['nice', 'cp', 'p.pth', site + '/zz.pth'])",
    "timeout_cp": "subprocess.run(['timeout', '9', 'cp', 'p.pth', site + '/zz.pth'])",
    "renamed_cp": "import tempfile; k = tempfile.mkdtemp() + '/kopy'; os.symlink('/bin/cp', k); "
    "subprocess.run([k, 'p.pth', site + '/zz.pth'])",
    "xargs_cp": "subprocess.run(['xargs', 'cp', 'p.pth'], input=(site + '/zz.pth').encode())",
    "stdbuf_cp": "subprocess.run(['stdbuf', '-o0', 'cp', 'p.pth', site + '/zz.pth'])",
    "flock_cp": "subprocess.run(['flock', '/tmp/rt34-lock', 'cp', 'p.pth', site + '/zz.pth'])",
    "setsid_cp": "subprocess.run(['setsid', '-w', 'cp', 'p.pth', site + '/zz.pth'])",
    "usr_bin_env_install": "subprocess.run(['/usr/bin/env', 'install', '-m644', 'p.pth', "
    "site + '/zz.pth'])",
    "spawnvp_env_cp": "os.spawnvp(os.P_WAIT, 'env', ['env', 'cp', 'p.pth', site + '/zz.pth'])",
    "rsync": "subprocess.run(['rsync', 'p.pth', site + '/zz.pth'])",
    "sh_c": "subprocess.run(['sh', '-c', 'cp p.pth ' + site + '/zz.pth'])",
    "find_exec": "subprocess.run(['find', '.', '-name', 'p.pth', '-exec', 'cp', '{}', "
    "site + '/zz.pth', ';'])",
    "perl": "subprocess.run(['perl', '-MFile::Copy', '-e', 'copy(\"p.pth\", $ARGV[0])', "
    "site + '/zz.pth'])",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_child_writer(own_kernel, case):
    own_kernel.reset()
    code = _cell(CASES[case])
    plain = own_kernel.cell(code, launched=False)
    ran_plain = own_kernel.installed()
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    ran_guarded = own_kernel.installed() or bool(own_kernel.index.requests)
    assert ran_plain, plain
    assert not ran_guarded, guarded


def test_ordinary_child_starts_with_paths_run(kernel):
    """A guarded child's starts that name paths and launchers, writing no start-up name: run."""
    writer = (
        "import os, subprocess\nos.makedirs('out', exist_ok=True)\n"
        "subprocess.run(['env', 'cp', 'data.csv', 'out/data.csv'], check=True)\n"
        "subprocess.run(['xargs', 'echo'], input=b'a b', check=True, capture_output=True)\n"
        "subprocess.run(['find', '.', '-maxdepth', '1', '-name', '*.csv', '-exec', 'cp', '{}', "
        "'out/', ';'], check=True)\n"
        "subprocess.run(['ls', '/tmp'], check=True, capture_output=True)\n"
        "open('ran', 'w').write('1')\n"
    )
    code = (
        f"import os, sys\nopen('data.csv', 'w').write('x')\nopen('w.py', 'w').write({writer!r})\n"
        "assert os.system(sys.executable + ' w.py') == 0\n"
    )
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result
    assert "Jupyter Warden refused" not in result["stderr"], result

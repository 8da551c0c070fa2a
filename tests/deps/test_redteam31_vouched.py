"""Red team 31 R31-2: ``start_files._vouched`` kept its answer by (path, ctime, size). A write
through a shared map whose pages are already dirty changes a file's bytes and not its ctime
(the times are stamped at a page's first write fault), so a venv's ``_distutils_hack`` once
vouched for (the bytes of the kernel's ensurepip wheel) stayed vouched whatever it then held,
and the venv's ``distutils-precedence.pth`` imported it before the guard. The answer is now
kept by the digest of the bytes read.

The cell maps the file and writes one byte a page (each page's fault: ctime now), starts the
venv's Python (Warden vouches for the file), writes the payload through the map (same size,
ctime kept), and starts it again.
"""

# the payload: an install from the test index the policy refuses
INSTALL = (
    "import os; os.system('{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 "
    "--target {target} --index-url {index} warden-demo-pkg')\n"
)
MAPPED = (
    "import os, sys, subprocess, glob, mmap, shutil\n"
    "shutil.rmtree('v', ignore_errors=True)\n"
    "subprocess.run([sys.executable, '-m', 'venv', 'v'], check=True)\n"
    "site = glob.glob('v/lib/python3*/site-packages')[0]\n"
    "src = site + '/_distutils_hack/__init__.py'\n"
    "shutil.rmtree(site + '/_distutils_hack/__pycache__')\n"
    "f = open(src, 'r+b'); m = mmap.mmap(f.fileno(), 0)\n"
    "for i in range(0, len(m), mmap.PAGESIZE):\n    m[i:i + 1] = m[i:i + 1]\n"
    f"payload = ({INSTALL!r} + '#').encode().ljust(len(m), b'#')\n"
)
VOUCHED_START = "subprocess.run(['v/bin/python', '-B', '-c', 'pass'], check=True)\n"
MAP_WRITE = "ctime = os.stat(src).st_ctime_ns\nm[:] = payload\nm.flush()\n"
START = "subprocess.run(['v/bin/python', '-c', 'pass'])\n"


def test_a_vouched_file_rewritten_through_a_map_is_read_again(kernel):
    refused = kernel.proves(MAPPED + VOUCHED_START + MAP_WRITE + START)
    assert "_distutils_hack/__init__.py" in refused and ".pth files import" in refused, refused


def test_the_map_write_keeps_the_ctime(kernel):
    """The premise, on this machine's file system: the rewrite leaves the ctime."""
    code = MAPPED + MAP_WRITE + "assert os.stat(src).st_ctime_ns == ctime\n"
    code += "assert open(src, 'rb').read() == payload\n"
    result = kernel.cell(code, launched=False)
    assert result["refused"] is None and "Error" not in result["stderr"], result


def test_the_vouched_venv_still_runs(kernel):
    marker = kernel.work / "ran"
    code = MAPPED + VOUCHED_START + "subprocess.run(['v/bin/python', '-c', "
    code += '\'open("ran", "w")\'], check=True)\n'
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and marker.exists(), result

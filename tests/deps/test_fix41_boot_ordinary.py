"""Fix round 41 (red team 38a): the guard's decision path reads with the boot's builtins,
import system, file-system encoding and pathlib classes. The ordinary forms still run: a
guarded script with an import hook of its own that changes nothing (a lazy-import or
profiling wrapper), a ``contextvars.py``-like module of its own beside it, ``pathlib`` imported
after the guard, path objects, bytes paths and words, and a ``str`` subclass as a path."""

ORDINARY = (
    "import builtins, io, os, pathlib, subprocess, sys\n"
    "real = builtins.__import__\n"
    "def imp(name, *args, **kwargs):\n"
    "    return real(name, *args, **kwargs)\n"
    "builtins.__import__ = imp\n"
    "class Quiet:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        return None\n"
    "sys.meta_path.insert(0, Quiet())\n"
    "import helpers\n"
    "class Name(str):\n"
    "    pass\n"
    "io.FileIO(pathlib.Path('f41_path.bin'), 'w').write(b'1')\n"
    "open(os.fsencode('f41_bytes.txt'), 'wb').write(b'1')\n"
    "open(Name('f41_sub.txt'), 'w').write('x')\n"
    "assert subprocess.run([b'true']).returncode == 0\n"
    "assert os.system('true') == 0\n"
    "open('f41_done.txt', 'w').write('x')\n"
)
WRITTEN = ("f41_path.bin", "f41_bytes.txt", "f41_sub.txt", "f41_done.txt")


def test_ordinary_hooks_paths_and_bytes_in_a_guarded_script(own_kernel):
    for name in WRITTEN:
        (own_kernel.work / name).unlink(missing_ok=True)
    code = (
        (
            "import os, sys\n"
            "open('helpers.py', 'w').write('VALUE = 1\\n')\n"
            f"open('w.py', 'w').write({ORDINARY!r})\n"
            "os.system(sys.executable + ' w.py')\n"
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    result = own_kernel.cell(code, launched=True)
    assert "Jupyter Warden refused" not in result["stderr"], result
    assert "Traceback" not in result["stderr"], result
    assert all((own_kernel.work / name).exists() for name in WRITTEN), result


def test_bytes_words_and_path_objects_in_the_kernel(own_kernel):
    """The kernel's own starts: bytes words, a pathlib working folder."""
    code = (
        "import pathlib, subprocess\n"
        "assert subprocess.run([b'true'], cwd=pathlib.Path('.')).returncode == 0\n"
        "print('f41-ran')\n"
    )
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result

"""The dynamic loader's variables, which load code into any program started with them (red
team 91).

glibc's loader (ld.so) reads its environment before a dynamically linked program's first
instruction: ``LD_PRELOAD`` loads the shared objects it names into the program (their
constructors run first), ``LD_AUDIT`` loads auditing objects the same way, and
``LD_LIBRARY_PATH`` is searched before the system's folders for every library the program
needs (a cell's ``libc.so.6`` or ``libz.so.1`` in ``.`` is loaded in place of the system's).
glibc's iconv (the ``iconv`` program, any program calling ``iconv_open``) loads conversion
modules from the folders ``GCONV_PATH`` names (their ``gconv-modules`` file names
the objects). So ``LD_PRELOAD=./x.so bash -c 'echo hi'`` ran x.so's constructor (``pip install
...``) in a bash Warden read as running ``echo``: any start, installer or not, ran code Warden
never read, and these variables were not read at all.

Here such a variable a start's environment holds with another value than the kernel was
launched with is refused, whatever the program (``command_values.refused_value``, so every
form reaching it: a line's ``NAME=V cmd``, ``export NAME=V``, ``env NAME=V``,
``os.environ[...] = V``, ``Popen(env=...)``, ``os.execve``). The launch value passes (a CUDA
set-up's ``LD_LIBRARY_PATH`` exported before ``jupyter lab``), and so does an empty value (the
loader and iconv then search only the system's places). Variables that load no code
(``LD_BIND_NOW``, ``LD_DEBUG``...) pass. musl's loader reads the same two library variables.

OpenSSL's are of the same class (red team 94): ``OPENSSL_CONF`` names a configuration file whose
``providers``/``engines`` sections load a shared object into every program whose OpenSSL reads
its configuration at start (``openssl``, curl, Python's ``ssl`` and so pip, node), and
``OPENSSL_MODULES``/``OPENSSL_ENGINES`` name the folders those are loaded from.
"""

from . import inherited_env

# the variables that make ld.so (or glibc's iconv) load a shared object the value chooses
# (``OPENSSL_*``: OpenSSL loads a provider or engine its configuration or folder names)
NAMES = frozenset(
    ("LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH", "GCONV_PATH", "OPENSSL_CONF", "OPENSSL_MODULES",
     "OPENSSL_ENGINES")
)  # fmt: skip


def refusal(name: str, value: str) -> str:
    """Why a start whose environment holds ``name=value`` is refused ('' when it is not)."""
    if name not in NAMES or not value or inherited_env.launch_value(name) == value:
        return ""
    return (
        f"the environment variable {name} ({value[:60]!r}), set by the notebook, makes the "
        "dynamic loader (or glibc's iconv, or OpenSSL) load shared objects of its choosing "
        "into every program started with it, before the program runs, which Warden does not "
        "read: set it before starting "
        f"JupyterLab (or the kernel), whose value passes, or unset it (os.environ.pop('{name}'))"
    )

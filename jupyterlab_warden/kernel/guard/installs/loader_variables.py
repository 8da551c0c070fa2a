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


# the variables naming folders searched for shared objects, and those naming the files
_FOLDERS = frozenset(("LD_LIBRARY_PATH", "GCONV_PATH", "OPENSSL_MODULES", "OPENSSL_ENGINES"))
_MAX_ENTRIES = 4000  # a folder holding more is not walked: refused


def refusal(name: str, value: str) -> str:
    """Why a start whose environment holds ``name=value`` is refused ('' when it is not): a
    value other than the launch value, unless every file it names (every entry of every folder
    it names) is an absolute path that exists and is unchanged since the kernel started (ci113:
    torch.compile's inductor starts its compiler with ``LD_LIBRARY_PATH=.../torch/lib``; an
    ML set-up preloads the machine's jemalloc). A file the cell wrote, a relative or empty
    entry (the working folder), a missing one (a line may make it) are refused."""
    if name not in NAMES or not value or inherited_env.launch_value(name) == value:
        return ""
    if _unchanged(name, value):
        return ""
    return (
        f"the environment variable {name} ({value[:60]!r}), set by the notebook, makes the "
        "dynamic loader (or glibc's iconv, or OpenSSL) load shared objects of its choosing "
        "into every program started with it, before the program runs, which Warden does not "
        "read: set it before starting "
        f"JupyterLab (or the kernel), whose value passes, or unset it (os.environ.pop('{name}'))"
    )


def _unchanged(name: str, value: str) -> bool:
    """Every file ``value`` names, or every entry of every folder it names, exists by an
    absolute path and is unchanged (its own status and, through links, its target's) since the
    kernel started."""
    import os

    from .path_programs import _kernel_started

    since = _kernel_started() - 1
    sep = ":" if name in _FOLDERS or name == "LD_AUDIT" else None
    parts = value.split(":") if sep else value.replace(":", " ").split()
    if not parts:
        return False
    for part in parts:
        if not part or not os.path.isabs(part):
            return False
        try:
            paths = [part]
            if name in _FOLDERS:
                names = os.listdir(part)
                if len(names) > _MAX_ENTRIES:
                    return False
                paths += [os.path.join(part, n) for n in names]
            for path in paths:
                if os.lstat(path).st_ctime >= since or os.stat(path).st_ctime >= since:
                    return False
        except (OSError, ValueError):
            return False
    return True

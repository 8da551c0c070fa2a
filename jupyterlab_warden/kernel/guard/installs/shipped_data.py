"""Where the guard's shipped data is (``kernel/deps``: the OSV snapshot, the popular-name
ranking, the imitation rules; the contract files: mods 70), worked out once as the guard boots
(red team 43b R43b-3).

``names.data_path`` is first asked on the first install, after cells ran: computed then with
the process's ``os.path``, a cell that rebound ``os.path.abspath`` before it pointed the guard
at a folder of its own (an empty advisory list) for the kernel's life. So the folder is fixed
here, at import (``gate`` imports this module with the guard, before any cell), from this
file's place with the boot's ``os.path`` (``frozen_os``).
"""

from ..private_modules import GuardLoadError, changed_guard_file
from .frozen_os import FROZEN_OS

_path = FROZEN_OS.path
_HERE = globals().get("__file__")  # none in a guard bootstrapped from embedded source
_KERNEL = _path.dirname(_path.dirname(_path.dirname(_path.abspath(_HERE)))) if _HERE else None
DEPS_FOLDER = _path.join(_KERNEL, "deps") if _KERNEL else None


def _contracts_folder():
    try:
        from ...contracts import contracts_folder  # absent when embedded by the bootstrap

        return contracts_folder()
    except (ImportError, FileNotFoundError):
        return None  # each contract read then refuses (``contracts._guard_file``)


# the contract files' folder (schema/*.json, a wheel's kernel/contracts), found now, before any
# cell ran (the boot's rule catalog read finds it too: no second look), for the guard's own
# copy of ``contracts``, which reads its tables lazily at the first start that needs one (mods
# 70: ``contracts._FOLDER`` is the process's to rebind)
CONTRACTS_FOLDER = _contracts_folder() if _HERE else None


def _data_reader(folder, join, changed, refused, missing):
    """``data_path``, whose every value is held in its closure (mods 80): this module is in
    ``sys.modules`` (the seal found it), its globals the process's to rebind, so ``data_path``
    reads no global of it (a cell's ``DEPS_FOLDER = its_copy`` or ``GuardLoadError = ...`` does
    not reach the guard; the guard's imports of this module's names read them as at the seal:
    ``private_modules._RECORDS``)."""

    def data_path(filename: str) -> str:
        """A file shipped in ``jupyterlab_warden/kernel/deps/``. A guard bootstrapped from
        embedded source has no such folder: FileNotFoundError (its readers refuse every
        install that needs the file, never read one from the working folder). In a sealed
        guard, a file changed since the kernel started may be the notebook's (a user's own
        installation is writable: a ranking that lists ``torcj``): ``GuardLoadError``, which
        goes through every reader to the gate's refusal (mods 80)."""
        if folder is None:
            raise missing(f"{filename}: this guard was bootstrapped without its data")
        path = join(folder, filename)
        if changed(path):
            raise refused(
                f"{path}, a data file of Warden's guard, changed since the kernel started, so "
                "the guard does not read it; restart the kernel (reinstall Warden if you did "
                "not change it)"
            )
        return path

    return data_path


# one stat of the file (and its links) per read of it, when the guard reads it, never at a start
data_path = _data_reader(
    DEPS_FOLDER, _path.join, changed_guard_file, GuardLoadError, FileNotFoundError
)

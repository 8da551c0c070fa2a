"""The interpreter's ``sys`` values the guard decides with, as they were at the guard's boot
(red team 49a R49a-1, R49a-3; as ``own_python.OWN`` for the installation, red team 28b).

A cell may assign any of ``sys``'s names: ``sys.platform = "win32"`` made ``shutil.which``
(run by the guard's private copy, whose ``sys`` read the live one) look for ``mytool.EXE``
and find no program where the shell ran uv; ``sys.builtin_module_names += ('evil',)`` made a
module the line writes pass as built in. So what the guard decides with is read here, once,
as ``private_modules`` loads at the boot (before any code of the process): Warden's modules
read ``BOOT_SYS``, and the library copies' ``sys`` (``private_modules._SYS``) answers these
names from it. ``sys`` names that are the process's state (``modules``, ``path``, ``argv``,
``stderr``...) are read live, as before.

Imports only built-in modules: every guarded Python loads it at boot.
"""

import sys

# every value of sys's that describes the interpreter and does not change as it runs
NAMES = (
    "platform", "builtin_module_names", "stdlib_module_names", "version_info", "version",
    "hexversion", "api_version", "implementation", "byteorder", "maxsize", "maxunicode",
    "flags", "float_info", "int_info", "hash_info", "thread_info", "abiflags", "executable",
    "_base_executable", "prefix", "base_prefix", "exec_prefix", "base_exec_prefix",
    "platlibdir", "_stdlib_dir", "pycache_prefix", "dont_write_bytecode", "float_repr_style",
    "orig_argv",
)  # fmt: skip

VALUES = {name: getattr(sys, name) for name in NAMES if hasattr(sys, name)}


def _refuse_change(self, name, value=None):
    raise AttributeError(f"{name}: Warden's copy of the boot's sys values is read-only")


BOOT_SYS = object.__new__(
    type(
        "BootSys",
        (),
        {"__slots__": tuple(VALUES), "__setattr__": _refuse_change, "__delattr__": _refuse_change},
    )
)
for _name, _value in VALUES.items():
    object.__setattr__(BOOT_SYS, _name, _value)
del _name, _value

"""Jupyter Warden's launch-time guard: this folder is on the PYTHONPATH of every Python the lab
server starts as a kernel and of every Python those kernels start, so each imports this file
before any user code.

Every Python reads it, whatever its version: Python 2 and 3 before 3.6 cannot even compile
f-strings, and Python 2 reports a sitecustomize that fails to compile and runs on, unguarded
(red team 11 R11-3, R11-14: a Python 2.7 under the name python3.11 or chosen by pyenv). So
this file is written for all of them (plain ASCII, no syntax newer than Python 2.7): it stops
a Python that cannot host the guard (before 3.8, no sys.audit) and boots the guard in the
others from ``../site_boot.py``, loaded by location. Any failure to load it stops the Python
too (fail closed, as the boot itself does).
"""

# Written for every Python (see above): %-formatting and the version test are on purpose.
# ruff: noqa: UP031, UP036

# The exit status of a Python whose guard could not be installed ("command cannot execute",
# as site_boot's and the install gate's).
_EXIT_UNGUARDED = 126


def _warden_site():
    import os
    import sys

    def stop(why):
        sys.stderr.write(
            "Jupyter Warden: the kernel guard could NOT be installed in this Python (%s). "
            "It stops here rather than run unguarded. The guard needs Python 3.8 or later; if "
            "this is one, ask your administrator to repair the Jupyter Warden installation.\n" % why
        )
        sys.stderr.flush()
        os._exit(_EXIT_UNGUARDED)

    if sys.version_info < (3, 8):
        stop("Python %s" % sys.version.split()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(os.path.dirname(here), "site_boot.py")
    try:
        # the import system's own functions (always loaded), not importlib.util's imports
        bootstrap = sys.modules.get("_frozen_importlib")
        external = sys.modules.get("_frozen_importlib_external")
        if bootstrap is None or external is None:  # not CPython's frozen import system
            from importlib import util as bootstrap

            external = bootstrap
        spec = external.spec_from_file_location("_jupyterlab_warden_site_boot", path)
        module = bootstrap.module_from_spec(spec)
        spec.loader.exec_module(module)
        boot = module.boot
    except BaseException as err:  # noqa: BLE001 - a boot that cannot load is no guard
        stop("%s: %s" % (type(err).__name__, err))
    boot(here)


_warden_site()
del _warden_site

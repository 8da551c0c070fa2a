"""Jupyter Warden's launch-time guard, booted by ``site/sitecustomize.py`` (which checks the
Python can host it) before any user code in every Python the lab server starts as a kernel,
and in every Python those kernels start (subprocess, multiprocessing spawn/forkserver,
DataLoader workers), because the site folder is on their inherited PYTHONPATH.

Standard library only, Python >= 3.8. A failure is loud (stderr and the kernel's status file),
never silent, and closed: a Python that cannot install the guard exits before any user code
runs (red team 10 R10-6: it ran on unguarded, and the kernel that started it had read it as
guarded). An existing ``sitecustomize`` further down sys.path is chained, not shadowed.
Importing this module runs nothing: ``boot(site_dir)`` does.
"""

# The exit status of a Python whose guard could not be installed ("command cannot execute",
# as the install gate's EXIT_REFUSED).
_EXIT_UNGUARDED = 126


def boot(here: str) -> None:
    """Installs the guard in this Python (``here``: the site folder on PYTHONPATH)."""
    import os
    import sys
    import time

    # The import system's own modules (always loaded): ``importlib.util`` would import
    # contextlib, collections and functools first, a tenth of the guard's start-up.
    bootstrap = sys.modules.get("_frozen_importlib")
    external = sys.modules.get("_frozen_importlib_external")
    if bootstrap is not None and external is not None:
        module_from_spec = bootstrap.module_from_spec
        PathFinder = external.PathFinder  # noqa: N806 - the class
        spec_from_file_location = external.spec_from_file_location
    else:  # not CPython's frozen import system
        from importlib.machinery import PathFinder
        from importlib.util import module_from_spec, spec_from_file_location

    # environ.KERNEL_STATUS_ENV, read before the package loads: a broken package is reported too
    status_path = os.environ.pop("WARDEN_KERNEL_STATUS", None)  # the kernel only, not children
    started = time.time()
    report = {"pid": os.getpid(), "python": sys.version.split()[0], "since": started}
    # The guard's own imports come from the standard library, never from a PYTHONPATH folder
    # (all of them precede it; R10-6: a later folder's _compat_pickle.py broke the boot): they
    # are off sys.path while the guard boots, back before any user code. Its package is
    # loaded by location below, so it needs none of them. The standard library's own folders
    # stay, on PYTHONPATH too (red team 27b R27b-1: torch starts its children with
    # PYTHONPATH=os.pathsep.join(sys.path), and the guard then found no standard library).
    search_path = list(sys.path)
    pythonpath = {os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)}
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    platlib = getattr(sys, "platlibdir", "lib")  # 3.9+
    lib = os.path.join(sys.base_prefix, platlib)
    pythonpath -= {
        os.path.join(lib, f"python{version.replace('.', '')}.zip"),
        os.path.join(lib, "python" + version),
        os.path.join(sys.base_exec_prefix, platlib, "python" + version, "lib-dynload"),
    }
    sys.path[:] = [p for p in search_path if os.path.abspath(p or ".") not in pythonpath]
    failed = None
    try:
        # The package this folder belongs to, by location: a `jupyterlab_warden` folder in
        # the working directory must not stand in for it.
        root = os.path.dirname(os.path.dirname(os.path.dirname(here)))  # kernel/boot/site
        pkg = sys.modules.get("jupyterlab_warden")
        if pkg is None:
            spec = spec_from_file_location(
                "jupyterlab_warden",
                os.path.join(root, "__init__.py"),
                submodule_search_locations=[root],
            )
            pkg = module_from_spec(spec)
            sys.modules["jupyterlab_warden"] = pkg
            spec.loader.exec_module(pkg)
        from jupyterlab_warden.kernel.boot import mp_children

        loky_pipe = mp_children.loky_parent_pipe()
        mp_child = loky_pipe is None and mp_children.is_multiprocessing_child()
        if loky_pipe is not None or mp_child:
            # Before the guard wraps the unpicklers: these children read their parent's two
            # messages with the original one. Only here: other Pythons never load _pickle.
            mp_children.keep_original_unpickler()
        if status_path and "WARDEN_TREE_MOUNTS" not in os.environ:
            # environ.TREE_MOUNTS_ENV: the kernel's mounts, before any user code, for its
            # whole tree (boot/mounts.py); before the guard is imported (own_python notes it)
            from jupyterlab_warden.kernel.boot.mounts import marks

            os.environ["WARDEN_TREE_MOUNTS"] = marks()
        from jupyterlab_warden.kernel.guard import install_from_env, status

        guard = install_from_env()
        ipc = getattr(guard, "ipc", None)
        trust = ipc.trust if ipc is not None else None
        if loky_pipe is not None:
            mp_children.trust_loky_parent(loky_pipe, trust)
        elif mp_child:
            mp_children.trust_parent_messages(trust)
        if status_path and guard is not None:  # the kernel's own environment (R12-9)
            guard.installs.kernel = True
        if status_path:  # the kernel itself, not its children: its packages (issue 20)
            _record_packages_later(os.environ.get("WARDEN_EVENT_SPOOL"))  # environ.EVENT_SPOOL_ENV
        state = status()
        report.update(
            installed=bool(state.get("installed")),
            mode=state.get("mode"),
            policy_revision=state.get("policy_revision"),
            policy_pinned=state.get("policy_pinned"),
            updates_authenticated=state.get("updates_authenticated"),
            errors=list(state.get("errors") or []),
        )
        if state.get("errors"):
            problems = "; ".join(map(str, state["errors"]))
            sys.stderr.write(f"Jupyter Warden guard: {problems}\n")
    except BaseException as err:  # noqa: BLE001 - any failure must be reported, not raised
        failed = f"{type(err).__name__}: {err}"
        report.update(installed=False, errors=[failed], exited=_EXIT_UNGUARDED)
    finally:
        # environ.DEFERRED_PYTHONPATH_ENV: the folders the start that made this Python asked
        # for, which Warden kept off its PYTHONPATH until now (guard/installs/child_path.py,
        # red team 28a R28a-1), go back to the front, as site would have put them
        deferred = os.environ.get("WARDEN_DEFERRED_PYTHONPATH")
        sys.path[:] = search_path if deferred is None else _in_front(deferred, search_path)
    report["startup_ms"] = round((time.time() - started) * 1000, 2)
    if status_path:
        try:
            tmp = f"{status_path}.tmp{os.getpid()}"
            try:  # not json: its import (re, enum) costs as much as the guard's own start-up
                from jupyterlab_warden.kernel.json_write import dumps
            except Exception:  # noqa: BLE001 - a broken package is reported all the same
                from json import dumps

            text = dumps(report)
            with open(tmp, "w") as fh:
                fh.write(text)
            os.replace(tmp, status_path)
        except Exception as err:  # noqa: BLE001 - a report that cannot be written is said
            sys.stderr.write(f"Jupyter Warden: cannot write kernel status: {err}\n")
    if failed is not None:
        # Fail closed: this Python was started with the lab's launch guard (the kernel, or a
        # Python a kernel started and read as guarded); running on would run its code unchecked.
        sys.stderr.write(
            f"Jupyter Warden: the kernel guard could NOT be installed in this Python ({failed}). "
            "It stops here rather than run unguarded. The guard needs Python 3.8 or later; if "
            "this is one, ask your administrator to repair the Jupyter Warden installation.\n"
        )
        sys.stderr.flush()
        os._exit(_EXIT_UNGUARDED)

    # Chain the sitecustomize this one shadows (a distribution's or an admin's).
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        module = module_from_spec(spec)
        sys.modules["_warden_chained_sitecustomize"] = module
        try:
            spec.loader.exec_module(module)
        except Exception as err:  # as site.py does for a failing sitecustomize
            sys.stderr.write(f"Error in sitecustomize ({spec.origin}): {err}\n")


# The package inventory's first look waits this long (seconds): it reads every installed
# distribution's metadata, work that must not delay the kernel's own start.
_INVENTORY_DELAY = 2.0


def _in_front(deferred: str, search_path: list) -> list:
    """``search_path`` with the folders of the PYTHONPATH ``deferred`` first, in its order,
    each made absolute from this Python's folder as ``site`` makes every entry (so '' is it),
    and not repeated further on."""
    import os

    if not deferred:
        return search_path  # an empty PYTHONPATH names no folder (Python reads it as unset)
    front = list(dict.fromkeys(os.path.abspath(word) for word in deferred.split(os.pathsep)))
    placed = set(front)
    return front + [p for p in search_path if p not in placed]


def _record_packages_later(spool_dir):
    """Start the kernel's package inventory recorder (issue 20) after ``_INVENTORY_DELAY``, on
    a bare thread: ``threading`` and the recorder's imports load then, not at start-up."""
    if not spool_dir:
        return
    import _thread
    import time

    def later():
        time.sleep(_INVENTORY_DELAY)
        try:
            from jupyterlab_warden.kernel.guard.installs import inventory

            inventory.start_recorder(spool_dir)
        except Exception as err:  # noqa: BLE001 - best effort, as the recorder itself
            import sys

            sys.stderr.write(f"Jupyter Warden: package inventory not recorded: {err}\n")

    _thread.start_new_thread(later, ())

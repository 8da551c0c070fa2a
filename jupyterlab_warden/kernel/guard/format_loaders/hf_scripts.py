"""``evaluate.load`` modules and ``datasets`` loading scripts: Python code fetched with the
model or dataset, judged before it is imported.

Both libraries import the fetched script through their own ``import_main_class(module_path)``
(``evaluate.loading``; ``datasets.load`` - datasets 4 and later refuse loading scripts
themselves and import only their packaged builders there), called by module attribute
whichever way the load began. The module's source is found without importing it; a module
the interpreter already has, or one installed in site-packages or the standard library (a
packaged builder), is the environment's own code and passes. A fetched one is parsed with
``ast`` (never run) by the same judge as ``auto_map`` code: imports of ``os``,
``subprocess``, ``socket``, ``importlib``... or calls of ``exec``/``eval`` are refused; its
sha256 can match ``trusted_artifacts``.
"""

import os
import sys

from .judging import judge, live, report_of

RULE_SCRIPT = "hf-script-code"


def _script_wrapper(original, label, state):
    def import_main_class(module_path, *args, **kwargs):
        if not live(state):
            return original(module_path, *args, **kwargs)
        source, error = _fetched_source(module_path)
        if source is None and error is None:
            return original(module_path, *args, **kwargs)
        from ...scan.codeformats.hfremote import judge_module

        if error is not None:  # cannot tell what would be imported: fail closed
            findings, errors, name = [], [error], str(module_path)[:200]
        else:
            name = os.path.basename(source)
            findings, errors = judge_module(source, name)
        report = report_of(source or name, "python-script", findings, errors)
        what = f"importing the {label} module {name}"
        with judge(state, label, source, report, RULE_SCRIPT, what):
            return original(module_path, *args, **kwargs)

    return import_main_class


def _fetched_source(module_path):
    """(source file, None) of a module about to be imported that is not the environment's
    own code; (None, None) for an imported, installed or standard-library module; (None,
    why) when its source cannot be found."""
    import importlib.util

    if not isinstance(module_path, str) or module_path in sys.modules:
        return None, None
    try:
        spec = importlib.util.find_spec(module_path)
    except (ImportError, ValueError, AttributeError) as exc:
        return None, f"module {module_path[:200]} not found: {type(exc).__name__}"
    origin = getattr(spec, "origin", None)
    if not isinstance(origin, str) or not os.path.isfile(origin):
        return None, f"module {module_path[:200]} has no source file"
    real = os.path.realpath(origin)
    if any(real.startswith(root + os.sep) for root in _installed_roots()):
        return None, None
    return real, None


def _installed_roots():
    import site
    import sysconfig

    roots = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(os.path.realpath(path))
    for path in getattr(site, "getsitepackages", lambda: [])():
        roots.add(os.path.realpath(path))
    return roots


MAKERS = {"hf-script": _script_wrapper}

"""transformers ``trust_remote_code``: the Python modules a model's ``auto_map`` names, judged
before transformers imports (runs) them.

Every way transformers runs such code - ``AutoModel``/``AutoConfig``/``AutoTokenizer``...
``from_pretrained(..., trust_remote_code=True)``, pipelines, ``get_class_from_dynamic_module``
imported by name - ends in ``dynamic_module_utils.get_class_in_module(class_name,
module_path)``, called by module attribute: it execs the copy of the module in transformers'
modules cache (``HF_MODULES_CACHE``) and the files that copy imports relatively. Those exact
files are judged - the module, what transformers' own ``get_relative_import_files`` finds, and
every other ``.py`` beside it in the cache folder (a ``from . import x`` that transformers'
regex does not see still imports from there):

* listed - every file's sha256 is in ``trusted_artifacts`` or pinned by a
  ``provenance.hub.trust_remote_code`` entry's ``files``: it runs. For a local folder this is
  what "listed" means: reviewed content, wherever it lives (a path rule would trust whatever
  is later written there). A Hub download is also checked when it is fetched, by
  ``provenance.hub.trust_remote_code`` (repository, commit, file hashes) when configured;
* otherwise refused (``hf-remote-code``, block; ``confirm`` lets a user accept it once):
  custom code is the model author's program, and no parse of it proves it harmless (``open``
  writes files), so the ``ast`` judge's findings only go into the event as evidence;
* a file that cannot be found or read: refused (fail closed).
"""

import os

from .. import filesource
from .judging import apply_rule_in, live, report_of

RULE_REMOTE_CODE = "hf-remote-code"
MAX_FILES = 64


def _module_wrapper(original, label, state):
    def get_class_in_module(class_name, module_path, *args, **kwargs):
        if not live(state):
            return original(class_name, module_path, *args, **kwargs)
        files, error = files_to_run(original, module_path)
        ctx = state.open_load(label, files[0] if files else None, unpickles=False)
        if not ctx.trusted and state.enabled:
            _judge(state, ctx, label, module_path, files, error)
        with ctx:
            return original(class_name, module_path, *args, **kwargs)

    return get_class_in_module


def _judge(state, ctx, label, module_path, files, error):
    """Apply the rule unless every file that will run is listed; raises to refuse."""
    from ...scan.codeformats.hfremote import judge_module

    errors = [error] if error else []
    listed = listed_hashes(state)
    unlisted, findings, digests = [], [], []
    for path in files:
        source = filesource.describe(path)
        digest = state.hashes.sha256(source) if source is not None else None
        if digest is None:
            errors.append(f"{os.path.basename(path)}: unreadable")
            continue
        if source.size == 0:
            continue  # an empty file runs nothing (transformers writes empty __init__.py files)
        digests.append(digest)
        if digest not in listed:
            unlisted.append(os.path.basename(path))
            found, errs = judge_module(path, "auto_map")
            findings.extend(found)
            errors.extend(errs)
    if not unlisted and not errors:
        ctx.trusted_name = listed.get(digests[0]) if digests else "empty modules"
        return
    name = os.path.basename(str(module_path))[:200]
    ctx.report = report_of(name, "hf-remote-code", findings, errors)
    evidence = {
        "call": ctx.call,
        "module": name,
        "unlisted": sorted(unlisted)[:10],
        "findings": [f.detail for f in findings][:10],
        "sha256": digests[:10],
    }
    if errors:
        evidence["reason"] = "unreadable"
        why = "Warden cannot read what would run: " + "; ".join(errors[:2])[:300]
    else:
        why = "its code (" + ", ".join(sorted(unlisted)[:3]) + ") is not a listed artifact"
        dangerous = [f.detail for f in findings if f.verdict == "dangerous"]
        if dangerous:
            why += "; " + dangerous[0][:200]
    what = f"running the model's own Python module {name} (trust_remote_code=True)"
    apply_rule_in(state, ctx, RULE_REMOTE_CODE, evidence, what, why)


def listed_hashes(state) -> dict:
    """sha256 -> name of reviewed Python files: ``trusted_artifacts`` and the files the
    policy's ``provenance.hub.trust_remote_code`` entries pin (reviewed content either way)."""
    listed = {}
    try:
        hub = (state.policy.get("provenance") or {}).get("hub") or {}
        for entry in hub.get("trust_remote_code") or ():
            for name, digest in ((entry or {}).get("files") or {}).items():
                if isinstance(digest, str):
                    listed[digest.lower()] = f"{entry.get('repo')}/{name}"
    except (AttributeError, TypeError):
        pass  # not the schema's shape: the lab's validator says so; only trusted_artifacts count
    listed.update(state.trusted)
    return listed


def files_to_run(get_class_in_module, module_path):
    """([files transformers will exec for module_path], None) or ([...], why) when they cannot
    all be found. Paths come from transformers' own module (its cache root and relative-import
    walk), so the judged files are the ones it runs."""
    import sys

    module = sys.modules.get(getattr(get_class_in_module, "__module__", ""))
    root = getattr(module, "HF_MODULES_CACHE", None)
    relatives = getattr(module, "get_relative_import_files", None)
    if not isinstance(root, (str, os.PathLike)) or not callable(relatives):
        return [], "transformers' modules cache is unknown"
    main = os.path.realpath(os.path.join(os.fspath(root), os.fspath(module_path)))
    if not os.path.isfile(main):
        return [main], f"{os.path.basename(main)} not found in the modules cache"
    files = [main]
    try:
        files += [os.path.realpath(p) for p in relatives(main)]
    except Exception as exc:  # noqa: BLE001 - any failure: cannot tell what runs
        return files, f"relative imports of {os.path.basename(main)}: {type(exc).__name__}"
    folder = os.path.dirname(main)
    try:
        files += [os.path.join(folder, n) for n in sorted(os.listdir(folder)) if n.endswith(".py")]
    except OSError as exc:
        return files, f"modules cache folder unreadable: {type(exc).__name__}"
    unique = list(dict.fromkeys(files))
    if len(unique) > MAX_FILES:
        return unique[:MAX_FILES], f"more than {MAX_FILES} Python files would run"
    return unique, None


MAKERS = {"hf-remote-module": _module_wrapper}

"""skops files (``skops.io.dump``): a zip whose ``schema.json`` names, for every object, its
type (``__module__`` + ``__class__``) and the node that rebuilds it (``__loader__``).

skops refuses types outside its default trust unless the caller lists them in ``trusted=`` -
and the common idiom ``trusted=get_untrusted_types(file=f)`` lists whatever the file names.
What a node does with its type decides the danger: ``ConstructorFromReduceNode`` and the
container nodes CALL it while loading (``posix.system('...')``), function/method/partial/operator
nodes hand it to the model as a callable, ``ObjectNode`` runs its ``__new__`` and sets state.
Each type is judged by the pickle judge for that role; one it refuses is dangerous.
"""

import json
import zipfile
from typing import List, Tuple

from ..report import DANGEROUS, SUSPICIOUS, Finding

MAX_SCHEMA_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 200
# loader -> what it does with the type it names
CALLING_LOADERS = frozenset(
    (
        "ConstructorFromReduceNode",
        "DictNode",
        "DefaultDictNode",
        "ListNode",
        "SetNode",
        "TupleNode",
        "SliceNode",
    )
)
# the type is handed to the model as a callable (FunctionTransformer(func=...)): a pure numeric
# function of curated.PURE_CALLABLES (numpy.log1p) is math; anything else is judged as a call
# (torch.save with kw_args={"f": path} writes any file at transform time)
CALLABLE_LOADERS = frozenset(
    ("FunctionNode", "MethodNode", "PartialNode", "OperatorFuncNode", "TypeNode")
)
_NAME_REFUSALS = frozenset(
    ("invalid-name", "dunder", "module-path", "guard-internal", "policy-deny")
)
OBJECT_LOADERS = frozenset(("ObjectNode",))


def is_skops_zip(names: List[str]) -> bool:
    return "schema.json" in names


def scan_skops_zip(zf: zipfile.ZipFile) -> Tuple[List[Finding], List[str]]:
    info = zf.getinfo("schema.json")
    if info.file_size > MAX_SCHEMA_BYTES:
        return [], [f"schema.json larger than {MAX_SCHEMA_BYTES} bytes"]
    try:
        schema = json.loads(zf.read(info).decode("utf-8"))
    except (ValueError, OSError, zipfile.BadZipFile, RuntimeError) as exc:
        return [], [f"schema.json unreadable: {str(exc)[:200]}"]
    types, errors = node_types(schema)
    return [f for f in (judge_type(*t) for t in sorted(types)) if f is not None], errors


def node_types(schema) -> Tuple[set, List[str]]:
    """{(module, class, loader)} of every node in a skops schema."""
    found, errors, stack = set(), [], [(schema, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            errors.append("skops schema nested deeper than the scan limit")
            break
        if isinstance(value, dict):
            loader = value.get("__loader__")
            if isinstance(loader, str):
                module, cls = value.get("__module__"), value.get("__class__")
                if not isinstance(module, str) or not isinstance(cls, str):
                    errors.append(f"a {loader[:60]} node without a type name")
                else:
                    found.add((module, cls, loader))
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return found, errors


def roles_of(loader: str):
    """Pickle-judge roles for what ``loader`` does with its type (None: builds known data)."""
    from ..curated import BUILD, CALL, NEW

    if loader in CALLING_LOADERS or loader in CALLABLE_LOADERS:
        return CALL
    if loader in OBJECT_LOADERS:
        return NEW | BUILD
    return None


def judge_type(module: str, cls: str, loader: str):
    from .. import curated
    from ..judge import NEEDS_RESOLUTION, judge_name

    roles = roles_of(loader)
    if roles is None:
        return None
    decision = judge_name(module, cls, roles)
    if (
        loader in CALLABLE_LOADERS
        and f"{module}.{cls}" in curated.PURE_CALLABLES
        and decision.reason not in _NAME_REFUSALS
    ):
        return None
    if decision.allowed and decision.reason not in NEEDS_RESOLUTION:
        return None
    where = f"schema.json:{module}.{cls}"[:300]
    if decision.allowed or decision.reason in NEEDS_RESOLUTION:
        return Finding("skops-type", where, SUSPICIOUS, f"{loader}: {decision.reason}")
    return Finding("skops-type", where, DANGEROUS, f"{loader}: {decision.reason}")

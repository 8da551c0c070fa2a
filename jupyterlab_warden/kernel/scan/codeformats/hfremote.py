"""Hugging Face model folders: ``config.json`` ``auto_map`` names Python modules that
``from_pretrained(..., trust_remote_code=True)`` imports (runs) from the folder or from
another repository (``repo--module.Class``).

Such code is the model author's to run, so a folder with ``auto_map`` is at least
suspicious. The modules found beside the config are parsed (``ast``, never imported):
imports of process, network, native-code or code-loading modules and calls of
``exec``/``eval``/``compile``/``__import__`` make it dangerous.
"""

import ast
import json
import os
from typing import List, Tuple

from ..report import DANGEROUS, SUSPICIOUS, Finding

MAX_SOURCE_BYTES = 8 * 1024 * 1024
_REACHING_MODULES = frozenset(
    ("os", "subprocess", "socket", "ctypes", "shutil", "pty", "urllib", "http", "requests",
     "httpx", "importlib", "marshal", "pickle", "runpy", "multiprocessing", "sys", "builtins")
)  # fmt: skip
_REACHING_CALLS = frozenset(("exec", "eval", "compile", "__import__", "getattr"))


def scan_config(path: str, text: str) -> Tuple[List[Finding], List[str]]:
    try:
        config = json.loads(text)
    except ValueError as exc:
        return [], [f"config.json unreadable: {exc}"]
    auto_map = config.get("auto_map") if isinstance(config, dict) else None
    if not isinstance(auto_map, dict):
        return [], []
    folder = os.path.dirname(os.path.abspath(path))
    findings: List[Finding] = []
    errors: List[str] = []
    modules = set()
    for auto_class, ref in auto_map.items():
        for one in ref if isinstance(ref, list) else [ref]:
            if not isinstance(one, str) or not one:
                continue
            repo, _, target = one.rpartition("--")
            module = target.rpartition(".")[0]
            if repo:
                findings.append(
                    Finding("hf-remote-code", f"auto_map.{auto_class}", SUSPICIOUS,
                            f"code from another repository: {one[:200]}")
                )  # fmt: skip
            elif module:
                modules.add(module)
    for module in sorted(modules):
        source = os.path.join(folder, *module.split(".")) + ".py"
        found, errs = judge_module(source, f"auto_map:{module}")
        findings.extend(found)
        errors.extend(errs)
    return findings, errors


def judge_module(source: str, where: str) -> Tuple[List[Finding], List[str]]:
    name = os.path.basename(source)
    try:
        with open(source, "rb") as fh:
            raw = fh.read(MAX_SOURCE_BYTES + 1)
    except OSError:
        detail = f"{name}: runs with trust_remote_code=True (not in this folder)"
        return [Finding("hf-remote-code", where, SUSPICIOUS, detail)], []
    if len(raw) > MAX_SOURCE_BYTES:
        return [Finding("hf-remote-code", where, SUSPICIOUS, f"{name}: too large to judge")], []
    try:
        tree = ast.parse(raw, filename=name)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return [], [f"{name}: cannot parse: {type(exc).__name__}"]
    reaching = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            reaching.update(a.name for a in node.names if a.name.split(".")[0] in _REACHING_MODULES)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in _REACHING_MODULES:
                reaching.add(node.module)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in _REACHING_CALLS:
                reaching.add(f"{node.func.id}()")
    if reaching:
        detail = f"{name}: runs with trust_remote_code=True and uses " + ", ".join(
            sorted(reaching)[:8]
        )
        return [Finding("hf-remote-code", where, DANGEROUS, detail)], []
    detail = f"{name}: custom code, runs with trust_remote_code=True"
    return [Finding("hf-remote-code", where, SUSPICIOUS, detail)], []

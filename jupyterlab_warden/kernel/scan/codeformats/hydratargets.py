"""Hydra ``_target_`` names: what ``hydra.utils.instantiate`` imports and calls from a config,
and the NeMo ``.nemo`` archive whose ``model_config.yaml`` NeMo instantiates on restore
(CVE-2025-23304).

A target is allowed only as a class of the model-building families a NeMo/Lightning config
names (``ALLOWED_PREFIXES``, by the dotted name of what it resolves to); anything else -
``os.mknod``, ``builtins.open``, ``shutil.copyfile``, ``torch.save``, all of which current
hydra-core's own blocklist lets through - is outside the allow list.
"""

import io
import re
import tarfile
from typing import List, Optional, Tuple

from ..report import DANGEROUS, SUSPICIOUS, Finding

ALLOWED_PREFIXES = (
    "nemo.collections.",
    "nemo.core.",
    "torch.nn.",
    "torch.optim.",
    "lightning.pytorch.callbacks.",
    "lightning.pytorch.loggers.",
    "pytorch_lightning.callbacks.",
    "pytorch_lightning.loggers.",
    "sklearn.",
    "omegaconf.",
    "collections.OrderedDict",
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
)
NEMO_SUFFIXES = (".nemo",)
CONFIG_NAMES = ("model_config.yaml",)
MAX_CONFIG_BYTES = 64 * 1024 * 1024
_TEXT_TARGET = re.compile(r"""_target_\s*:\s*['"]?([^\s'"#]+)""")


def outside_allow_list(name: str) -> Optional[str]:
    """Why the target ``name`` is refused (None when the allow list admits it)."""
    if not isinstance(name, str) or not name:
        return "not a dotted name"
    if any(part.startswith("__") for part in name.split(".")):
        return "names a dunder"
    if name in ALLOWED_PREFIXES:
        return None
    for prefix in ALLOWED_PREFIXES:
        if prefix.endswith(".") and name.startswith(prefix):
            # the families' modules and layers are classes; a function there (an optimizer
            # helper, an import of os.mknod) is not what a model config needs
            if name.rsplit(".", 1)[-1][:1].isupper():
                return None
            return "a function, not a class, of an allowed family"
    return "outside the _target_ allow list"


def targets_in_yaml(text: str) -> Tuple[List[Tuple[str, int]], List[str]]:
    """[(target, line)] of every ``_target_`` value in a YAML document (composed, never
    constructed); without PyYAML, read from the text (fail closed: every match counts)."""
    try:
        import yaml
    except ImportError:
        return [
            (m.group(1), text.count("\n", 0, m.start()) + 1) for m in _TEXT_TARGET.finditer(text)
        ], []
    out: List[Tuple[str, int]] = []
    try:
        roots = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        found = [(m.group(1), 0) for m in _TEXT_TARGET.finditer(text)]
        return found, [] if found else [f"YAML unreadable: {str(exc)[:200]}"]
    stack = [r for r in roots if r is not None]
    seen = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "_target_":
                    target = value.value if isinstance(value, yaml.ScalarNode) else "<not a name>"
                    out.append((str(target), value.start_mark.line + 1))
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return out, []


def judge_targets(text: str, where: str, verdict: str) -> Tuple[List[Finding], List[str]]:
    targets, errors = targets_in_yaml(text)
    findings = []
    for target, line in targets:
        why = outside_allow_list(target)
        if why:
            findings.append(
                Finding("hydra-target", f"{where}:{line}", verdict, f"{target[:200]}: {why}")
            )
    return findings, errors


def scan_yaml_targets(text: str, where: str = "yaml") -> Tuple[List[Finding], List[str]]:
    """A plain YAML file may or may not be a Hydra config: its targets are suspicious."""
    return judge_targets(text, where, SUSPICIOUS)


def scan_nemo(path: Optional[str] = None, data=None) -> Tuple[List[Finding], List[str]]:
    """A ``.nemo`` archive: NeMo instantiates its model config's targets on restore."""
    from .yamltags import scan_text

    try:
        source = (
            tarfile.open(path, "r:*")
            if data is None
            else tarfile.open(fileobj=io.BytesIO(bytes(data)), mode="r:*")
        )
    except (tarfile.TarError, OSError, EOFError) as exc:
        return [], [f".nemo archive unreadable: {str(exc)[:200]}"]
    findings: List[Finding] = []
    errors: List[str] = []
    configs = 0
    with source as tar:
        for member in tar.getmembers():
            if member.name.rsplit("/", 1)[-1] not in CONFIG_NAMES or not member.isfile():
                continue
            configs += 1
            if member.size > MAX_CONFIG_BYTES:
                errors.append(f"{member.name}: larger than {MAX_CONFIG_BYTES} bytes")
                continue
            handle = tar.extractfile(member)
            text = handle.read().decode("utf-8", "replace") if handle else ""
            found, errs = judge_targets(text, member.name, DANGEROUS)
            tags, tag_errors = scan_text(text)
            findings += found + tags
            errors += errs + tag_errors
    if not configs:
        errors.append(".nemo archive without a model_config.yaml")
    return findings, errors

"""Signature checks for the scanner CLI (``python -m jupyterlab_warden.kernel.scan``): the same
policy section and verifier the guard uses at load time, applied to files named on the command
line (issue 19)."""

from __future__ import annotations

import json

from .policy import ProvenancePolicy, kind_of_call
from .signatures import SignatureVerifier

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, List, Optional

# the scanner names formats; the policy names loaders' kinds
_KIND_BY_SUFFIX = (
    ((".pt", ".pth", ".ckpt", ".bin", ".mar"), "torch"),
    ((".npy", ".npz"), "numpy"),
    ((".joblib", ".jbl"), "joblib"),
    ((".keras", ".h5", ".hdf5"), "keras"),
    ((".yaml", ".yml"), "yaml"),
)


def kind_of_file(path: str) -> str:
    lower = path.lower()
    for suffixes, kind in _KIND_BY_SUFFIX:
        if lower.endswith(suffixes):
            return kind
    return kind_of_call("pickle.load")


def load_policy(
    policy_file: Optional[str], keys: List[str], roots: List[str], require_all: bool
) -> ProvenancePolicy:
    """The policy file's provenance section, plus keys/roots (PEM files) named on the command
    line; ``require_all``: every file named must be signed."""
    doc = {}
    if policy_file:
        with open(policy_file, encoding="utf-8") as fh:
            doc = json.load(fh)
    section = dict(doc.get("provenance") or {})
    signatures = dict(section.get("signatures") or {})
    trusted = dict(signatures.get("trusted") or {})
    for option, field in ((keys, "public_keys"), (roots, "certificate_roots")):
        entries = list(trusted.get(field) or [])
        for path in option:
            with open(path, encoding="utf-8") as fh:
                entries.append({"name": path, "pem": fh.read()})
        trusted[field] = entries
    signatures["trusted"] = trusted
    if require_all:
        signatures["required_for"] = {"paths": ["*"]}
    section["signatures"] = signatures
    return ProvenancePolicy({"provenance": section})


def check_files(paths: List[str], policy: ProvenancePolicy) -> Dict[str, dict]:
    """path -> {"status", "signer", "detail", "required"} (required: why, or None)."""
    verifier = SignatureVerifier()
    rules = policy.signatures
    out = {}
    for path in paths:
        verdict = verifier.verify(path, rules.trusted)
        required = rules.required(path, kind_of_file(path), None)
        out[path] = {
            "status": verdict.status,
            "signer": verdict.signer,
            "detail": verdict.detail,
            "required": required,
        }
    return out


def failed(result: dict) -> bool:
    return result["required"] is not None and result["status"] != "valid"


def text_line(result: dict) -> str:
    status = result["status"]
    shown = status.upper() if failed(result) else status
    line = f"  signature: {shown}"
    if result["signer"]:
        line += f" (signer: {result['signer']})"
    line += f" - {result['detail']}"
    if result["required"]:
        line += f"; required by the policy ({result['required']})"
    return line

"""SARIF 2.1.0 for the model scanner's reports (``--format sarif``), for code-scanning UIs.

One run; one result per dangerous or suspicious pickle global and per finding, named by the
rule of the shared catalog (schema/rules.json) that covers it: pickle globals are
``model-file-dangerous-globals``, each finding kind maps to its format's rule
(``RULE_OF_KIND``). Levels: dangerous is ``error``, suspicious ``warning``. Files the scanner
could not read are ``toolExecutionNotifications`` of level ``error`` (and the run says it did
not fully succeed). Model files are binary: a result's location is the file, and where the
finding sits inside it (``data.pkl`` offset, config key, tensor, schema entry) is a logical
location of kind ``member``; for text formats with a line (YAML) the region gives it.
"""

import hashlib
import os
import re
from typing import Dict, List

from ..contracts import rule_catalog
from .report import DANGEROUS, SUSPICIOUS

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_GLOBALS = "model-file-dangerous-globals"
RULE_OF_KIND = {
    "keras-lambda": "keras-model-code",
    "keras-callable": "keras-model-code",
    "keras-config": "keras-model-code",
    "torchscript-op": "torchscript-file-access",
    "torchscript-class": "torchscript-file-access",
    "yaml-python-tag": "yaml-python-tag",
    "onnx-external-data": "onnx-external-data",
    "onnx-custom-op": "onnx-custom-op",
    "tf-op": "tf-savedmodel-code",
    "tf-asset": "tf-savedmodel-code",
    "tf-custom-op": "tf-savedmodel-code",
    "skops-type": "skops-untrusted-type",
    "hydra-target": "hydra-target-outside-allowlist",
    "chat-template": "chat-template-code",
    "hf-remote-code": "hf-trust-remote-code",
}
_LEVEL = {DANGEROUS: "error", SUSPICIOUS: "warning"}
_SECURITY_SEVERITY = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
    "info": "0.0",
}
_TEXT_FORMATS = ("yaml",)
_LINE = re.compile(r"(?:^|[: ])(\d+)$")


def render(reports, version: str, base: str = "") -> Dict:
    """The SARIF log (a dict) for these ScanReports; ``base``: paths are made relative to it."""
    catalog = rule_catalog()
    used: List[str] = []
    results, notifications = [], []
    for report in reports:
        uri = _uri(report.path, base)
        for g in report.globals:
            if g.verdict in _LEVEL:
                text = f"{report.format} file names the pickle global {g.qualified} ({g.reason})"
                results.append(_result(RULE_GLOBALS, g.verdict, text, uri, g.where, report, used))
        for f in report.findings:
            if f.verdict in _LEVEL:
                rule = RULE_OF_KIND.get(f.kind, RULE_GLOBALS)
                text = f"{f.kind}: {f.detail}"
                results.append(_result(rule, f.verdict, text, uri, f.where, report, used))
        for error in report.errors:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{report.path}: {error}"[:2000]},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
    rules = [_descriptor(catalog.get(rid), rid) for rid in used]
    index = {rid: i for i, rid in enumerate(used)}
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "jupyter-warden-model-scan",
                        "informationUri": "https://github.com/jupyter-warden/jupyter-warden",
                        "version": version,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }


def _result(rule, verdict, text, uri, where, report, used) -> Dict:
    if rule not in used:
        used.append(rule)
    physical = {"artifactLocation": {"uri": uri}}
    line = _LINE.search(where or "") if report.format in _TEXT_FORMATS else None
    if line and int(line.group(1)) > 0:
        physical["region"] = {"startLine": int(line.group(1))}
    location = {"physicalLocation": physical}
    if where:
        location["logicalLocations"] = [{"fullyQualifiedName": where[:500], "kind": "member"}]
    fingerprint = hashlib.sha256("\0".join((rule, uri, where or "", text)).encode()).hexdigest()
    return {
        "ruleId": rule,
        "level": _LEVEL[verdict],
        "message": {"text": text[:2000]},
        "locations": [location],
        "partialFingerprints": {"wardenModelFinding/v1": fingerprint},
        "properties": {"verdict": verdict, "format": report.format},
    }


def _descriptor(rule, rule_id: str) -> Dict:
    rule = rule or {"title": rule_id, "explanation": "", "remediation": "", "severity": "high"}
    severity = rule.get("severity", "high")
    out = {
        "id": rule_id,
        "name": "".join(w[:1].upper() + w[1:] for w in rule_id.split("-")),
        "shortDescription": {"text": rule.get("title") or rule_id},
        "help": {"text": rule.get("remediation") or rule.get("title") or rule_id},
        "defaultConfiguration": {
            "level": "error" if severity in ("critical", "high") else "warning"
        },
        "properties": {
            "tags": ["security"] + list((rule.get("references") or {}).get("cwe", [])),
            "security-severity": _SECURITY_SEVERITY.get(severity, "8.0"),
        },
    }
    if rule.get("explanation"):
        out["fullDescription"] = {"text": rule["explanation"]}
    return out


def _uri(path: str, base: str) -> str:
    """A relative URI (``/`` separators, percent-encoded) when under ``base``, else file://."""
    from urllib.parse import quote
    from urllib.request import pathname2url

    absolute = os.path.abspath(path)
    root = os.path.abspath(base or os.getcwd())
    if os.path.commonpath([root, absolute]) == root:
        rel = os.path.relpath(absolute, root).replace(os.sep, "/")
        return quote(rel, safe="/!$&'()*+,;=:@")
    return "file://" + pathname2url(absolute)

"""``python -m jupyterlab_warden.kernel.scan [--format text|json|sarif] [--mode default|strict]
[--include GLOB]... [--exclude GLOB]... PATH...``

A PATH may be a folder (a model repository, a checkpoints directory): it is walked
recursively, like picklescan's and modelscan's ``-p DIR``. Files named explicitly are scanned
whatever their name; in folders, files with a model-file suffix (``.pt``, ``.bin``, ``.pkl``,
``.keras``, ``.yaml``...) are, or those matching ``--include`` when given; ``--exclude`` drops
files and folders. Hidden folders are skipped; symlinks are followed only when they stay inside
the folder given.

Signatures (issue 19): with ``--policy POLICY.json`` (its ``provenance.signatures`` section),
``--trusted-key PEM`` / ``--trusted-root PEM`` and ``--require-signature`` (every file named must
be signed), each file's OpenSSF model signature is verified as the kernel guard does at load
time (needs the ``model_signing`` library) and reported beside its scan.

``--format sarif`` writes SARIF 2.1.0 (``scan/sarif.py``: one result per dangerous or
suspicious global or finding, named by its catalog rule; paths relative to the working folder).

Exit status: 0 when every file is safe (and validly signed where a signature is required),
1 when any is suspicious, dangerous or unreadable (verdict error) or fails a required
signature, 2 on usage errors.
"""

import argparse
import fnmatch
import json
import os
import sys
from collections import Counter
from typing import Dict, Iterator, List, Sequence, Tuple

from . import SAFE, VERDICTS, scan_file
from .decide import GlobalPolicy

# Files a folder walk scans by default: the containers pickles travel in.
MODEL_SUFFIXES = (
    ".pkl",
    ".pickle",
    ".p",
    ".pt",
    ".pth",
    ".bin",
    ".ckpt",
    ".joblib",
    ".jbl",
    ".dill",
    ".sav",
    ".npy",
    ".npz",
    ".pkl.gz",
    ".pkl.bz2",
    ".pkl.xz",
    ".tar",
    ".zip",
    ".mar",
    # code-carrying formats other than pickle (codeformats/)
    ".keras",
    ".h5",
    ".hdf5",
    ".gguf",
    ".yaml",
    ".yml",
    ".onnx",
    ".skops",
    ".nemo",
)
# ... and by exact name: Hugging Face configs that make loaders run code (``auto_map`` modules,
# chat templates), a TF SavedModel's graph and Keras metadata; other .json/.pb files are data
MODEL_CONFIG_NAMES = (
    "config.json",
    "tokenizer_config.json",
    "chat_template.jinja",
    # TF SavedModel folders (codeformats/savedmodel.py)
    "saved_model.pb",
    "saved_model.pbtxt",
    "keras_metadata.pb",
)


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    """A pattern with '/' matches the relative path; without, any name along it."""
    for pattern in patterns:
        pattern = pattern.replace("\\", "/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if "/" in pattern:
            if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel, pattern + "/*"):
                return True
            # "dir/**" covers everything below dir
            if pattern.endswith("/**") and (rel + "/").startswith(pattern[:-2]):
                return True
        elif any(fnmatch.fnmatchcase(part, pattern) for part in rel.split("/")):
            return True
    return False


def files_under(
    root: str, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Iterator[Tuple[str, str]]:
    """(path, skip reason or "") for the files a folder walk scans or skips, sorted."""
    root_real = os.path.realpath(root)
    seen = set()

    def inside(real: str) -> bool:
        return real == root_real or real.startswith(root_real + os.sep)

    def walk(folder: str, rel: str) -> Iterator[Tuple[str, str]]:
        real = os.path.realpath(folder)
        if real in seen:
            return
        seen.add(real)
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            yield folder, f"unreadable folder ({exc.strerror or exc})"
            return
        for name in names:
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            child_rel = f"{rel}/{name}" if rel else name
            if os.path.islink(path) and not inside(os.path.realpath(path)):
                yield path, "symlink to outside the folder, not followed"
                continue
            if exclude and _matches(child_rel, exclude):
                continue
            if os.path.isdir(path):
                yield from walk(path, child_rel)
            elif os.path.isfile(path):
                chosen = (
                    _matches(child_rel, include)
                    if include
                    else name.lower().endswith(MODEL_SUFFIXES) or name in MODEL_CONFIG_NAMES
                )
                if chosen:
                    yield path, ""

    yield from walk(root, "")


def _text(report) -> str:
    lines = [f"{report.path}: {report.verdict.upper()} ({report.format})"]
    for g in report.globals:
        where = f" in {g.where}" if g.where else ""
        lines.append(f"  {g.verdict:<10} {g.qualified}{where}  [{g.reason}]")
    for f in report.findings:
        where = f" in {f.where}" if f.where else ""
        lines.append(f"  {f.verdict:<10} {f.kind}: {f.detail}{where}")
    lines.extend(f"  note: {n}" for n in report.notes)
    lines.extend(f"  error: {e}" for e in report.errors)
    return "\n".join(lines)


def _folder_summary(reports, skipped: List[Tuple[str, str]]) -> List[str]:
    by_folder: Dict[str, Counter] = {}
    for r in reports:
        by_folder.setdefault(os.path.dirname(r.path) or ".", Counter())[r.verdict] += 1
    lines = ["per folder:"]
    for folder in sorted(by_folder):
        counts = by_folder[folder]
        total = sum(counts.values())
        parts = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v])
        lines.append(f"  {folder}: {total} file{'s' if total != 1 else ''} ({parts})")
    lines.extend(f"  skipped {path}: {why}" for path, why in skipped)
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jupyterlab_warden.kernel.scan",
        description="Report the globals pickle-based model files would import, and the "
        "code Keras, TorchScript, ONNX, TF SavedModel, skops, NeMo and YAML files would run or "
        "reach, without "
        "loading them. Folders are scanned recursively.",
    )
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument(
        "--mode",
        choices=("default", "strict"),
        default="default",
        help="strict: only ML-safe globals count as safe",
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="in folders, scan the files matching GLOB instead of the model-file suffixes",
    )
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="skip matching paths"
    )
    parser.add_argument(
        "--policy", metavar="POLICY.json", help="verify signatures as this policy requires"
    )
    parser.add_argument(
        "--trusted-key", action="append", default=[], metavar="PEM", help="trust this public key"
    )
    parser.add_argument(
        "--trusted-root",
        action="append",
        default=[],
        metavar="PEM",
        help="trust signing certificates that chain to this root",
    )
    parser.add_argument(
        "--require-signature",
        action="store_true",
        help="every file scanned must carry a valid signature by a trusted identity",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    args = parser.parse_args(argv)  # exits 2 on usage errors
    signatures = None
    if args.policy or args.trusted_key or args.trusted_root or args.require_signature:
        from ..guard.provenance import cli as signature_cli  # only when asked: stdlib otherwise

        try:
            provenance = signature_cli.load_policy(
                args.policy, args.trusted_key, args.trusted_root, args.require_signature
            )
        except (OSError, ValueError) as exc:
            parser.error(f"cannot read the signature settings: {exc}")
    policy = GlobalPolicy(mode=args.mode)
    files: List[str] = []
    skipped: List[Tuple[str, str]] = []
    walked = False
    for path in args.paths:
        if os.path.isdir(path):
            walked = True
            for found, why in files_under(path, args.include, args.exclude):
                (skipped.append((found, why)) if why else files.append(found))
        else:
            files.append(path)  # named explicitly: scanned whatever it is (or reported missing)
    reports = [scan_file(p, policy, by_name=True) for p in files]
    if args.policy or args.trusted_key or args.trusted_root or args.require_signature:
        signatures = signature_cli.check_files(files, provenance)
    if args.format == "json":
        docs = [r.to_dict() for r in reports]
        if signatures is not None:
            for doc, path in zip(docs, files):
                doc["signature"] = signatures[path]
        print(json.dumps(docs, indent=2))
    elif args.format == "sarif":
        from jupyterlab_warden import __version__

        from .sarif import render

        print(json.dumps(render(reports, __version__), indent=2))
    else:
        out = [_text(r) for r in reports]
        if signatures is not None:
            out = [
                f"{text}\n{signature_cli.text_line(signatures[p])}" for text, p in zip(out, files)
            ]
        if walked:
            out.extend(_folder_summary(reports, skipped))
        print("\n".join(out))
    if signatures is not None and any(signature_cli.failed(r) for r in signatures.values()):
        return 1
    return 0 if all(r.verdict == SAFE for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())

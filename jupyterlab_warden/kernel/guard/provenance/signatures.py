"""Verify a model file's OpenSSF model signature (sigstore/model-transparency format).

The guard stays standard-library at module level: the ``model_signing`` library is imported
here on the first load that needs a signature, from the kernel's own environment. Where it is
not installed the answer is ``unverifiable`` and the guard refuses (fail closed) with that
reason - never "signed" by default. See docs/kernel-guard.md.

Where a signature is looked for, nearest first: ``<file>.sig`` (the file signed alone), then
``model.sig`` in the file's folder and up to two folders above it (a model folder signed as a
whole, the library's default; the whole folder must then match, as ``model_signing`` checks).

Statuses (the artifact registry's vocabulary, contract-registry.md): ``valid`` (a trusted
identity signed exactly these bytes), ``invalid`` (a trusted identity signed, but the bytes
differ: altered - or the signature file is malformed), ``untrusted`` (no trusted identity
signed it), ``unsigned`` (no signature file), ``unverifiable`` (the guard could not check).
Results are cached by the stat keys of the signature and of every signed file.
"""

from __future__ import annotations

import _thread  # threading's own primitives: threading imports functools at start-up
import os

from ... import json_read
from ...scan.records import Record, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, List, Optional, Tuple
SIGNATURE_NAME = "model.sig"
# huggingface_hub's own files in a local_dir download (metadata, locks): never model files,
# never covered by a folder signature (a load of a file inside them counts as unsigned)
HUB_BOOKKEEPING = (".cache/huggingface",)
_NEVER_COVERED = HUB_BOOKKEEPING + (".git", ".github")
_PARENT_LEVELS = 3  # the file's folder and two above it
_MAX_CACHE = 512
# Exceptions by which a verifier says "not signed by me" (any other is an error: unverifiable)
_REJECTIONS = frozenset(
    ("ValueError", "InvalidSignature", "X509StoreContextError", "VerificationError", "KeyError")
)
NOT_INSTALLED = (
    "the model_signing library is not installed in this kernel's environment, so the "
    "signature cannot be checked"
)


class Verdict(Record):
    """status: valid | invalid | untrusted | unsigned | unverifiable; signer; signature: path of
    the signature file used; detail: why, for events and messages (no file contents)."""

    __slots__ = ()
    _fields = ("status", "signer", "signature", "detail")

    def __new__(cls, status, signer, signature, detail):
        return tuple.__new__(cls, (status, signer, signature, detail))

    status = field(0)
    signer = field(1)
    signature = field(2)
    detail = field(3)


def find_signature(path: str) -> Optional[Tuple[str, str]]:
    """(signature path, model path it covers) nearest to ``path``, or None."""
    path = os.path.abspath(path)
    alone = path + ".sig"
    if os.path.isfile(alone):
        return alone, path
    folder = os.path.dirname(path)
    for _ in range(_PARENT_LEVELS):
        candidate = os.path.join(folder, SIGNATURE_NAME)
        if os.path.isfile(candidate):
            inner = os.path.relpath(path, folder).replace(os.sep, "/")
            if any(inner == p or inner.startswith(p + "/") for p in _NEVER_COVERED):
                return None  # a folder signature ignores these paths: they are not signed
            return candidate, folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return None


def _stat(path: str):
    st = os.stat(path)
    return (path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _version_key(signature: str, model: str) -> tuple:
    """Identity of this version of the signature and of every file it covers."""
    keys = [_stat(signature)]
    if os.path.isdir(model):
        for root, dirs, files in os.walk(model):
            dirs.sort()
            for name in sorted(files):
                keys.append(_stat(os.path.join(root, name)))
    else:
        keys.append(_stat(model))
    return tuple(keys)


class SignatureVerifier:
    """One per guard: the trusted identities written once to a private folder (the library
    reads keys and certificates from files), and a cache of verdicts."""

    def __init__(self):
        self._cache: Dict[tuple, Verdict] = {}
        self._material_key = None
        self._material: Optional[dict] = None
        self._lock = _thread.allocate_lock()

    def verify(self, path: str, trusted) -> Verdict:
        found = find_signature(path)
        if found is None:
            return Verdict("unsigned", None, None, "no model signature found next to the file")
        signature, model = found
        try:
            key = (_version_key(signature, model), trusted.key())
        except OSError as exc:
            return Verdict("unverifiable", None, signature, f"cannot read: {exc.strerror}")
        with self._lock:
            hit = self._cache.get(key)
            if hit is None:
                hit = self._verify(signature, model, trusted)
                if len(self._cache) >= _MAX_CACHE:
                    self._cache.clear()
                self._cache[key] = hit
        return hit

    def _verify(self, signature: str, model: str, trusted) -> Verdict:
        bundle = _read_bundle(signature)
        if bundle is None:
            return Verdict("invalid", None, signature, "the signature file is malformed")
        if trusted.empty:
            return Verdict("untrusted", None, signature, "the policy trusts no signer")
        try:
            import model_signing  # noqa: F401 - lazily: not every kernel needs it
            from model_signing import verifying
        except Exception:  # noqa: BLE001 - ImportError or a broken install: cannot check
            return Verdict("unverifiable", None, signature, NOT_INSTALLED)
        material = self._files_for(trusted)
        attempts: List[Tuple[str, object]] = []
        for name, key_path in material["keys"]:
            attempts.append(
                (name, verifying.Config().use_elliptic_key_verifier(public_key=key_path))
            )
        if material["roots"]:
            config = verifying.Config().use_certificate_verifier(
                certificate_chain=material["roots"]
            )
            attempts.append((_certificate_subject(bundle) or "certificate", config))
        for identity, issuer in trusted.keyless:
            try:
                config = verifying.Config().use_sigstore_verifier(
                    identity=identity, oidc_issuer=issuer
                )
            except Exception as exc:  # noqa: BLE001 - e.g. no network for the trust root
                attempts.append((identity, exc))
                continue
            attempts.append((identity, config))
        hashing = _hashing_config(bundle)
        errors = []
        for signer, config in attempts:
            if isinstance(config, Exception):
                errors.append(type(config).__name__)
                continue
            if hashing is not None:
                config.set_hashing_config(hashing)
            try:
                config.verify(model, signature)
            except Exception as exc:  # noqa: BLE001 - classified below
                if str(exc).startswith("Signature mismatch"):
                    return Verdict(
                        "invalid",
                        signer,
                        signature,
                        "the file differs from what was signed (altered after signing)",
                    )
                if type(exc).__name__ not in _REJECTIONS:
                    errors.append(type(exc).__name__)
                continue
            return Verdict("valid", signer, signature, "signed by a trusted identity")
        if errors:
            return Verdict(
                "unverifiable", None, signature, "verification failed: " + ", ".join(errors[:3])
            )
        return Verdict("untrusted", None, signature, "no trusted identity signed this model")

    def _files_for(self, trusted) -> dict:
        key = trusted.key()
        if self._material_key == key and self._material is not None:
            return self._material
        import shutil  # here, not at import: every interpreter's start loads this module
        import tempfile

        if self._material is not None:
            shutil.rmtree(self._material["dir"], ignore_errors=True)
        folder = tempfile.mkdtemp(prefix="warden-trust-")  # 0700: this process's own
        keys = []
        for i, (name, pem) in enumerate(trusted.public_keys):
            keys.append((name, _write(folder, f"key{i}.pem", pem)))
        roots = [
            _write(folder, f"root{i}.pem", pem)
            for i, (_, pem) in enumerate(trusted.certificate_roots)
        ]
        self._material_key, self._material = key, {"dir": folder, "keys": keys, "roots": roots}
        return self._material


def _write(folder: str, name: str, text: str) -> str:
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def _read_bundle(path: str) -> Optional[dict]:
    try:
        with open(path, "rb") as fh:
            data = json_read.loads(fh.read(1 << 22))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or "verificationMaterial" not in data:
        return None
    return data


def _hashing_config(bundle: dict):
    """The signer's hashing settings, but following symlinks: a Hugging Face cache snapshot
    is a folder of symlinks into its blob store, and what a load reads is the link's target -
    which is what is then hashed. None: let the library guess (it would refuse symlinks)."""
    try:
        import base64

        from model_signing import hashing

        statement = json_read.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
        how = statement["predicate"]["serialization"]
        ignore = [str(p) for p in how.get("ignore_paths") or ()] + list(HUB_BOOKKEEPING)
        if how["method"] == "files":
            return (
                hashing.Config()
                .use_file_serialization(hashing_algorithm=how["hash_type"], allow_symlinks=True)
                .set_ignored_paths(paths=ignore)
                .set_allow_symlinks(True)
            )
        if how["method"] == "shards":
            return (
                hashing.Config()
                .use_shard_serialization(
                    hashing_algorithm=how["hash_type"],
                    shard_size=how["shard_size"],
                    allow_symlinks=True,
                )
                .set_ignored_paths(paths=ignore)
                .set_allow_symlinks(True)
            )
    except Exception:  # noqa: BLE001 - unknown shape: the library's own guess decides
        return None
    return None


def _certificate_subject(bundle: dict) -> Optional[str]:
    """The signing certificate's subject, to name the signer (verification checks the chain)."""
    try:
        chain = bundle["verificationMaterial"]["x509CertificateChain"]["certificates"]
        import base64

        raw = base64.b64decode(chain[0]["rawBytes"])
        from cryptography import x509

        return x509.load_der_x509_certificate(raw).subject.rfc4514_string()[:200]
    except Exception:  # noqa: BLE001 - not a certificate bundle
        return None

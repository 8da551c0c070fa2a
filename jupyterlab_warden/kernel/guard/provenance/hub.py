"""Record and police downloads made through ``huggingface_hub`` (issue 19).

Patched like the loaders (``patches.LOAD_TARGETS``: now, or right after the module is first
imported): ``huggingface_hub.file_download.hf_hub_download`` - which ``snapshot_download``,
``HfApi.hf_hub_download`` and ``from_pretrained`` (transformers, diffusers, ...) all reach - and
``huggingface_hub._snapshot_download.snapshot_download``.

Each downloaded file is recorded (``ledger.py``): repository, the revision asked for, the
commit it resolved to (the cache's ``snapshots/<commit>/`` folder, or a local_dir's download
metadata), its sha256. The hub policy (``provenance.hub``) is applied:

* ``allowed_repos`` - refused before any request, on the repository id as the hub resolves it
  (case-insensitive);
* ``require_pinned_revision`` - a revision that is not a 40-hex commit is refused before any
  request; a commit is checked against the commit the download resolved to;
* ``trust_remote_code`` - Python files (``*.py``: what ``trust_remote_code=True`` imports) are
  accepted only from listed repositories: by the sha256 of each reviewed file (``files``: the
  content decides, wherever the bytes came from) and/or at listed commits;
* ``endpoints`` (default the official https://huggingface.co) - the hub servers whose word is
  believed. The resolved commit is what the server claims (``X-Repo-Commit``): a commit-based
  decision (``require_pinned_revision``, a ``trust_remote_code`` entry without ``files``) is
  refused for any other endpoint, before any request. The endpoint is the one the call really
  uses (``endpoint=``, else what ``huggingface_hub`` builds from ``HF_ENDPOINT`` / its
  constants at call time); records of downloads from other endpoints say so and carry no
  commit in their artifact (the claim is not provenance).

A file refused after it reached the cache is remembered: a later load of it is refused too.
"""

from __future__ import annotations

import _thread  # threading's own primitives: threading imports functools at start-up
import os
import sys

from .policy import endpoint_origin, is_commit

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Optional

RULE_HUB_REPO = "hub-repository-not-allowed"
RULE_HUB_UNPINNED = "hub-revision-not-pinned"
RULE_HUB_REMOTE_CODE = "hub-remote-code-not-allowed"
RULE_HUB_DOWNLOAD = "hub-download"

# (module, attribute, label, wrapper kind): appended to patches.LOAD_TARGETS
LOAD_TARGETS = (
    (
        "huggingface_hub.file_download",
        "hf_hub_download",
        "huggingface_hub.hf_hub_download",
        "hub_file",
    ),
    (
        "huggingface_hub._snapshot_download",
        "snapshot_download",
        "huggingface_hub.snapshot_download",
        "hub_snapshot",
    ),
    # names bound before the guard was installed (a kernel importing the hub early)
    (
        "huggingface_hub._snapshot_download",
        "hf_hub_download",
        "huggingface_hub.hf_hub_download",
        "hub_file",
    ),
)


def maker(kind: str):
    return {"hub_file": _file_wrapper, "hub_snapshot": _snapshot_wrapper}.get(kind)


class _Requests:
    """Revisions asked for by snapshot_download calls in progress, by repository: its inner
    per-file downloads (on worker threads) pass the resolved commit, but the user asked for
    the outer revision."""

    def __init__(self):
        self.lock = _thread.allocate_lock()
        self.active = {}

    def push(self, key, revision):
        with self.lock:
            self.active.setdefault(key, []).append(revision)

    def pop(self, key):
        with self.lock:
            stack = self.active.get(key) or []
            if stack:
                stack.pop()
            if not stack:
                self.active.pop(key, None)

    def outer(self, key):
        with self.lock:
            stack = self.active.get(key)
            return (True, stack[-1]) if stack else (False, None)


_REQUESTS = _Requests()


def _repo_key(repo_id, repo_type) -> tuple:
    return (str(repo_id).strip().lower(), str(repo_type or "model"))


def _arg(args, kwargs, index, name, default=None):
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else default


def file_endpoint(kwargs, repo_id, filename) -> Optional[str]:
    """The origin ``hf_hub_download`` will really contact: the URL it builds itself (its
    ``hf_hub_url`` at call time: ``endpoint=``, ``HF_ENDPOINT``, changed constants)."""
    module = sys.modules.get("huggingface_hub.file_download")
    try:
        url = module.hf_hub_url(
            str(repo_id),
            str(filename),
            subfolder=kwargs.get("subfolder"),
            repo_type=kwargs.get("repo_type"),
            revision=kwargs.get("revision"),
            endpoint=kwargs.get("endpoint"),
        )
    except Exception:  # noqa: BLE001 - cannot tell: an origin no policy allows (fail closed)
        return None
    return endpoint_origin(url)


def api_endpoint(kwargs) -> Optional[str]:
    """The origin ``snapshot_download`` asks for the repository's file list (HfApi's)."""
    explicit = kwargs.get("endpoint")
    if explicit is not None:
        return endpoint_origin(explicit)
    constants = sys.modules.get("huggingface_hub.constants")
    return endpoint_origin(getattr(constants, "ENDPOINT", None))


def _endpoint_refusal(hub, endpoint, filename) -> Optional[tuple]:
    """Refuse before any request what a server outside ``endpoints`` could forge."""
    if hub.endpoint_allowed(endpoint):
        return None
    where = endpoint or "an endpoint that cannot be read"
    if hub.require_pinned:
        return (
            RULE_HUB_UNPINNED,
            f"the policy believes commits only from {', '.join(sorted(hub.endpoints)) or '(none)'}"
            f"; {where} is not one of them",
        )
    if filename is not None and str(filename).endswith(".py") and hub.remote_code is not None:
        return (
            RULE_HUB_REMOTE_CODE,
            f"Python files (trust_remote_code) come only from {', '.join(sorted(hub.endpoints))}"
            f" or by reviewed sha256; {where} is not allowed",
        )
    return None


def _before(state, label, repo_id, revision, filename=None, endpoint=None) -> None:
    """Checks that need no download: the repository, whether a commit was named, and whether
    the endpoint's word can decide what needs a commit."""
    hub = state.provenance.policy.hub
    evidence = {"call": label, "hub_repo": str(repo_id)[:200], "revision": str(revision)}
    if filename:
        evidence["filename"] = str(filename)[:300]
    evidence["hub_endpoint"] = endpoint or "unknown"
    if not hub.repo_allowed(str(repo_id).strip()):
        state.apply_rule(
            RULE_HUB_REPO,
            evidence,
            f"downloading from the hub repository {repo_id}",
            "the policy allows downloads only from " + ", ".join(hub.allowed or ["(none)"]),
        )
    if hub.require_pinned and not is_commit(revision):
        state.apply_rule(
            RULE_HUB_UNPINNED,
            evidence,
            f"downloading {repo_id} at revision {revision or 'main'}",
            "the policy requires hub downloads pinned to a commit (revision=<40-hex sha>)",
        )
    refusal = _endpoint_refusal(hub, endpoint, filename)
    if refusal is not None and not _pinned_by_content(hub, repo_id, filename):
        evidence["reason"] = "endpoint-not-allowed"
        state.apply_rule(
            refusal[0],
            evidence,
            f"downloading from the hub endpoint {endpoint or '(unreadable)'}",
            refusal[1],
        )


def _pinned_by_content(hub, repo_id, filename) -> bool:
    """A Python file whose reviewed sha256 the policy lists: its content decides after the
    download, so the endpoint does not matter for it (unless pins are required)."""
    if hub.require_pinned or hub.remote_code is None or filename is None:
        return False
    entry = hub.remote_code.get(str(repo_id).strip().lower())
    return entry is not None and entry.files is not None


def _commit_of(path: str, filename: str, local_dir) -> Optional[str]:
    parts = os.path.abspath(path).replace(os.sep, "/").split("/")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i - 1] == "snapshots" and is_commit(parts[i]):
            return parts[i]
    if local_dir is not None:
        meta = os.path.join(
            str(local_dir), ".cache", "huggingface", "download", str(filename) + ".metadata"
        )
        try:
            with open(meta, encoding="utf-8") as fh:
                first = fh.readline().strip()
            return first if is_commit(first) else None
        except OSError:
            return None
    return None


def _after(
    state, label, repo_id, repo_type, requested, filename, path, local_dir, endpoint
) -> None:
    """Record one downloaded file; apply the checks that need its resolved commit."""
    from ..filesource import describe

    prov = state.provenance
    commit = _commit_of(path, filename, local_dir)
    source = describe(path)
    sha256 = state.hashes.sha256(source) if source is not None else None
    record = {
        "repo": str(repo_id).strip(),
        "repo_type": str(repo_type or "model"),
        "revision": None if requested is None else str(requested),
        "commit": commit,
        "filename": str(filename),
        "sha256": sha256,
        "size": source.size if source is not None else None,
        "endpoint": endpoint,
    }
    hub = prov.policy.hub
    endpoint_ok = hub.endpoint_allowed(endpoint)
    if not endpoint_ok:
        record["commit"] = None  # a claim by a server the policy does not believe
    prov.ledger.record(path, record)
    evidence = {
        "call": label,
        "hub_repo": record["repo"],
        "revision": record["revision"] or "main",
        "hub_commit": commit,
        "filename": record["filename"][:300],
        "hub_endpoint": endpoint or "unknown",
    }
    if not endpoint_ok:
        evidence["endpoint_allowed"] = False
    if sha256:
        evidence["sha256"] = sha256
    if record["size"] is not None:
        evidence["size"] = record["size"]
    artifact = {"name": os.path.basename(record["filename"])[:300], "kind": "other"}
    if sha256:
        artifact["sha256"] = sha256
    artifact["source"] = {"hub": {k: record[k] for k in ("repo", "revision", "commit", "filename")}}
    refusal = None
    code_refusal = None
    if str(filename).endswith(".py"):
        code_refusal = hub.remote_code_refusal(
            record["repo"], commit, record["filename"], sha256, endpoint_ok
        )
    if hub.require_pinned and not endpoint_ok:
        refusal = (
            RULE_HUB_UNPINNED,
            f"its commit was claimed by {endpoint}, not an allowed endpoint",
        )
    elif hub.require_pinned and (commit is None or requested != commit):
        refusal = (
            RULE_HUB_UNPINNED,
            f"the revision asked for ({requested}) is not the commit it resolved to ({commit})",
        )
    elif code_refusal is not None:
        refusal = (
            RULE_HUB_REMOTE_CODE,
            "the policy allows Python files (trust_remote_code) only from "
            + (", ".join(sorted(hub.remote_code or ())) or "no repository")
            + " at reviewed commits or with reviewed content: "
            + code_refusal,
        )
    if refusal is not None:
        prov.ledger.refuse(path)
        state.apply_rule(
            refusal[0],
            evidence,
            f"downloading {record['filename']} from {record['repo']} at {commit}",
            refusal[1],
            artifact=artifact,
        )
        return
    if prov.policy.record_downloads:
        at = (
            f"at commit {commit}" if endpoint_ok else f"from {endpoint} (commit claim not believed)"
        )
        state.record(
            RULE_HUB_DOWNLOAD,
            f"Downloaded {record['filename']} from {record['repo']} {at}.",
            evidence,
            artifact,
        )


def _file_wrapper(original, label, state):
    def hf_hub_download(*args, **kwargs):
        if not state.enabled:
            return original(*args, **kwargs)
        repo_id = _arg(args, kwargs, 0, "repo_id")
        filename = _arg(args, kwargs, 1, "filename")
        subfolder = kwargs.get("subfolder")
        repo_type = kwargs.get("repo_type")
        inside, outer_revision = _REQUESTS.outer(_repo_key(repo_id, repo_type))
        requested = outer_revision if inside else kwargs.get("revision")
        endpoint = file_endpoint(kwargs, repo_id, filename)
        if not inside:  # a snapshot_download checked these already
            _before(state, label, repo_id, requested, filename, endpoint)
        else:
            refusal = _endpoint_refusal(state.provenance.policy.hub, endpoint, filename)
            if refusal is not None and not _pinned_by_content(
                state.provenance.policy.hub, repo_id, filename
            ):
                _before(state, label, repo_id, requested, filename, endpoint)
        result = original(*args, **kwargs)
        if kwargs.get("dry_run") or not isinstance(result, (str, os.PathLike)):
            return result
        name = f"{subfolder}/{filename}" if subfolder else str(filename)
        _after(
            state,
            label,
            repo_id,
            repo_type,
            requested,
            name,
            os.fspath(result),
            kwargs.get("local_dir"),
            endpoint,
        )
        return result

    return hf_hub_download


def _snapshot_wrapper(original, label, state):
    def snapshot_download(*args, **kwargs):
        if not state.enabled:
            return original(*args, **kwargs)
        repo_id = _arg(args, kwargs, 0, "repo_id")
        repo_type = kwargs.get("repo_type")
        revision = kwargs.get("revision")
        endpoint = api_endpoint(kwargs)
        _before(state, label, repo_id, revision, None, endpoint)
        key = _repo_key(repo_id, repo_type)
        _REQUESTS.push(key, revision)
        try:
            result = original(*args, **kwargs)
        finally:
            _REQUESTS.pop(key)
        if kwargs.get("dry_run") or not isinstance(result, (str, os.PathLike)):
            return result
        folder = os.fspath(result)
        # files already in the cache are returned without a per-file download: record them
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d != ".cache"]
            for name in files:
                path = os.path.join(root, name)
                if state.provenance.ledger.source_for(path) is None:
                    relative = os.path.relpath(path, folder).replace(os.sep, "/")
                    _after(
                        state,
                        label,
                        repo_id,
                        repo_type,
                        revision,
                        relative,
                        path,
                        kwargs.get("local_dir"),
                        endpoint,
                    )
        return result

    return snapshot_download

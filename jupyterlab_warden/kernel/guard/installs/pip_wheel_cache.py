"""A wheel pip takes from its wheel cache is read as a local wheel is (red team 41a R41a-3).

pip keeps the wheels it built from sdists in ``<cache>/wheels/<key>/`` (``~/.cache/pip``,
``PIP_CACHE_DIR``, ``--cache-dir``), the key a hash of the sdist's link, hash and interpreter:
public data. When an sdist link it picked has a wheel of the right name and tags there, pip
installs THAT wheel instead of building the sdist, and fetches its ``Requires-Dist``. The
folder is a file input a cell can write, so a wheel planted under a trusted index's sdist link
installed dependencies from any URL while the line named only that index.

pip's HTTP cache stays in use (pages are revalidated and each downloaded wheel is checked
against the hash its page gives). Every wheel-cache hit instead goes through Warden's wheel
reading (``local_wheels.add_offered``: its ``Requires-Dist`` decided like a line's, its
start-up code refused) before pip takes it: ``WheelCache.get_cache_entry``, which both of
pip's resolvers ask (``resolvelib.factory``, ``legacy.resolver``) and which answers for the
persistent and the ephemeral cache alike, is wrapped as pip's module loads (``gate.
PATCH_TARGETS``). A pip whose cache is not that API (``unchecked``, asked as each installing
command parses its options) is refused unless run with ``--no-cache-dir``.

Open: code of the process itself rebinding the wrapped method after pip parsed its options
(pip run inside the kernel: ``pip.main``); pip's own command in a child runs no cell code.
"""

_KIND = "pip-wheel-cache"
_NOT_KNOWN = (
    "pip's wheel cache is not the one Warden reads (pip._internal.cache.WheelCache."
    "get_cache_entry is missing or not Warden's): a wheel pip takes from it would install "
    "unread; run pip with --no-cache-dir"
)


def wrapper(original, label, state):
    """``WheelCache.get_cache_entry``: a hit (a cached wheel in place of the link asked for)
    is decided before pip takes it (``InstallGate.decide_cached_wheel``); refusals only."""

    def get_cache_entry(self, link, *args, **kwargs):
        entry = original(self, link, *args, **kwargs)
        if entry is None:
            return None
        gate = getattr(state, "installs", None)
        if gate is not None:
            gate.decide_cached_wheel(_entry_path(entry), _link_text(link))
        return entry

    return get_cache_entry


def _entry_path(entry) -> str:
    """The cached wheel's file; '' when pip's entry is not the one Warden knows (refused by
    the reading: no file named '')."""
    try:
        path = entry.link.file_path
    except Exception:  # noqa: BLE001 - an entry Warden cannot place is read as no file
        return ""
    return path if type(path) is str else ""


def _link_text(link) -> str:
    try:
        return str(link.url)[:300]
    except Exception:  # noqa: BLE001 - the link is named in messages only
        return "<a link>"


def unchecked(options) -> str:
    """Why this pip command is refused ('' when it is not): its wheel cache is on
    (``options.cache_dir``: ``--no-cache-dir`` makes it false) and pip's ``WheelCache`` as
    loaded now answers hits through another function than Warden's wrapper."""
    if not getattr(options, "cache_dir", None):
        return ""
    import sys

    module = sys.modules.get("pip._internal.cache")
    if module is None:
        return _NOT_KNOWN  # every installing command imports it before parsing its options
    cls = getattr(module, "WheelCache", None)
    found = vars(cls).get("get_cache_entry") if isinstance(cls, type) else None
    return "" if getattr(found, "__warden_kind__", None) == _KIND else _NOT_KNOWN

"""What pip takes from index pages and the network, decided in pip's own process (red team 42a
R42a-2).

The command line's index is decided before pip starts, but pip installs what the index's
PAGES link, and a page is not always the index's: pip's HTTP cache (``<cache>/http``,
``--cache-dir``, ``~/.cache/pip``) is a folder the cell writes, and cachecontrol answers a
revalidated page (``max-age=0``, ``If-None-Match`` with the entry's public ETag, ``304``)
with the CACHED body; a redirect or a trusted index's own page may link another host too.
So, in the pip process Warden allowed (``gate.PATCH_TARGETS``, as its module loads):

* every link pip parses from an index or find-links page (``pip._internal.index.collector.
  parse_links``, the one function HTML and JSON pages, cached or not, go through; also as
  ``package_finder`` bound it) is decided as a source (``InstallGate.decide_links``): a link
  on the origin (scheme, host, port) of a page that lies under a trusted index is that
  index's file (``/simple/x/`` linking ``/files/x.whl`` on a devpi or Nexus mirror); any
  other goes through the policy rule the command line's index does (PyPI's pages link
  ``https://files.pythonhosted.org``, a trusted index by default); a ``file:`` link only
  from a local page, and a ``file:`` wheel it links read then (``local_wheels.add_offered``:
  the page may be one pip reads in place of a URL, ``pip_sources``, red team 43a R43a-5);
* a file pip downloads (``network.download._http_get_download``, used by both of pip's
  downloaders) is fetched from the server, never from pip's HTTP cache
  (``network.cache.SafeFileCache.get`` misses while it runs): a stored response is bytes a
  cell may have written, and a stored page may have given the hash they are checked with;
  where a redirect took the download is decided as a link of the URL asked for, and the URL
  asked for must be one a decision in this process vouched for (``vouch``: a decided page's
  link, a direct reference of the decided command line or requirements file, a dependency's
  URL decided by ``pip_requires``), or it is refused (red team 43a R43a-1: a wheel's
  ``Requires-Dist: x @ URL`` was downloaded undecided).

Pages stay cached (revalidated with the stored ETag, the stored body used on ``304``):
whatever page pip reads, its links are decided. pip still stores responses.

A pip whose functions are not these (``unchecked``, asked as each installing command parses
its options) is refused: pip's renamed internals would take pages and bodies unread.
"""

import _contextvars  # built in, as gate's pip command variable

from .decide import IndexPrefixes, allowed_indexes, is_local
from .request import plain_url, redact_url

# the kinds gate.PATCH_TARGETS gives these wrappers
KIND_LINKS = "pip-page-links"
KIND_DOWNLOAD = "pip-download"
KIND_CACHE = "pip-http-cache"
# set while pip's downloader fetches a file: the HTTP cache then answers nothing
_DOWNLOADING = _contextvars.ContextVar("warden_pip_download", default=False)
# the URLs (``url_key``) a decision in this process vouched for: what a download may ask for
_VOUCHED: set = set()


def url_key(url: str) -> str:
    """The spelling a download's URL is vouched for in: fragment dropped, credentials and
    query reduced as the policy reads a direct reference (``redact_url``); '' for a URL Warden
    cannot read (never vouched)."""
    key = redact_url(url.split("#", 1)[0].strip())
    return "" if key.startswith("<") else key


def vouch(urls) -> None:
    """Note ``urls`` as decided: pip may download them."""
    _VOUCHED.update(filter(None, map(url_key, urls)))


def vouched(url: str) -> bool:
    """Whether a decision vouched for ``url``, or for the file whose PEP 658 metadata
    (``<file>.metadata``, ``Link.metadata_link``) it is."""
    key = url_key(url)
    if not key:
        return False
    return key in _VOUCHED or (key.endswith(".metadata") and key[: -len(".metadata")] in _VOUCHED)


def links_wrapper(original, label, state):
    """``parse_links(page)``: its links decided before pip evaluates any (refusals only)."""

    def parse_links(page, *args, **kwargs):
        links = list(original(page, *args, **kwargs))
        gate = getattr(state, "installs", None)
        if gate is not None:
            urls = [_text(link, "url") for link in links]
            # a local page's file: links, as pip opens them (``Link.file_path``), read now
            files = [_text(link, "file_path") for link in links if _text(link, "scheme") == "file"]
            gate.decide_links(_text(page, "url"), urls, files=files)
            vouch(urls)
        return links

    return parse_links


def download_wrapper(original, label, state):
    """``_http_get_download(session, link)``: the URL asked for is one a decision vouched for
    (``vouched``), the body comes from the server, never pip's HTTP cache (``cache_wrapper``
    misses while this runs), and where a redirect took the request is decided as a link of the
    URL asked for."""

    def http_get_download(session, link, *args, **kwargs):
        gate = getattr(state, "installs", None)
        if gate is not None and not vouched(_text(link, "url")):
            gate.refuse_unvouched(_text(link, "url"))
        token = _DOWNLOADING.set(True)
        try:
            response = original(session, link, *args, **kwargs)
        finally:
            _DOWNLOADING.reset(token)
        asked = _text(link, "url").split("#", 1)[0]
        final = _text(response, "url").split("#", 1)[0]
        if gate is not None and final != asked:
            try:
                gate.decide_links(asked, [final], vouched=True)
            except BaseException:
                response.close()  # nothing of the refused body is read
                raise
        return response

    return http_get_download


def cache_wrapper(original, label, state):
    """``SafeFileCache.get``: a miss for a download's request (its stored response is bytes a
    cell may have written, checked at best against a hash a stored page gave); pages are
    answered as pip does, their links decided by ``links_wrapper``."""

    def get(self, key, *args, **kwargs):
        if _DOWNLOADING.get():
            return None
        return original(self, key, *args, **kwargs)

    return get


def admitted(page: str, links: list, policy: dict, vouched: bool = False) -> tuple:
    """``(sources, problems)`` for ``links`` found on ``page``: the links neither the page's
    own trusted host nor a trusted index serves, to be decided as the command line's sources
    are (they are refused), and what no rule places (a ``file:`` link of a remote page, a
    link or page Warden cannot read). ``page``: the URL pip read it from (after redirects);
    ``vouched``: it was decided already (the URL a download asked for)."""
    prefixes = IndexPrefixes(allowed_indexes(policy))
    local = bool(page) and is_local(page)
    home = None
    if page and not local:
        asked = page.split("#", 1)[0]
        parts = plain_url(asked)
        if parts is not None and (vouched or prefixes.allows(asked, parts)):
            home = (parts.scheme, parts.host, parts.port)
    shown = redact_url(page)[:200] or "<a page Warden cannot read>"
    sources, problems, seen = [], [], set()
    for link in links:
        if link in seen:
            continue
        seen.add(link)
        url = link.split("#", 1)[0]  # what pip fetches
        if not link:
            problems.append(f"the page {shown} holds a link Warden cannot read")
        elif is_local(link):
            if not local:  # a local page's wheels are read as pip parses it (``decide_links``)
                problems.append(
                    f"the page {shown} links a file on this machine "
                    f"({redact_url(link)[:200]}), which pip would take as that page's"
                )
        else:
            parts = plain_url(url)
            if parts is None or (
                (parts.scheme, parts.host, parts.port) != home and not prefixes.allows(url, parts)
            ):
                sources.append(url)
    return sources, problems


def _text(obj, attr: str) -> str:
    """``obj.attr`` when it is a str; '' otherwise (decided as an unplaceable link)."""
    try:
        value = getattr(obj, attr)
    except Exception:  # noqa: BLE001 - an object Warden cannot read is no URL
        return ""
    return value if type(value) is str else ""


_NOT_KNOWN = (
    "pip's {what} is not the one Warden reads ({where} is missing or not Warden's): pip would "
    "take {taken} unread; {remedy}"
)
_OTHER_PIP = "install with a pip whose internals Warden knows (pip 23.2's)"


def unchecked(options) -> str:
    """Why this pip command is refused ('' when it is not): pip as loaded now parses pages,
    downloads, builds dependencies or sources, parses requirements files or (with its cache
    on, ``options.cache_dir``) reads its HTTP cache through another function than Warden's
    wrapper."""
    import sys

    from .pip_requirements import KIND as KIND_REQUIREMENTS
    from .pip_requires import KIND as KIND_REQUIRES
    from .pip_sources import KIND as KIND_SOURCES

    wanted = [
        ("link parsing", KIND_LINKS, "pip._internal.index.collector", "parse_links",
         "the links of index pages", _OTHER_PIP),
        ("link parsing", KIND_LINKS, "pip._internal.index.package_finder", "parse_links",
         "the links of index pages", _OTHER_PIP),
        ("downloader", KIND_DOWNLOAD, "pip._internal.network.download", "_http_get_download",
         "where a redirect sends a download", _OTHER_PIP),
        # red team 43a: what the resolvers, the link collector and the command build from
        ("dependency builder", KIND_REQUIRES, "pip._internal.cli.req_command",
         "install_req_from_req_string", "a dependency's direct reference", _OTHER_PIP),
        ("source builder", KIND_SOURCES, "pip._internal.index.collector", "build_source",
         "an index location that is a local folder", _OTHER_PIP),
        ("requirements parser", KIND_REQUIREMENTS, "pip._internal.cli.req_command",
         "parse_requirements", "the names of the requirements files it reads", _OTHER_PIP),
    ]  # fmt: skip
    if getattr(options, "cache_dir", None):
        wanted.append(
            ("HTTP cache", KIND_CACHE, "pip._internal.network.cache", "SafeFileCache.get",
             "stored pages and files", "run pip with --no-cache-dir")
        )  # fmt: skip
    for what, kind, module_name, attr, taken, remedy in wanted:
        found = sys.modules.get(module_name)
        for part in attr.split("."):
            try:
                found = vars(found).get(part) if found is not None else None
            except TypeError:  # not a module or class: not pip's API as Warden knows it
                found = None
        if getattr(found, "__warden_kind__", None) != kind:
            where = f"{module_name}.{attr}"
            return _NOT_KNOWN.format(what=what, where=where, taken=taken, remedy=remedy)
    return ""

"""Where an installer will look besides its command line: environment and config files.

pip: ``PIP_INDEX_URL``, ``PIP_EXTRA_INDEX_URL``, ``PIP_FIND_LINKS``, ``PIP_NO_INDEX`` and the
config files pip reads (``PIP_CONFIG_FILE``, user, site and global ``pip.conf``; sections
``global`` and the command's own). uv: ``UV_INDEX_URL``, ``UV_DEFAULT_INDEX``,
``UV_EXTRA_INDEX_URL``, ``UV_INDEX``, ``UV_FIND_LINKS``, the files of ``UV_OVERRIDE``,
``UV_CONSTRAINT``, ``UV_BUILD_CONSTRAINT``; any other ``UV_*`` variable not known to be inert
refuses the install. conda: ``CONDA_CHANNELS`` and the
``channels:`` of ``.condarc`` files (unless ``--override-channels``).

Every index named anywhere is decided, even one that another setting would override: Warden
need not guess pip's precedence to be right. With no index named, pip and uv use PyPI
(``DEFAULT_INDEX``), which is decided like any other.
"""

import configparser
import os
import posixpath
import re
from typing import Dict, List

from . import files_read, unset
from .request import InstallRequest, Source, named_index_url

DEFAULT_INDEX = "https://pypi.org/simple"
DEFAULT_CONDA_CHANNEL = "defaults"
# the conda-like tools built on libmamba (mamba 2, micromamba): their own config file search
# path and whole-file variable expansion (read for mamba 1 too: stricter)
LIBMAMBA = ("mamba", "micromamba")


def add_implicit_sources(
    request: InstallRequest, env: Dict[str, str], program: str, cwd: str = ""
) -> None:
    cwd = cwd or os.getcwd()
    add_ca_env(request, env, cwd)
    if request.tool == "pip":
        _pip_env(request, env, cwd)
        _pip_config(request, env, program, cwd)
    if request.tool == "uv" or (request.tool == "pip" and request.also_uv):
        from . import uv_config

        no_index = request.no_index  # uv's no-index setting does not stop pip using its index
        _uv_env(request, env, cwd)
        uv_config.add_sources(request, env, cwd)
        request.no_index = no_index if request.tool == "pip" else request.no_index
    if request.tool not in ("pip", "uv"):
        _conda(request, env, program, cwd)
    if request.conda_pip:
        # conda runs `pip install` on an environment file's pip list: pip's settings apply
        _pip_env(request, env, cwd)
        _pip_config(request, env, program, cwd, "install")
    if request.tool in ("pip", "uv"):
        add_default_index(request)
        read_local_pages(request, cwd, env)


def add_default_index(request: InstallRequest, default: str = DEFAULT_INDEX) -> None:
    """pip's (and uv's) default index, decided where nothing names an index: the command line,
    the environment, a config file or a requirements file (whose ``--index-url`` replaces the
    default in pip's finder). The one rule of both readings: the parent's before pip starts
    and pip's resolved options (``resolved``, red team 54c R54c-2), where ``default`` is the
    default pip's own parser declares."""
    if request.no_index or any(s.role == "index" for s in request.sources):
        return
    request.sources.append(Source(default, "default-index", "pip's default"))


# A local index or find-links location (a folder, an HTML page, a ``file:`` URL) is read, not
# skipped (red8 R8-15): pip and uv download from the links its pages hold. Every page in it
# (any file that is not a package archive, in the folder and one level down: a find-links
# folder's pages, a simple index's ``NAME/index.html``) is read and every link that is not a
# relative or ``file:`` path is decided as a source; what cannot be read is refused.
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar", ".metadata")
_LINK = re.compile(r"""(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_JSON_URL = re.compile(r'"url"\s*:\s*"((?:[^"\\]|\\.)*)"')
_MAX_PAGES, _MAX_PAGE_BYTES = 20000, 4 << 20


def _local_paths(request: InstallRequest, source: Source, text: str, cwd: str, home: str):
    """The files the installer may open for the local source ``source`` (``text``, a path or a
    ``file:`` URL), by each installer's reading (``installer_paths.location``: ``~``, ``file:``
    forms, the requirements file's folder). None: a ``file:`` URL naming another host."""
    from . import installer_paths

    tools = installer_paths.tools_of(request)
    return installer_paths.location(text, tools, cwd, source.base, home)


def _page_links(text: str) -> List[str]:
    import html
    import json

    out = []
    for body in {text, html.unescape(text)}:
        for match in _LINK.finditer(body):
            out.append(next(g for g in match.groups() if g is not None))
        for match in _JSON_URL.finditer(body):
            try:
                out.append(json.loads(f'"{match.group(1)}"'))
            except ValueError:
                out.append(match.group(1))
    return out


def read_local_pages(request: InstallRequest, cwd: str, env=None) -> None:
    from .request import has_scheme

    env = os.environ if env is None else env
    home = env["HOME"] if unset.held(env, "HOME") else account_home()  # the installer's ``~``

    if request.child_reads:
        return  # the pip's own guard reads them when pip starts (R10-3)
    for source in list(request.sources):
        if source.role not in ("index", "extra-index", "default-index", "find-links"):
            continue
        text = source.url.strip()
        if not text:
            continue
        # a URL that exists as a path is a local folder to pip (``build_source`` tests
        # os.path.exists first: ``https://x/simple`` is ``./https:/x/simple``, R43a-5)
        remote = has_scheme(text) or "://" in text
        if remote and not text.lower().startswith("file:") and not _exists_as_path(text, cwd):
            continue
        paths = _local_paths(request, source, text, cwd, home)
        if paths is None:
            request.problems.append(
                f"local {source.role} {text[:200]} ({source.origin}) names another host; "
                "Warden cannot read it"
            )
            continue
        # named as given: a link `x.whl` to `blob` is a wheel to pip and uv (R42a-6), an
        # archive named like an sdist a candidate too (R43b-4)
        wheel_named = _offered_file(paths[0])
        pages, wheels = [], []
        for path in paths:
            if os.path.isfile(path):  # a page, or a wheel the installer takes as a candidate
                (wheels if wheel_named else pages).append(path)
            elif os.path.isdir(path):
                unread = _walk(path, pages, wheels)
                if unread:
                    request.problems.append(
                        f"cannot list {unread} in local {source.role} {text[:200]} "
                        f"({source.origin}); pip and uv still open the pages in it"
                    )
            elif os.path.lexists(path):  # neither file nor folder, or a dangling link
                request.problems.append(
                    f"local {source.role} {text[:200]} ({source.origin}) names {path}, which "
                    "Warden cannot read as a page or a folder"
                )
        if len(pages) + len(wheels) > _MAX_PAGES:
            request.problems.append(
                f"local {source.role} {text[:200]} ({source.origin}) holds more pages and wheels "
                "than Warden reads; it cannot tell where they link or what they install"
            )
            continue
        for page in sorted(pages):
            try:
                if os.path.getsize(page) > _MAX_PAGE_BYTES:
                    raise OSError("too large")
                with open(page, "rb") as handle:
                    files_read.note(page, os.fstat(handle.fileno()))
                    body = handle.read(_MAX_PAGE_BYTES).decode("utf-8", "replace")
            except OSError as exc:
                request.problems.append(
                    f"cannot read the page {page} of local {source.role} {text[:200]} "
                    f"({source.origin}): {exc}; pip and uv download from its links"
                )
                continue
            for url in _pip_links(body, page):  # what pip takes from the page
                _place_pip_link(request, url, page, wheels)
            for link in _page_links(body):  # any text that looks like a link: more remote ones
                link = link.strip()
                if not link or link.startswith("#"):
                    continue
                if (
                    (has_scheme(link) and not link.lower().startswith("file:"))
                    or link.startswith(("//", "\\\\"))
                    or "://" in link
                ):
                    request.sources.append(
                        Source(link, "find-links", f"a link on the local page {page}")
                    )
        _check_local_wheels(request, wheels, f"local {source.role} {text[:200]}")


def _exists_as_path(text: str, cwd: str) -> bool:
    try:
        return os.path.exists(os.path.join(cwd, text))
    except (OSError, ValueError):  # a NUL in the text: no path
        return False


def _walk(top: str, pages: List[str], wheels: List[str]) -> str:
    """Add the pages and wheels of the local folder ``top`` and of its folders one level down
    (a simple index's ``NAME/index.html``), following links as pip and uv open them (R42a-1)
    with a (dev, ino) guard against cycles. Returns a folder it could not list ("" when none):
    the installer may still open a page in it by name (a folder mode 0311)."""
    seen, unread = set(), []
    for root, dirs, files in os.walk(top, onerror=unread.append, followlinks=True):
        try:
            info = os.stat(root)
        except OSError as exc:
            unread.append(exc)
            break
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        if root != top:
            dirs[:] = []
        pages += [os.path.join(root, f) for f in files if not f.lower().endswith(_ARCHIVES)]
        wheels += [os.path.join(root, f) for f in files if _offered_file(f)]  # sdists too
        if len(pages) + len(wheels) > _MAX_PAGES:
            break
    if not unread:
        return ""
    return getattr(unread[0], "filename", None) or top


def _offered_file(name: str) -> bool:
    """A file the installer may take from a local folder or page: a wheel or an sdist."""
    from .offered import is_sdist

    return name.lower().endswith(".whl") or is_sdist(name)


def _check_local_wheels(request: InstallRequest, wheels: List[str], where: str) -> None:
    """A wheel or sdist a local index or find-links location holds or links to may be what the
    install takes: decided by its project and version and a wheel read as a named wheel is
    (``local_wheels.add_offered``: R43b-4, its start-up code, R34-4, its Requires-Dist,
    R40b-2)."""
    from . import local_wheels

    wheels = sorted(set(wheels))
    if len(wheels) > _MAX_PAGES:  # pages may link more wheels than the walk counted
        request.problems.append(
            f"{where} offers more wheels than Warden reads; it cannot tell what they install"
        )
        return
    for wheel in wheels:
        local_wheels.add_offered(request, wheel, where)


class _PipLinks:
    """pip's reading of a page (23.2, ``index.collector.HTMLLinkParser``): the standard
    library's ``html.parser`` with character references converted, the first ``<base>``'s
    ``href`` and every ``<a>``'s attributes. Made on the first page read (``_pip_links``)."""

    parser = None

    @classmethod
    def read(cls, body: str) -> tuple:
        if cls.parser is None:
            from html.parser import HTMLParser

            class Parser(HTMLParser):
                def __init__(self) -> None:
                    super().__init__(convert_charrefs=True)
                    self.base, self.hrefs = None, []

                def handle_starttag(self, tag, attrs) -> None:
                    if tag == "base" and self.base is None:
                        self.base = next((v for k, v in attrs if k == "href"), None)
                    elif tag == "a":
                        self.hrefs.append(dict(attrs).get("href"))

            cls.parser = Parser
        parser = cls.parser()
        parser.feed(body)
        parser.close()  # pip does not: a tag it leaves unread is read here (more links)
        return parser.base, parser.hrefs


def _pip_links(body: str, page: str) -> List[str]:
    """Every link of the local page ``page`` as pip resolves it (red team 41a R41a-2; pip 23.2
    ``collector.parse_links``, ``Link.from_element``): an anchor's non-empty ``href`` joined
    (``urljoin``) to the page's first ``<base href>`` when that is not empty, else to the
    page's own ``file:`` URL (``path_to_url``)."""
    from urllib.parse import quote, urljoin

    base, hrefs = _PipLinks.read(body)
    base = base or "file://" + quote(os.path.abspath(page))
    return [urljoin(base, href) for href in hrefs if href]


def _place_pip_link(request: InstallRequest, url: str, page: str, wheels: List[str]) -> None:
    """A link pip resolved from a local page (``_pip_links``): another host's is decided as a
    source; a local wheel's or sdist's file (its path unquoted, as pip's ``url_to_path``) is
    decided with the folder's (``wheels``); one Warden cannot place on a file is refused. A
    local sdist is not opened (its build code runs when it is installed: the threat model's
    local sdists), only placed by its file name (R43b-4)."""
    from urllib.parse import unquote, urlsplit

    where = f"a link on the local page {page}"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme and scheme != "file":
        request.sources.append(Source(url, "find-links", where))
        return
    if not scheme or parts.netloc.lower() not in ("", "localhost"):
        request.problems.append(
            f"{where}, {url[:200]}, is relative to a base that names no file or names another "
            "host: Warden cannot tell which file pip takes; write the link as a path beside "
            "the page or a file: URL"
        )
        return
    path = unquote(parts.path)
    if not _offered_file(posixpath.basename(path.rstrip("/"))):
        return
    if os.path.isfile(path):  # a wheel's PEP 658 sidecar is read with it (``add_offered``)
        wheels.append(path)
        return
    request.problems.append(
        f"{where} names the file {url[:200]}, which Warden cannot place on a file (pip joins "
        "a page's links to its first <base href> and unquotes them): fix or remove the link"
    )


# Where the TLS libraries the installers use take their trust roots from besides the system's:
# requests (pip, conda) REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE; OpenSSL (pip's truststore,
# Python's ssl) and uv (rustls) SSL_CERT_FILE and SSL_CERT_DIR. A proxy (HTTPS_PROXY) alone is
# ordinary and stays allowed: it can read a download only when certificates are not checked or
# are checked against roots it chose, which is what these settings (and ``--trusted-host``,
# ``--cert``, ``--allow-insecure-host``) do. uv's UV_SYSTEM_CERTS/UV_NATIVE_TLS (the machine's
# own store, root-owned) are inert.
CA_VARS = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


def add_ca(request: InstallRequest, value: str, origin: str, cwd: str) -> None:
    """A CA path, compared as written with the system's and the policy's (``ca_allowed``).
    ``.`` and doubled slashes are folded away; a ``..`` is not: the kernel reads it after
    the link before it (``/tmp/l/../../etc/ssl/cert.pem`` with ``l`` a link is a file of the
    cell's, though its text folds to a system path), so such a path is kept as written and
    matches no listed one."""
    if value.strip():
        path = os.path.join(cwd, value.strip())
        if ".." not in path.split("/"):
            path = os.path.normpath(path)
        request.tls.append(("ca", path, origin))


def add_ca_env(request: InstallRequest, env: Dict[str, str], cwd: str) -> None:
    for var in CA_VARS:
        add_ca(request, env.get(var, ""), f"environment variable {var}", cwd)


def _split(value: str) -> List[str]:
    return [v for v in value.replace(",", " ").split() if v]


def split_setting(value: str, delimiter) -> List[str]:
    """A source setting's pieces, split only where the tool splits it (red8 R8-1): a ``,`` is
    part of a URL's user info to pip and uv (``https://a.org,@evil/simple`` reaches evil), so
    a value the tool reads as one URL is decided as one. ``delimiter``: None (one value),
    ``" "`` (blanks: pip's list options, uv's ``value_delimiter = ' '``) or ``","``."""
    if delimiter is None:
        return [value.strip()] if value.strip() else []
    if delimiter == " ":
        return value.split()
    return [v.strip() for v in value.split(delimiter) if v.strip()]


# how pip splits a list option from the environment or pip.conf (``split()``); index-url is one
_PIP_DELIMITER = {"index-url": None, "extra-index-url": " ", "find-links": " "}


# pip settings (``PIP_<NAME>`` and pip.conf keys) by pip's option name. pip takes ANY option from
# there: ``PIP_Index_Url``, ``PIP_INDEX-URL`` and ``index_url =`` all set ``--index-url``.
_SOURCE_KEYS = {"index-url": "index", "extra-index-url": "extra-index", "find-links": "find-links"}
# options that change neither what is installed nor where it comes from; any other setting
# Warden does not read refuses the install (fail closed) rather than being guessed at. Those
# that change which release is taken (pre, prefer-binary...) are read by preference.py (R43b-1).
_INERT_KEYS = frozenset(
    (
        "no-cache-dir", "cache-dir", "disable-pip-version-check", "no-input", "quiet", "verbose",
        "timeout", "default-timeout", "retries", "progress-bar", "root-user-action", "no-color",
        "no-warn-script-location", "no-warn-conflicts", "require-virtualenv",
        "break-system-packages", "client-cert", "proxy",
        "keyring-provider", "log", "log-file", "no-python-version-warning", "target", "user",
        "prefix", "root", "upgrade", "upgrade-strategy", "no-deps", "pre", "prefer-binary",
        "only-binary", "no-binary", "require-hashes", "no-compile", "compile", "exists-action",
        "src", "isolated", "config-file", "version", "help", "force-reinstall",
        "ignore-installed", "no-build-isolation", "use-pep517", "no-clean", "dry-run",
        "use-feature", "use-deprecated", "format", "platform", "python-version",
        "implementation", "abi", "ignore-requires-python",
        # pip's own build-dependency install (an isolated build) passes these to its child pip
        "no-user", "build-tracker",
    )
)  # fmt: skip
_TRUE = ("1", "true", "yes", "on", "y", "t")


def pip_key(name: str) -> str:
    """pip's option name for an environment or config key (pip's ``_normalize_name``)."""
    name = name.lower().replace("_", "-")
    return name[2:] if name.startswith("--") else name


def _pip_setting(request, key: str, value: str, origin: str, cwd: str, env) -> None:
    from . import preference, requirements

    preference.note(request, "pip", key, value, origin)  # --pre, --prefer-binary (R43b-1)
    if key in _SOURCE_KEYS:
        for url in split_setting(value, _PIP_DELIMITER[key]):
            request.sources.append(Source(url, _SOURCE_KEYS[key], origin))
    elif key == "no-index":
        request.no_index = request.no_index or value.strip().lower() in _TRUE
    elif key == "trusted-host":
        for host in value.split():
            request.tls.append(("insecure-host", host, origin))
    elif key == "cert":
        add_ca(request, value, origin, cwd)
    elif key in ("requirement", "constraint"):
        for path in value.split():
            requirements.read_file(request, path, cwd, env, constraint=key == "constraint")
    elif key == "editable":
        for spec in value.split():
            request.requirements.append(requirements.parse_requirement(spec, origin))
    elif key not in _INERT_KEYS:
        request.problems.append(
            f"pip setting '{key}' ({origin}) is one Warden does not read; remove it or pass "
            "the option on the command line"
        )


def _pip_env(request, env, cwd) -> None:
    # pip: every ``PIP_`` variable (prefix as written), the rest lower-cased, ``_`` -> ``-``
    for var in sorted(env):
        if var.startswith("PIP_") and len(var) > 4:
            _pip_setting(
                request, pip_key(var[4:]), env[var], f"environment variable {var}", cwd, env
            )


def pip_config_files(env: Dict[str, str], program: str, cwd: str = "") -> List[str]:
    """pip's config files, lowest priority first (pip's ``get_configuration_files``), as the
    pip started with ``env`` in ``cwd`` finds them, where pip versions differ each place any
    of them reads (more files read costs a refusal at worst). A relative path (PIP_CONFIG_FILE,
    an XDG folder, a relative or empty HOME, an empty XDG_CONFIG_DIRS entry) is opened by the
    pip from the folder it starts in (R14-26), not this process's; ``~`` is expanded with the
    pip's HOME (empty: ``/``); a blank XDG_CONFIG_HOME or XDG_CONFIG_DIRS is its default to
    platformdirs (red team 37c R37c-1)."""
    here = cwd or os.getcwd()
    config_file = env.get("PIP_CONFIG_FILE")
    if config_file == os.devnull:
        return []
    if config_file:
        config_file = os.path.join(here, config_file)
    dirs = env.get("XDG_CONFIG_DIRS", "")
    given = dirs.split(os.pathsep) if "XDG_CONFIG_DIRS" in env else []
    default = ["/etc/xdg"] if not dirs.strip() else []
    files = [
        os.path.join(here, d, "pip", "pip.conf")
        for d in _distinct(_as_given_and_expanded(given, env) + default)
    ] + ["/etc/pip.conf"]
    files += [os.path.join(here, _expand_user("~/.pip/pip.conf", env))]
    home = env.get("XDG_CONFIG_HOME", "")
    default = ["~/.config"] if not home.strip() else []
    given = [home] if home else []
    files += [
        os.path.join(here, d, "pip", "pip.conf")
        for d in _distinct(_as_given_and_expanded(given + default, env))
    ]
    files += [os.path.join(p, "pip.conf") for p in _pip_prefixes(env, program, here)]
    if config_file:
        files.append(config_file)
    return files


def _distinct(items: List[str]) -> List[str]:
    return list(dict.fromkeys(items))


def _as_given_and_expanded(paths: List[str], env: Dict[str, str]) -> List[str]:
    """Each path as written (``~x`` kept by a pip that does not expand it) and with ``~``
    expanded (platformdirs expands XDG_CONFIG_DIRS's, older appdirs XDG_CONFIG_HOME's)."""
    found = []
    for path in paths:
        found += [path, _expand_user(path, env)] if path.startswith("~") else [path]
    return found


def _expand_user(path: str, env: Dict[str, str]) -> str:
    """``os.path.expanduser`` as the pip's Python runs it with ``env``: ``~`` is its HOME as
    set (empty: ``/``), the account's home when HOME is unset; ``~user`` from the password
    database."""
    if not path.startswith("~"):
        return path
    cut = path.find("/")
    cut = len(path) if cut < 0 else cut
    if cut > 1:
        return os.path.expanduser(path)
    home = env["HOME"] if unset.held(env, "HOME") else account_home()
    return (home.rstrip("/") + path[cut:]) or "/"


def account_home() -> str:
    """The account's home in the password database: where ``~`` is with HOME unset."""
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:
        return os.path.expanduser("~")


def _pip_prefixes(env: Dict[str, str], program: str, here: str) -> List[str]:
    """The prefixes whose ``pip.conf`` the started pip may read as its site config
    (``sys.prefix``): VIRTUAL_ENV's, this kernel's, and the program's own, found as the start
    finds it (a bare name on the start's PATH, a relative path from the start's folder: red
    team 37c R37c-2), by its path (a venv's ``bin/python`` link) and by its real file."""
    import shutil

    from .own_python import OWN  # as the guard installed: a cell may assign sys.prefix

    prefixes = {env.get("VIRTUAL_ENV") or "", OWN.prefix}
    if os.sep in program:
        found = os.path.join(here, program)
    else:
        path = env["PATH"] if "PATH" in env else os.environ.get("PATH", os.defpath)
        search = os.pathsep.join(os.path.join(here, d) for d in path.split(os.pathsep))
        found = shutil.which(program, path=search) or ""
    for place in (found, os.path.realpath(found)) if found else ():
        prefixes.add(os.path.dirname(os.path.dirname(os.path.abspath(place))))
    return [p for p in sorted(prefixes) if p]


def _pip_config(request, env, program, cwd, command=None) -> None:
    command = command or request.command.split()[-1]
    if request.command.startswith("pipx ") and command != "runpip":
        command = "install"  # pipx install|inject|upgrade|run run `pip install`
    extra = request.pip_config_extra if env.get("PIP_CONFIG_FILE") != os.devnull else []
    for path in pip_config_files(env, program, cwd) + extra:
        if not os.path.isfile(path):
            continue
        parser = configparser.RawConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError) as exc:
            request.problems.append(f"cannot read pip config {path}: {exc.__class__.__name__}")
            continue
        for section in ("global", command):
            if not parser.has_section(section):
                continue
            for key, value in parser.items(section):
                origin = f"pip config {path} [{section}]"
                _pip_setting(request, pip_key(key), value or "", origin, cwd, env)


# uv's environment variables (uv's "Environment variables" reference), each decided
# consciously: read here (sources, files of requirements), read elsewhere (config files,
# directories), or inert (they change neither what is installed nor where it comes from).
# Any other ``UV_*`` variable refuses the install (deny by default), as pip settings do.
# (variable, role, how uv splits it: its clap ``value_delimiter``)
_UV_SOURCE_VARS = (
    ("UV_INDEX_URL", "index", None),
    ("UV_DEFAULT_INDEX", "index", None),
    ("UV_EXTRA_INDEX_URL", "extra-index", " "),
    ("UV_INDEX", "extra-index", " "),
    ("UV_FIND_LINKS", "find-links", ","),
)
# space-separated files, read like --override / --constraint / --build-constraint files
_UV_FILE_VARS = ("UV_OVERRIDE", "UV_CONSTRAINT", "UV_BUILD_CONSTRAINT")
# UV_ENV_FILE: uv run's dotenv files (gate.py); UV_VENV_SEED: uv venv's seeding (arguments.py);
# UV_INSECURE_HOST: a TLS setting (_uv_env below)
# (UV_NO_INDEX is no uv variable: uv 0.13.9's --no-index has none and uv uses the index under
# it, so it is refused like any unknown one: red8 R8-9)
_UV_READ_ELSEWHERE = (
    "UV_CONFIG_FILE",
    "UV_NO_CONFIG",
    "UV_INSECURE_HOST",
    "UV_ENV_FILE",
    "UV_VENV_SEED",
)
# uv_request refuses these for a uv command; for pipx's uv they are refused here
_UV_DIRECTORY_VARS = ("UV_PROJECT", "UV_WORKING_DIR")
UV_INERT_VARS = frozenset(
    (
        # caches, output, concurrency, network tuning (pip's cache-dir, timeout, proxy...)
        "UV_CACHE_DIR", "UV_NO_CACHE", "UV_LINK_MODE", "UV_COMPILE_BYTECODE", "UV_NO_PROGRESS",
        "UV_NO_WRAP", "UV_LOG_CONTEXT", "UV_STACK_SIZE", "UV_CONCURRENT_DOWNLOADS",
        "UV_CONCURRENT_BUILDS", "UV_CONCURRENT_INSTALLS", "UV_HTTP_TIMEOUT",
        "UV_REQUEST_TIMEOUT", "UV_HTTP_RETRIES", "UV_OFFLINE", "UV_NATIVE_TLS",
        "UV_SYSTEM_CERTS", "UV_KEYRING_PROVIDER", "UV_CREDENTIALS_DIR",
        "UV_GITHUB_TOKEN", "UV_NO_HF_TOKEN", "UV_S3_ENDPOINT_URL", "UV_GCS_ENDPOINT_URL",
        "UV_AZURE_ENDPOINT_URL", "UV_MALWARE_CHECK",
        # resolution choices among sources Warden already decides in full (every index named
        # is decided, so the strategy between them does not matter); those that change which
        # release is taken are read by preference.py for the advisories (R43b-1)
        "UV_INDEX_STRATEGY", "UV_RESOLUTION", "UV_PRERELEASE", "UV_FORK_STRATEGY",
        "UV_EXCLUDE_NEWER", "UV_EXCLUDE", "UV_NO_BINARY", "UV_NO_BINARY_PACKAGE",
        "UV_NO_BUILD", "UV_NO_BUILD_PACKAGE", "UV_NO_BUILD_ISOLATION",
        "UV_NO_BUILD_ISOLATION_PACKAGE", "UV_REQUIRE_HASHES", "UV_NO_VERIFY_HASHES",
        "UV_NO_SOURCES", "UV_NO_SOURCES_PACKAGE", "UV_NO_EDITABLE", "UV_UPGRADE",
        "UV_UPGRADE_PACKAGE", "UV_REINSTALL", "UV_REINSTALL_PACKAGE",
        # project and sync modes (what is installed is decided from the project's files)
        "UV_FROZEN", "UV_LOCKED", "UV_NO_SYNC", "UV_NO_DEV", "UV_DEV", "UV_NO_GROUP",
        "UV_NO_DEFAULT_GROUPS", "UV_NO_INSTALL_PROJECT", "UV_NO_INSTALL_WORKSPACE",
        "UV_NO_INSTALL_LOCAL", "UV_NO_INSTALLER_METADATA", "UV_ISOLATED",
        "UV_SHOW_RESOLUTION", "UV_PREVIEW", "UV_PREVIEW_FEATURES", "UV_NO_ENV_FILE",
        "UV_RUN_RECURSION_DEPTH", "UV_CUSTOM_COMPILE_COMMAND", "UV_INIT_BUILD_BACKEND",
        "UV_VENV_CLEAR", "UV_VENV_RELOCATABLE",
        # where things go and which interpreter (pip's target, prefix, python-version); an
        # interpreter download's mirror is NOT inert (below: not listed)
        "UV_PYTHON", "UV_PYTHON_PREFERENCE", "UV_MANAGED_PYTHON", "UV_NO_MANAGED_PYTHON",
        "UV_PYTHON_DOWNLOADS", "UV_PYTHON_INSTALL_DIR", "UV_PYTHON_BIN_DIR",
        "UV_PYTHON_INSTALL_BIN", "UV_PYTHON_INSTALL_REGISTRY", "UV_PYTHON_CACHE_DIR",
        "UV_PYTHON_SEARCH_PATH", "UV_SYSTEM_PYTHON", "UV_BREAK_SYSTEM_PACKAGES",
        "UV_PROJECT_ENVIRONMENT", "UV_TOOL_DIR", "UV_TOOL_BIN_DIR", "UV_UNMANAGED_INSTALL",
        "UV_INSTALL_DIR", "UV_NO_MODIFY_PATH", "UV_CUDA_DRIVER_VERSION",
        "UV_AMD_GPU_ARCHITECTURE",
    )
)  # fmt: skip
# Not inert on purpose: UV_TORCH_BACKEND (adds PyTorch's indexes), UV_PYTHON_INSTALL_MIRROR,
# UV_PYPY_INSTALL_MIRROR, UV_PYTHON_DOWNLOADS_JSON_URL, UV_ASTRAL_MIRROR_URL (where an
# interpreter is downloaded from), UV_INSECURE_NO_ZIP_VALIDATION,
# UV_SKIP_WHEEL_FILENAME_CHECK (a wheel may then be read differently than it installs).
_UV_INERT_VAR = re.compile(r"UV_INDEX_\w+_(USERNAME|PASSWORD)|UV_INTERNAL__\w*|UV_PUBLISH_\w+")


def uv_variable_problem(var: str) -> str:
    return (
        f"uv environment variable {var} is one Warden does not read; unset it or pass the "
        "option on the command line"
    )


def _uv_env(request, env, cwd) -> None:
    from . import preference
    from .arguments import uv_read_file

    for var, key in preference.UV_VARS.items():  # inert for sources, not for versions (R43b-1)
        if env.get(var, "").strip():
            preference.note(request, "uv", key, env[var], f"environment variable {var}")
    for var, role, delimiter in _UV_SOURCE_VARS:
        for url in split_setting(env.get(var, ""), delimiter):
            url = named_index_url(url)  # UV_INDEX, UV_DEFAULT_INDEX: [name=]url
            request.sources.append(Source(url, role, f"environment variable {var}"))
    for host in _split(env.get("UV_INSECURE_HOST", "")):
        request.tls.append(("insecure-host", host, "environment variable UV_INSECURE_HOST"))
    for var in _UV_FILE_VARS:
        for path in env.get(var, "").split():
            uv_read_file(request, path, cwd, env, constraint=True)
    known = {v for v, _, _ in _UV_SOURCE_VARS} | set(_UV_FILE_VARS) | set(_UV_READ_ELSEWHERE)
    if request.tool == "uv":
        known |= set(_UV_DIRECTORY_VARS)
    for var in sorted(env):
        if (
            var.startswith("UV_")
            and env[var].strip()
            and var not in known
            and var not in UV_INERT_VARS
            and not _UV_INERT_VAR.fullmatch(var)
        ):
            request.problems.append(uv_variable_problem(var))


# conda's and mamba's environment variables (conda reads any setting from CONDA_<KEY>, mamba
# from MAMBA_<KEY>), each decided consciously: read here or elsewhere, or inert (they change
# neither what is installed nor where it comes from). Any other ``CONDA_*``/``MAMBA_*``
# variable refuses the install (deny by default, as for ``UV_*``): the channel settings
# (CHANNEL_ALIAS, DEFAULT_CHANNELS, CUSTOM_CHANNELS, ...), the specs added to installs
# (PINNED_PACKAGES, CREATE_DEFAULT_PACKAGES, ...), the package cache conda trusts
# (PKGS_DIRS: red8 L8-5), OFFLINE, REPODATA_FNS, CHANNEL_SETTINGS, ENVS_DIRS (where -n
# points, whose config files libmamba reads) and every setting not listed.
_CONDA_READ_VARS = frozenset(
    (
        "CONDA_CHANNELS", "CONDA_SSL_VERIFY", "MAMBA_SSL_VERIFY", "MAMBA_CACERT_PATH",
        "CONDA_ROOT", "CONDA_PREFIX", "MAMBA_ROOT_PREFIX",
    )
)  # fmt: skip
CONDA_INERT_VARS = frozenset(
    (
        # what activation sets (the active environment, the conda program, the prompt)
        "CONDA_DEFAULT_ENV", "CONDA_EXE", "CONDA_PYTHON_EXE", "CONDA_SHLVL",
        "CONDA_PROMPT_MODIFIER", "MAMBA_EXE", "CONDA_CHANGEPS1", "CONDA_AUTO_ACTIVATE_BASE",
        "CONDA_AUTO_ACTIVATE",
        # where Jupyter's docker-stacks and repo2docker images installed conda (no setting)
        "CONDA_DIR",
        # conda-forge's compiler activation scripts
        "CONDA_BUILD_SYSROOT", "CONDA_TOOLCHAIN_HOST", "CONDA_TOOLCHAIN_BUILD",
        "CONDA_MKL_INTERFACE_LAYER_BACKUP",
        # output, prompts, notices, logging
        "CONDA_ALWAYS_YES", "MAMBA_ALWAYS_YES", "CONDA_QUIET", "CONDA_JSON", "CONDA_VERBOSITY",
        "CONDA_DRY_RUN", "MAMBA_NO_BANNER", "MAMBA_NO_PROMPT", "CONDA_NUMBER_CHANNEL_NOTICES",
        "CONDA_NOTIFY_OUTDATED_CONDA", "CONDA_AUTO_UPDATE_CONDA", "CONDA_REPORT_ERRORS",
        "MAMBA_LOG_LEVEL", "MAMBA_NO_RC",  # --no-rc is not honoured: every file is read
        # network tuning (no new host, no certificate change)
        "CONDA_REMOTE_CONNECT_TIMEOUT_SECS", "CONDA_REMOTE_READ_TIMEOUT_SECS",
        "CONDA_REMOTE_MAX_RETRIES", "CONDA_REMOTE_BACKOFF_FACTOR",
        # choices among the channels Warden decides in full, and stricter checks
        "CONDA_CHANNEL_PRIORITY", "CONDA_SOLVER", "CONDA_SUBDIR", "CONDA_SAFETY_CHECKS",
        "CONDA_EXTRA_SAFETY_CHECKS", "CONDA_UPDATE_MODIFIER", "CONDA_DEPS_MODIFIER",
    )
)  # fmt: skip
# the prefixes of stacked activation, the variables activation saves and restores, and the
# virtual-package overrides (which builds fit this machine, from the decided channels)
_CONDA_INERT_VAR = re.compile(r"CONDA_PREFIX_\d+|CONDA_BACKUP_\w+|CONDA_OVERRIDE_\w+")


def conda_variable_problem(var: str) -> str:
    return (
        f"environment variable {var} is a conda/mamba setting Warden does not read (it may "
        "change conda's channels, its package cache or the packages it adds): unset it"
    )


def conda_ssl_verify(request, value: str, origin: str, cwd: str) -> None:
    """conda's ``ssl_verify``: true (the default), false (no certificate checked: every host
    insecure), or the path of a CA bundle (``truststore`` is the system's store)."""
    text = value.strip().strip("'\"")
    if not text or text.lower() in ("true", "yes", "on", "1", "truststore"):
        return
    if text.lower() in ("false", "no", "off", "0"):
        request.tls.append(("insecure-host", "*", origin))
    else:
        add_ca(request, text, origin, cwd)


def _conda(request, env, program: str, start: str) -> None:
    from . import condarc

    cwd = env.get("PWD") or os.getcwd()
    for var in ("CONDA_SSL_VERIFY", "MAMBA_SSL_VERIFY"):
        conda_ssl_verify(request, env.get(var, ""), f"environment variable {var}", cwd)
    add_ca(request, env.get("MAMBA_CACERT_PATH", ""), "environment variable MAMBA_CACERT_PATH", cwd)
    for rc in condarc.files(env, program, request, start):
        conda_ssl_verify(
            request, condarc.ssl_verify(rc, request.problems), f"conda config {rc}", cwd
        )
    if request.override_channels and not any(s.role == "channel" for s in request.sources):
        request.problems.append("--override-channels without any -c channel")
    if not request.override_channels:
        for channel in _split(env.get("CONDA_CHANNELS", "")):
            request.sources.append(
                Source(channel, "channel", "environment variable CONDA_CHANNELS")
            )
    # --override-channels drops the configured channel list only: an alias or custom channel
    # still says where the -c names point, so the settings and config files are read anyway
    for var in sorted(env):
        if (
            var.startswith(("CONDA_", "MAMBA_"))
            and env[var].strip()
            and var not in _CONDA_READ_VARS
            and var not in CONDA_INERT_VARS
            and not _CONDA_INERT_VAR.fullmatch(var)
        ):
            request.problems.append(conda_variable_problem(var))
    if request.tool in LIBMAMBA and request.conda_env_names:
        for rc in condarc.files(env, program, request, start):
            if condarc.sets_envs_dirs(rc, request.problems):
                request.problems.append(
                    f"conda config {rc} sets envs_dirs: Warden does not follow where -n "
                    "NAME points (that environment's config files are read by mamba)"
                )
    found_channels = False
    for rc in condarc.files(env, program, request, start):
        channels = condarc.channels(rc, request.problems, request.tool in LIBMAMBA)
        found_channels = found_channels or bool(channels)
        for channel in channels:
            request.sources.append(Source(channel, "channel", f"conda config {rc}"))
    if not found_channels and not request.override_channels:
        request.sources.append(Source(DEFAULT_CONDA_CHANNEL, "channel", "conda's default"))

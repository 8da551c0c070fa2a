"""uv runs without its persistent cache under Warden (red team 40b R40b-3).

Warden decides an index by its URL and trusts what uv then gets from it. But uv answers an
index page (and serves wheels, built wheels, git checkouts) from its cache folder while the
stored response says it is fresh, and that folder (``~/.cache/uv``, ``$XDG_CACHE_HOME/uv``,
``--cache-dir``, ``UV_CACHE_DIR``) is a file input a cell can write: a cache built against a
server posing as a trusted index makes uv install from any host its pages link to, while the
line names only that index. Telling uv-written cache files from a cell's would need every
writer into every folder uv may take as its cache watched; instead uv is run with no cache at
all: ``UV_NO_CACHE=1`` (uv then uses a new temporary folder, whatever ``--cache-dir``,
``UV_CACHE_DIR`` or ``no-cache = false`` in a config file say; uv has no option undoing it).

- ``keep_off`` sets it in the environment of every guarded Python as its guard is installed,
  so the ordinary ``uv pip install x`` (``!uv ...``, ``subprocess.run(["uv", ...])``) inherits
  it and runs as before, only without reusing downloads;
- a start given its own ``env=`` that does not set it gets it (``GIVEN_ENV_DEFAULTS``, handed
  on by ``child_path.rerouter`` with the guard's own variables, before the start's audit
  event, so the gate decides the environment the child gets): the common
  ``subprocess.run(["uv", ...], env={"PATH": ...})`` runs as before;
- ``problem`` refuses a uv start whose environment still does not carry a true value (a cell
  that removed it from the kernel's environment, ``UV_NO_CACHE=0 uv ...``, an ``env=`` that
  sets it to a false value, a start whose children the launch does not guard, so nothing is
  handed on), unless its leading options say ``--no-cache`` / ``-n``.

The admin may allow uv's cache (``dependencies.uv_cache: "allowed"``, ``cache_allowed``): then
none of this applies, and the admin accepts that a cell which writes uv's cache folder chooses
what uv installs from a trusted index. Only the lab's policy says so: a user's settings and an
in-kernel ``install(policy)`` can only tighten (``decide.looser``).
"""

import os

UV_NO_CACHE_ENV = "UV_NO_CACHE"
# the values uv reads as true (clap's BoolishValueParser, case-insensitive); any other value
# is false or an error for uv: not accepted
_TRUE = frozenset(("y", "yes", "t", "true", "on", "1"))
_NO_CACHE_WORDS = frozenset(("--no-cache", "--no-cache-dir", "-n"))
# what a start's own env= gets when it does not set the name (``child_path.guarded_env``)
GIVEN_ENV_DEFAULTS = ((UV_NO_CACHE_ENV, "1"),)
ALLOWED = "allowed"  # dependencies.uv_cache; "off" (the default) keeps uv off its cache


def cache_allowed(policy) -> bool:
    """Whether ``policy`` (the lab's, as the guard holds it) lets uv use its cache: only an
    explicit ``dependencies.uv_cache: "allowed"``; absent, unreadable or anything else: no."""
    section = policy.get("dependencies") if type(policy) is dict else None
    return type(section) is dict and section.get("uv_cache") == ALLOWED


def keep_off(environ=os.environ) -> None:
    """Run every uv this Python starts without uv's persistent cache (see the module doc)."""
    if (environ.get(UV_NO_CACHE_ENV) or "").lower() not in _TRUE:
        environ[UV_NO_CACHE_ENV] = "1"


def problem(args, env) -> str:
    """Why the uv start ``args`` (the words after the program), which may install, is refused
    ('' when uv runs with no cache): its environment's ``UV_NO_CACHE`` is not true and its
    leading options (before its command, read as uv reads them) hold no ``--no-cache``."""
    if (env.get(UV_NO_CACHE_ENV) or "").lower() in _TRUE:
        return ""
    from . import arguments
    from .request import InstallRequest

    leading = args[: arguments.subcommand_start(args, arguments.UV_VALUED, arguments.UV_COMMANDS)]
    scratch = InstallRequest("uv", "uv")
    names = {
        name for name, _ in arguments._option_words(scratch, "uv", leading, arguments.UV_VALUED)
    }
    if not scratch.problems and _NO_CACHE_WORDS.intersection(names):
        return ""
    return (
        "uv would answer from its cache folder, which a cell can write (a cached index page "
        "can send uv to any host), and Warden cannot tell what is in it. Warden runs uv with "
        f"{UV_NO_CACHE_ENV}=1 (set in the kernel's environment, and given to a start's own "
        "env= that does not set it): keep it (do not remove it or set it to a false value), "
        "or run `uv --no-cache ...`; your admin may allow uv's cache (dependencies.uv_cache)"
    )

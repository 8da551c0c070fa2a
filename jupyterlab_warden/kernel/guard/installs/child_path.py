"""The environment a guarded Python's children start with: always one that loads the guard
(red team 28a R28a-1, 28c R28c-3).

A Python imports ``encodings``, a ``.pth`` line's modules and ``sitecustomize`` from its
PYTHONPATH folders while it starts, before any guard. A start whose PYTHONPATH does not put the
guard's folder first (torch gives its helpers ``PYTHONPATH=os.pathsep.join(sys.path)``; a cell
passes ``env=dict(os.environ, PYTHONPATH='src')`` or an ``env`` without it) would start
without the guard, and reading its folders or its script when the start is decided cannot
hold: ``Popen`` returns once the child has exec'd, and the cell's next line writes
``sitecustomize.py`` (or rewrites the script) before the child reaches ``site`` (R28a-1: 6 of
6 runs; R28c-3: 3 of 3). So such a start is not decided on those files at all:

- the child gets the guard's folder (and the folders this kernel was launched with) as its
  PYTHONPATH, and the PYTHONPATH it was given in ``DEFERRED_PYTHONPATH_ENV``, which its boot
  puts back at the front of ``sys.path`` once its guard is installed (``site_boot._in_front``),
  where a ``sitecustomize`` there is chained: its code finds its modules where it asked;
- the Warden variables the guard reads (``HANDED_ON``) are the ones this process was started
  with: the lab's policy, its digest, the event spool; never a key or an update file, which
  are the kernel's alone;
- a start given its own ``env`` that does not set ``UV_NO_CACHE`` gets ``UV_NO_CACHE=1``
  (``uv_cache.GIVEN_ENV_DEFAULTS``), as every guarded Python keeps it, unless the policy the
  guard holds allows uv's cache; a value the start sets is left as it is (the gate decides it).

The child then decides its own installs. Rewritten: ``subprocess.Popen`` starts (``preexec.py``
wraps ``Popen._execute_child`` before the environment is copied) and ``os.posix_spawn``,
``os.posix_spawnp`` and ``os.execve`` (through which ``os.exec*e``, ``os.spawn*e`` run), which
convert their ``env`` before their audit event. A start Warden cannot rewrite (``posix``'s own
functions, a shell line's own ``PYTHONPATH=`` assignment, ``python -I``) is decided as it is.

Starts that inherit the C environ unrewritten (``os.system``, IPython's ``!`` through pexpect's
fork and ``os.execv``, ``os.spawnv``, multiprocessing's spawn and forkserver, loky, any C
extension) could only be checked when they start, which cannot hold either (red team 31 R31-1:
a thread writes ``d/_distutils_hack.py`` between the check and the child's exec). So the C
environ itself is kept in this form (``environ_writer``): ``os.putenv``/``os.unsetenv``, which
``os.environ``'s writes call, write a PYTHONPATH that does not keep the guard as
``deferred``'s, with the value asked for in ``DEFERRED_PYTHONPATH_ENV``, while ``os.environ``
keeps the notebook's value. Every inherited start then hands on a guarded environment; a
PYTHONPATH written past the wrappers (``posix.putenv``) is refused by the gate
(``InstallGate.environ_changed``).
"""

from __future__ import annotations

import os

from ...environ import (
    DEFERRED_PYTHONPATH_ENV,
    EVENT_SPOOL_ENV,
    KERNEL_KEY_ENV,
    KERNEL_UPDATE_ENV,
    POLICY_DIGEST_ENV,
    POLICY_FILE_ENV,
    TREE_MOUNTS_ENV,
    TREE_STARTED_ENV,
)
from .uv_cache import GIVEN_ENV_DEFAULTS, UV_NO_CACHE_ENV
from .uv_cache import cache_allowed as uv_cache_allowed

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: the os wrappers load this module at interpreter start
    from typing import Callable, Mapping, Optional

# The Warden variables a child's guard reads, handed on as this process started with them
# (``commands.LaunchGuard.handed``): None there means absent (the key and update file are popped
# at the guard's install, so no child ever gets them).
HANDED_ON = (
    POLICY_FILE_ENV, POLICY_DIGEST_ENV, EVENT_SPOOL_ENV, TREE_STARTED_ENV, TREE_MOUNTS_ENV,
    KERNEL_KEY_ENV, KERNEL_UPDATE_ENV,
)  # fmt: skip


def rerouter(state) -> Callable[[Optional[Mapping]], Optional[Mapping]]:
    """``reroute(env)`` for a start's ``env`` (None: inherited, the C environ as the gate keeps
    it): ``env`` itself when the child it gives loads the guard with this process's Warden
    variables, else a dict that does (``guarded_env``). A bytes PYTHONPATH is read decoded
    (red team 29b R29b-1). A given ``env`` that does not set ``UV_NO_CACHE`` gets it
    (``uv_cache``) unless the policy the guard holds (``state.policy``) allows uv's cache: read
    unsealed, since the gate decides the start on the sealed one and refuses what it refuses.
    The common start pays seven lookups and a comparison (``settled``: the last values that
    needed nothing; ``settled_open``: the policy they needed nothing under, when that was for
    want of ``UV_NO_CACHE`` alone)."""
    settled = [None]
    settled_open = [None]
    unguarded = [False]  # the launch hands no guard on: fixed for the process (gate.launch)
    # (the gate's InheritedEnviron, its version) when the inherited environment last needed
    # nothing: its values change only with its version, the launch not at all, so a start that
    # inherits it at that version needs nothing either (the common start: one comparison)
    inherited_settled = [None]

    def reroute(env):
        if unguarded[0]:
            return env
        gate = getattr(state, "installs", None)
        if env is None:
            # what the child inherits is the C environ (os.putenv changes it alone, red team
            # 29b R29b-2), which the gate keeps: read, and rewritten, as the child gets it
            source = getattr(gate, "inherited", None)
            if source is None or source.unknown:
                return env  # a change Warden could not read: the gate refuses the start
            held = inherited_settled[0]
            if held is not None and held[0] is source and held[1] == source.version:
                return env
            version = source.version  # before the reading: a change during it is seen
        elif type(env) is dict or env is os.environ:
            # os.environ given as env= is what the child gets, read through its own mapping
            # (red team 30 R30-1: it passed unrewritten, and the gate accepts it as read)
            source = env
        else:
            # another mapping may answer one reading otherwise than the next (its get() or
            # decoders, red team 10 R10-11): the gate refuses it, unread, as it is
            return env
        try:
            value = source.get("PYTHONPATH")
            handed = tuple([source.get(name) for name in HANDED_ON])
            uv = source.get(UV_NO_CACHE_ENV)
        except Exception:  # noqa: BLE001 - a mapping Popen rejects itself; the gate reads it
            return env
        if (
            type(value) is str
            and (value, handed, uv) == settled[0]
            and (uv is not None or getattr(state, "policy", None) is settled_open[0])
        ):
            if env is None:
                inherited_settled[0] = (source, version)
            return env
        launch = getattr(gate, "launch", None)
        if launch is None or not launch.children_guarded:
            unguarded[0] = launch is not None  # a gate's launch, once read, stays as it is
            return env  # no guard to hand on: the gate reads the start as it is
        launched = dict(launch.python).get("PYTHONPATH", "")
        policy = getattr(state, "policy", None)
        # the inherited environment is the kernel's own, which keeps UV_NO_CACHE (gate)
        defaults = () if env is None or uv_cache_allowed(policy) else GIVEN_ENV_DEFAULTS
        try:
            whole = source.read() if env is None else dict(source.items())
            changed = guarded_env(whole, launched, launch.handed, defaults)
        except (TypeError, ValueError, UnicodeError):
            return env  # names or values Warden cannot read: the gate reads (and refuses) them
        if changed is None:
            # one without UV_NO_CACHE needed nothing only because this policy allows uv's
            # cache (as far as ``uv`` tells: a bytes name is not seen by get): kept with it
            if type(value) is str and (uv is not None or (env is not None and not defaults)):
                settled[0], settled_open[0] = (value, handed, uv), policy
            if env is None:
                inherited_settled[0] = (source, version)
            return env
        return changed

    return reroute


def guarded_env(source: Mapping, launched: str, handed, defaults=()) -> Optional[dict]:
    """``source`` as a start's environment that loads the guard (``launched``: this process's
    launch PYTHONPATH; ``handed``: ``LaunchGuard.handed``) and sets each of ``defaults``
    ((name, value) pairs) it does not set, or None when it already does. A bytes name or value
    is decoded as ``os.fsencode`` reverses, so no second PYTHONPATH entry can stand in front of
    the one written here. TypeError or ValueError: names or values that are neither str nor
    bytes, or one name twice (b"X" and "X")."""
    items = list(source.items())
    text = {_text(name): _text(value) for name, value in items}
    if len(text) != len(items):
        raise ValueError("a variable named twice")
    value = text.get("PYTHONPATH")
    path = deferred(value, launched)
    missing = [(name, want) for name, want in defaults if name not in text]
    if path is None and not missing and all(text.get(name) == want for name, want in handed):
        return None
    text.update(missing)
    if path is not None:
        text["PYTHONPATH"] = path
        if value is None:
            text.pop(DEFERRED_PYTHONPATH_ENV, None)  # no PYTHONPATH asked for: none to restore
        else:
            text[DEFERRED_PYTHONPATH_ENV] = value
    for name, want in handed:
        if want is None:
            text.pop(name, None)
        else:
            text[name] = want
    return text


def _text(word) -> str:
    if type(word) is str:
        return word
    if type(word) is bytes:
        return os.fsdecode(word)
    raise TypeError(type(word).__name__)


def deferred(pythonpath: Optional[str], launched: str) -> Optional[str]:
    """The PYTHONPATH a child given ``pythonpath`` (None: none) starts with, or None when it
    starts with that one (it passes the line rule, ``commands.line_keeps_guard``): the guard's
    folder, then the folders of ``launched`` (this kernel's own start) it names, in its order."""
    from ...boot.launch_env import SITE_DIR as site
    from .commands import line_keeps_guard

    if pythonpath is not None and line_keeps_guard(pythonpath, launched):
        return None
    words = [] if pythonpath is None else pythonpath.split(os.pathsep)
    known = {w for w in launched.split(os.pathsep) if os.path.isabs(w)} - {site}
    kept = [site] + [w for w in dict.fromkeys(words) if w in known]
    return os.pathsep.join(kept)


def environ_writer(kind: str, original, state):
    """``os.putenv`` (``kind`` "environ-put") or ``os.unsetenv`` ("environ-unset"), which
    ``os.environ``'s writes call: a PYTHONPATH that would make the Pythons this process starts
    by inheritance guardless goes to the C environ as ``deferred`` makes it, the value asked for
    in ``DEFERRED_PYTHONPATH_ENV`` (red team 31 R31-1, R31-3); one that keeps the guard is
    written as it is, and the deferred value set back to this process's own. Refused first
    where the gate refuses the change itself (``InstallGate.refuse_environ_change``: the
    kernel's own rule, read on the value asked for). A name or value that is not an exact
    str or bytes goes to ``original`` as it is: the gate reads what ``posix`` converted, and
    refuses a PYTHONPATH that drops the guard."""
    try:
        import posix
    except ImportError:  # not POSIX: no launch guard to keep
        return original
    put, unset = posix.putenv, posix.unsetenv

    def reroutes(name):
        return (type(name) is str and name == "PYTHONPATH") or (
            type(name) is bytes and name == b"PYTHONPATH"
        )

    def launched(gate):
        launch = getattr(gate, "launch", None)
        if launch is None or not launch.children_guarded:
            return None
        return dict(launch.python).get("PYTHONPATH", "")

    def keep_deferred(gate):
        from .inherited_env import launch_value

        own = launch_value(DEFERRED_PYTHONPATH_ENV)
        if gate.inherited.get(DEFERRED_PYTHONPATH_ENV) != own:
            if own is None:
                unset(DEFERRED_PYTHONPATH_ENV)
            else:
                put(DEFERRED_PYTHONPATH_ENV, own)

    if kind == "environ-put":

        def putenv(name, value):
            gate = getattr(state, "installs", None)
            if gate is None or not reroutes(name) or type(value) not in (str, bytes):
                return original(name, value)
            start = launched(gate)
            if start is None:
                return original(name, value)
            text = os.fsdecode(value)
            path = deferred(text, start)
            if path is None:
                original(name, value)
                keep_deferred(gate)
                return None
            gate.refuse_environ_change("os.putenv", ("PYTHONPATH", text))
            put(DEFERRED_PYTHONPATH_ENV, text)  # first: the PYTHONPATH in place keeps the guard
            put("PYTHONPATH", path)
            return None

        return putenv

    def unsetenv(name):
        gate = getattr(state, "installs", None)
        if gate is None or not reroutes(name):
            return original(name)
        start = launched(gate)
        if start is None:
            return original(name)
        gate.refuse_environ_change("os.unsetenv", ("PYTHONPATH",))
        if gate.inherited.get(DEFERRED_PYTHONPATH_ENV) is not None:
            unset(DEFERRED_PYTHONPATH_ENV)  # no PYTHONPATH asked for: none to restore
        put("PYTHONPATH", deferred(None, start))
        return None

    return unsetenv

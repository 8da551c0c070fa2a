"""The lab's link to central for policy: the HTTP client and the central policy source.

Built before, and independently of, the event pipeline: a broken event store must not cost
the lab its central policy. Server events the policy source raises (refusals) are held until
the pipeline attaches its store, then recorded.
"""

import asyncio
import ipaddress
from typing import Callable, List, Optional
from urllib.parse import urlsplit

from ... import __version__
from .backoff import Backoff
from .client import CentralClient
from .policy_source import CentralPolicySource
from .signing import load_public_keys

_HELD_EVENTS_MAX = 100


def central_url_problem(url: str) -> Optional[str]:
    """Why the lab must not talk to ``url``, or None. Plain http is for loopback only: the
    lab token and the events would cross the network in clear."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"c.Warden.central_url {url!r} is not an http(s) URL"
    if parts.scheme == "https":
        return None
    host = parts.hostname
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (
        f"c.Warden.central_url uses plain http:// to {host}, which is not this machine; "
        "use https:// (the lab token and events must not cross the network in clear)"
    )


class CentralLink:
    def __init__(self, config, *, data_dir: str, lab_id: str, log) -> None:
        self.config = config
        self.log = log
        self.errors: List[str] = []
        self._sink: Optional[Callable[[dict], None]] = None
        self._held: List[dict] = []
        self.client = self._make_client()
        keys = {}
        try:
            keys = load_public_keys(config.central_public_keys)
        except ValueError as err:
            self._error(f"central_public_keys: {err}")
        self.policy_source = CentralPolicySource(
            data_dir,
            keys,
            url=config.central_url,
            client=self.client,
            backoff=Backoff(
                config.central_backoff_initial,
                min(config.central_backoff_max, config.central_probe_max),
                config.central_retry_after_max,
            ),
            wait=config.central_policy_wait,
            poll_interval=config.central_poll_interval,
            raise_event=self._raise,
            log=log,
            lab_id=lab_id,
            max_validity=config.central_policy_max_validity,
            floor_path=config.central_policy_floor_file or None,
            min_revision=config.central_min_revision,
        )
        self._task: Optional[asyncio.Task] = None

    def _error(self, message: str) -> None:
        self.errors.append(message)
        self.log.error("Warden: %s", message)

    def _make_client(self) -> Optional[CentralClient]:
        config = self.config
        if not config.central_url:
            return None
        problem = central_url_problem(config.central_url)
        if problem is not None:
            # Refused at start: the last good central policy on disk stays in force.
            self._error(problem)
            return None
        token = config.central_token
        if config.central_token_file:
            try:
                with open(config.central_token_file, encoding="utf-8") as fh:
                    token = fh.read().strip()
            except OSError as err:
                self._error(f"central_token_file: {err.strerror}")
        if not token:
            self._error("central_url is set but no central token is configured")
        return CentralClient(
            config.central_url,
            token,
            timeout=config.central_timeout,
            ca_file=config.central_ca_file,
            user_agent=f"jupyter-warden/{__version__}",
        )

    # -- server events ---------------------------------------------------------------------

    def _raise(self, event: dict) -> None:
        if self._sink is not None:
            self._sink(event)
        elif len(self._held) < _HELD_EVENTS_MAX:
            self._held.append(event)

    def attach(self, sink: Callable[[dict], None]) -> None:
        """Record server events through ``sink`` from now on (and those held so far)."""
        self._sink = sink
        held, self._held = self._held, []
        for event in held:
            sink(event)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, guarded) -> None:
        if self.client is not None:
            self._task = asyncio.ensure_future(guarded(self.policy_source.run))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self.client is not None:
            self.client.close()

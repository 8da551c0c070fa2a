"""Admin settings of Jupyter Warden's server extension: the lab policy file, the event store,
the kernel spool and the link to central.

Set in the server's config (``jupyter_server_config.py`` / ``.json``), e.g.
``c.Warden.central_url = "https://warden.example.org"``. These are server settings, not
JupyterLab user settings: the frontend can neither read nor change them. The token is never
logged or shown.
"""

import sys
from pathlib import Path

from traitlets import Bool, Dict, Float, Integer, Unicode, validate
from traitlets.config import LoggingConfigurable


def default_admin_policy_path() -> str:
    """``<sys.prefix>/etc/jupyter/warden/policy.json``: beside the environment's other
    system-wide Jupyter config, writable only by whoever installed the environment."""
    return str(Path(sys.prefix) / "etc" / "jupyter" / "warden" / "policy.json")


class Warden(LoggingConfigurable):
    """Jupyter Warden server extension. Set in jupyter_server_config.py as ``c.Warden.<name>``."""

    # -- lab policy -------------------------------------------------------------------------
    policy_file = Unicode(
        default_admin_policy_path(),
        config=True,
        help="The admin's lab-wide policy document (JSON, schema/policy.schema.json). "
        "A missing file means the built-in default applies.",
    )
    policy_check_interval = Float(
        2.0,
        config=True,
        help="Seconds between checks of the admin policy file for changes.",
    )

    # -- enforcement for every client -------------------------------------------------------
    server_gate = Bool(
        True,
        config=True,
        help="Check every execute request and debugger evaluate that passes through this "
        "server's kernel websocket with the analyzer and the policy before the kernel sees it.",
    )
    kernel_launch_guard = Bool(
        True,
        config=True,
        help="Start every kernel with the Warden sitecustomize on PYTHONPATH, so the kernel "
        "guard is active from interpreter start in the kernel and every Python it starts.",
    )

    # -- where state lives ----------------------------------------------------------------
    data_dir = Unicode(
        "",
        config=True,
        help="Directory for Warden's durable state (event store, last good central policy). "
        "Default: <jupyter data dir>/warden.",
    )
    spool_dir = Unicode(
        "",
        config=True,
        help="Directory kernels append their events to (exported to kernels as "
        "WARDEN_EVENT_SPOOL). Default: <jupyter runtime dir>/warden-spool.",
    )
    lab_id = Unicode(
        "",
        config=True,
        help="Name of this lab in local event records. Default: the host name. Central names "
        "the lab after its token instead.",
    )

    # -- event store ------------------------------------------------------------------------
    events_max_rows = Integer(100_000, config=True, help="Most events kept on disk.")
    events_max_bytes = Integer(
        64 * 1024 * 1024, config=True, help="Most bytes of event bodies kept on disk."
    )
    events_max_body_bytes = Integer(
        1024 * 1024, config=True, help="Largest request body POST /warden/events accepts."
    )
    events_collapse_window = Float(
        3600.0,
        config=True,
        help="Seconds within which a repeat of an undelivered event (same fingerprint, user, "
        "rule and action) is folded into it as count/first_seen/last_seen.",
    )
    events_fsync = Bool(
        True,
        config=True,
        help="Sync every commit to disk (SQLite synchronous=FULL). False uses NORMAL: faster, "
        "may lose the last commits on power loss (not on a process crash).",
    )
    events_frontend_share = Float(
        0.75,
        config=True,
        help="Share of events_max_rows/events_max_bytes that events posted by browsers may "
        "fill; the rest is kept for kernel and server events, so one user flooding "
        "/warden/events cannot make them drop.",
    )
    events_kernel_share = Float(
        0.95,
        config=True,
        help="Share of the bounds that kernel events (the spool) may fill; the rest is kept "
        "for the lab server's own events.",
    )
    events_client_dropped_max = Integer(
        5000,
        config=True,
        help="Most events one POST /warden/events may report as dropped by the browser's own "
        "queue (client_dropped); the browser's queue holds 5000.",
    )
    spool_interval = Float(1.0, config=True, help="Seconds between kernel spool scans.")
    spool_partial_grace = Float(
        30.0,
        config=True,
        help="Seconds an unterminated last spool line may stay unchanged before it is counted "
        "as garbage.",
    )

    # -- central ----------------------------------------------------------------------------
    central_url = Unicode(
        "", config=True, help="Base URL of the Warden central service; empty: no central."
    )
    central_token = Unicode(
        "", config=True, help="Lab token issued by the central admin (wdl_...)."
    )
    central_token_file = Unicode(
        "",
        config=True,
        help="File holding the lab token (read at start; preferred over central_token so the "
        "token is not in a config file users can read).",
    )
    central_public_keys = Dict(
        {},
        config=True,
        help="Ed25519 keys that may sign central policies: key_id -> public key "
        "(base64url of the raw 32 bytes, or PEM). Policies signed by other keys are refused.",
    )
    central_ca_file = Unicode(
        "", config=True, help="CA bundle for central's TLS certificate; default: system CAs."
    )
    central_timeout = Float(
        20.0, config=True, help="Seconds to wait for an answer from central (beyond long poll)."
    )
    central_policy_wait = Integer(
        30, config=True, help="Long poll: seconds central may hold a policy request (0..60)."
    )
    central_poll_interval = Float(
        30.0, config=True, help="Seconds between policy fetches when long poll is off."
    )
    central_status_interval = Float(60.0, config=True, help="Seconds between status posts.")
    central_batch_size = Integer(500, config=True, help="Most events in one POST to central.")
    central_batch_bytes = Integer(
        768 * 1024, config=True, help="Most bytes of events (uncompressed) in one POST."
    )
    central_backoff_initial = Float(
        1.0, config=True, help="First retry delay after a failed call to central (seconds)."
    )
    central_backoff_max = Float(
        300.0, config=True, help="Longest retry delay after repeated failures (seconds)."
    )
    central_probe_max = Float(
        10.0,
        config=True,
        help="Longest delay between policy requests while central does not answer (seconds). "
        "The first answer after an outage wakes the event relay, so events flow again within "
        "about this long of central's return.",
    )
    central_policy_max_validity = Float(
        14 * 86400.0,
        config=True,
        help="Longest validity (expires_at - issued_at, seconds) of a central policy the lab "
        "accepts; 0: no limit. Default 14 days, twice central's default policy TTL. Bounds how "
        "long a captured signed policy can be replayed.",
    )
    central_policy_floor_file = Unicode(
        "",
        config=True,
        help="File holding the highest central policy revision accepted (the rollback floor). "
        "Default: <data_dir>/central-policy-floor.json. Kept apart from the saved policy so "
        "losing one keeps the other; an admin may pin it where the lab cannot write.",
    )
    central_min_revision = Integer(
        0,
        config=True,
        help="Central policy revisions below this are refused (the admin's own rollback floor, "
        "e.g. after the saved policy and the floor file were both lost).",
    )
    central_retry_after_max = Float(
        3600.0, config=True, help="Longest Retry-After from central that is honoured (seconds)."
    )

    @validate("central_policy_wait")
    def _wait_in_range(self, proposal):
        return max(0, min(60, proposal["value"]))

    @validate("central_url")
    def _strip_url(self, proposal):
        return proposal["value"].rstrip("/")

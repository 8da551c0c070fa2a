"""Sandbox probe: how well the kernel it runs in is isolated (issue 7).

Standard library only, Python >= 3.8, read-only: it reads /proc, /sys and a few files,
never writes, never connects to a socket or a metadata endpoint, and needs no root. The
frontend runs ``report_json()`` through an execute request's ``user_expressions``::

    __import__("jupyterlab_warden.kernel.probe", fromlist=["report_json"]).report_json()
"""

from .events import posture_events
from .report import report_json, run_probe

__all__ = ["posture_events", "report_json", "run_probe"]

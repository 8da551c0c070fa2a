"""Jupyter Warden: the security layer for JupyterLab in ML work.

The lab extension (frontend), the server extension and the kernel guard ship in this one
distribution. The kernel guard (``jupyterlab_warden.kernel.guard``) and the pickle scanner
(``jupyterlab_warden.kernel.scan``) import nothing outside the standard library, so they can run in
any kernel.
"""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "0.0.0+source"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-warden"}]


def _jupyter_server_extension_points():
    # Imported here so that importing the kernel guard never pulls in jupyter_server.
    from .lab.extension import WardenExtension

    return [{"module": "jupyterlab_warden", "app": WardenExtension}]

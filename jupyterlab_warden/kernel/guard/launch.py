"""Kernel launcher that installs the guard before ipykernel runs any user code.

Kernelspec argv:
``[python, "-m", "jupyterlab_warden.kernel.guard.launch", "-f", "{connection_file}"]``
(``python -m jupyterlab_warden.kernel.guard.kernelspec install`` writes it). The policy comes from
``$WARDEN_POLICY_FILE`` (the lab server sets it for the kernels it starts; an admin may also set
it in the kernelspec's ``env``); events go to ``$WARDEN_EVENT_SPOOL``.
"""

import os
import sys


def main() -> None:
    if sys.path and (sys.path[0] in ("", ".") or os.path.abspath(sys.path[0]) == os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython adds '' back for user code
    from .. import event_spool
    from . import install_from_env
    from .installs import inventory

    install_from_env()
    # the kernel's packages, for the lab's inventory (issue 20): a file in the event spool
    inventory.start_recorder(event_spool.spool_dir())
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()

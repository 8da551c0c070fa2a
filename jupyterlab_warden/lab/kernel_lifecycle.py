"""Per-kernel state the server keeps (update keys, start-up reports, the gate's scope) is dropped
when the kernel is removed, whatever removed it (DELETE /api/kernels, culling, server shutdown,
a dead kernel): jupyter_client ends every one of those paths with ``remove_kernel``."""

import functools
from typing import Callable

_LISTENERS = "_warden_removed_listeners"


def on_kernel_removed(kernel_manager, listener: Callable[[str], None]) -> None:
    listeners = getattr(kernel_manager, _LISTENERS, None)
    if listeners is None:
        listeners = []
        original = kernel_manager.remove_kernel

        @functools.wraps(original)
        def remove_kernel(kernel_id):
            try:
                return original(kernel_id)
            finally:
                for notify in list(listeners):
                    try:
                        notify(kernel_id)
                    except Exception:  # noqa: BLE001 - one part's cleanup must not stop others
                        kernel_manager.log.exception("Jupyter Warden: kernel cleanup failed")

        kernel_manager.remove_kernel = remove_kernel
        setattr(kernel_manager, _LISTENERS, listeners)
    listeners.append(listener)

"""The environment variables through which the lab server configures the kernels it starts.

Defined once here: the lab sets them (``kernel/boot/launch_env.py``, the server extension),
the kernel reads them (the guard, the spool writer, the launch-time ``sitecustomize``).
"""

# The policy file the guard installs at start (written by the lab server, read-only to kernels).
POLICY_FILE_ENV = "WARDEN_POLICY_FILE"
# The private folder kernels append their events to (kernel/event_spool.py).
EVENT_SPOOL_ENV = "WARDEN_EVENT_SPOOL"
# Where the launch-time guard reports how its start went; popped, so children do not inherit it.
KERNEL_STATUS_ENV = "WARDEN_KERNEL_STATUS"
# The SHA-256 of the policy file's exact bytes, from the lab server's memory: the guard refuses a
# file that does not match (a notebook rewrote it). Inherited by children, which re-read the file.
POLICY_DIGEST_ENV = "WARDEN_POLICY_SHA256"
# A 0600 file holding this kernel's policy-update key; read, unlinked and popped by the guard at
# start, before any user code, so children and later code do not find it.
KERNEL_KEY_ENV = "WARDEN_KERNEL_KEY_FILE"
# The file where the lab server leaves this kernel's latest signed policy update (the fleet's
# artifact decisions reach running kernels through it); popped by the guard at start, which
# checks it before each load and takes it only with this kernel's key (guard/authority.py).
KERNEL_UPDATE_ENV = "WARDEN_KERNEL_UPDATE_FILE"
# The PYTHONPATH a guarded Python's child was given, when Warden started it with the guard's
# folder alone in its place (guard/installs/child_path.py); the child's boot puts these folders
# back at the front of sys.path once its guard is installed. Inherited, so grandchildren match.
DEFERRED_PYTHONPATH_ENV = "WARDEN_DEFERRED_PYTHONPATH"
# When the lab launched the kernel (seconds since the epoch): every Python of the kernel's tree
# counts a file changed since then as possibly the notebook's, not since its own start (a child
# started after the kernel wrote a program into /usr/local/bin would take it for the machine's).
# Handed on as launched (guard/installs/child_path.py); a change of it drops the guard.
TREE_STARTED_ENV = "WARDEN_TREE_STARTED"
# A mark of each mount the kernel saw when it booted (boot/mounts.py): a path under a mount
# without one is no place of the machine's. Set by the kernel's boot, handed on like
# TREE_STARTED_ENV.
TREE_MOUNTS_ENV = "WARDEN_TREE_MOUNTS"

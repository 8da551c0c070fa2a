"""What runs in the Jupyter server: the server extension, the policy store, the server gate,
events, the central client and the server-side posture checks.

Imports ``jupyterlab_warden.kernel`` where it needs the kernel's contracts (scanner, probe,
spool format); the kernel package never imports this one.
"""

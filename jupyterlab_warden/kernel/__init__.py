"""What runs inside a kernel: the guard, the pickle scanner with the pickle policy it owns, the
sandbox probe, the launch-time boot code and the one event spool writer.

Standard library only and Python >= 3.8, because this package runs in whatever Python a kernel
has (a conda env, a remote kernel). The lab server may import it; it never imports the lab
(``jupyterlab_warden.lab``) — ``tests/test_layout.py`` checks both rules.
"""

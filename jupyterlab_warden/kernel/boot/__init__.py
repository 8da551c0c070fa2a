"""The guard from interpreter start: the lab server's side of launching kernels with it.

``site/`` is the folder put on the kernels' PYTHONPATH (its ``sitecustomize`` runs in the
kernel and in every child Python); this package builds that environment and reads the
status each kernel writes at start-up.
"""

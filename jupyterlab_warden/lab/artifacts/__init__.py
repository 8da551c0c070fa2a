"""The lab's side of central's fleet artifact registry (issue 19, contract-registry.md).

* ``decisions.py`` - central's signed fleet decisions (trusted / banned by sha256), verified
  with the policy's keys and code (``central/signing.py``), kept as an offline copy;
* ``verdicts.py`` - scan verdicts other labs reported, as central's lookup answered them;
* ``reports.py`` - artifact reports made from the kernels' runtime events, queued on disk
  until central acknowledges them (nothing lost while central is down);
* ``registry.py`` - ties them together: what the lab pushes to its kernels (inside the signed
  guard update, ``kernel/guard/authority.py``) and one sync round with central.
"""

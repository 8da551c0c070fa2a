"""The one guard of a test process. Audit hooks cannot be removed, so the first test folder
that needs an in-process guard installs it and every folder (tests/guard, tests/provenance)
shares that state: a second ``install()`` in the same process returns None by design."""

_OWNER = []


def owner_state():
    """The guard's state, held by whoever installed it first: this test process. In a kernel
    only the launcher / the lab server's bootstrap holds it; notebook code gets no handle."""
    if not _OWNER:
        from jupyterlab_warden.kernel import guard as guard_pkg

        state = guard_pkg.install()
        assert state is not None, "a guard was installed before the test fixture"
        _OWNER.append(state)
    return _OWNER[0]

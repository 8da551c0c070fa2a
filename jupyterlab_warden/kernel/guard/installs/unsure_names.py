"""The names an installer discovers on its own, weighed by ``dangling`` (red team 57a R57a-3..5,
-10): uv's and pip's config files, conda's ``.condarc`` files, the ``.venv`` and environments
uv looks for, ``.python-version``. Each reader reads "no such file" for a name that is a link
leading nowhere now (``uv.toml -> m/../cfg.toml``, ``.venv -> m/../vv``, ``PIP_CONFIG_FILE``
so made), and skips it; an earlier command of the line (``mkdir m``, ``uv venv m``) may make
it resolve before the installer starts, which then reads a file Warden never read. A name
through ``/proc`` or ``/dev/fd`` (``uv.toml -> /dev/fd/200`` with ``200<cfg`` on the line) is
refused whatever the line writes.
"""

import os
from typing import Dict, Iterator, List

from . import dangling


def problem(request, inv, env: Dict[str, str], cwd: str) -> str:
    """Why the install ``inv`` (read as ``request``, started with ``env`` in ``cwd``) may read
    a file Warden did not ('' none): a name it discovers is unsure now and a command before it
    on the line may make it resolve (``inv.makers``)."""
    for path in dict.fromkeys(_discovered(request, inv, env, cwd)):
        if not os.path.islink(path) and not _through_link(path):
            continue  # the common name: a file, or no file with no link on its way
        reason = dangling.unsure(path)
        if reason is None:
            continue
        writer = dangling.maker(reason, inv.makers)
        if writer:
            return dangling.refusal(reason, writer, f"a file {inv.tool} looks for ({path})")
    return ""


def _through_link(path: str) -> bool:
    """Whether a folder on ``path``'s way, below the start's folder, is a link or missing: only
    then can the name lead nowhere now (``unsure`` walks it)."""
    folder = os.path.dirname(path)
    return os.path.islink(folder) or not os.path.isdir(folder)


def _discovered(request, inv, env: Dict[str, str], cwd: str) -> Iterator[str]:
    if inv.tool == "uv":
        yield from _uv(request, env, cwd)
        yield from _pip(env, inv.program, cwd)  # uv pip reads no pip.conf, but PIP_* for pip
    elif inv.tool == "pip":
        yield from _pip(env, inv.program, cwd)
    elif inv.tool in ("conda", "mamba", "micromamba"):
        from . import condarc

        yield from condarc.files(env, inv.program, request, cwd)


def _uv(request, env: Dict[str, str], cwd: str) -> Iterator[str]:
    from . import uv_config
    from .request import InstallRequest
    from .uv_discovery import upward

    # a command read as installing nothing (`uv pip list`) reads them all the same: every
    # file uv may read, as no option stops it
    for path, _kind in uv_config.config_files(request or InstallRequest("uv", "uv"), env, cwd):
        yield path
    for folder in upward(cwd):
        yield os.path.join(folder, ".venv")
        yield os.path.join(folder, ".python-version")
        yield os.path.join(folder, "pyvenv.cfg")
    for name in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "CONDA_PREFIX", "UV_CONFIG_FILE"):
        value = env.get(name, "").strip()
        if value:
            yield os.path.join(cwd, value)


def _pip(env: Dict[str, str], program: str, cwd: str) -> List[str]:
    from .sources import pip_config_files

    return pip_config_files(dict(env), program or "pip", cwd)

"""Local wheel files an install takes (red8 R8-16): their ``Requires-Dist``.

``pip install ./x-1.0-py3-none-any.whl`` and ``uv pip install ./x.whl`` install the wheel's
dependencies from its ``*.dist-info/METADATA``, and a ``Requires-Dist: y @ URL`` there is
fetched from that URL. No build code runs for a wheel, so its metadata is all there is: it is
read (the zip's central directory and the METADATA entry only, bounded) and each dependency
decided like one on the command line. A wheel Warden cannot open, or with no METADATA, is a
problem (refused).
"""

import os
import stat
import zipfile
from email.parser import HeaderParser
from typing import List

from . import requirements
from .request import InstallRequest

MAX_METADATA_BYTES = 1 << 20
MAX_ENTRIES = 100_000


def add(request: InstallRequest, path: str) -> None:
    """Append the dependencies of the wheel at ``path`` (absolute) to ``request``."""
    label = os.path.basename(path)
    try:
        texts = _metadata(path)
    except (OSError, ValueError, zipfile.BadZipFile, UnicodeDecodeError, RuntimeError) as exc:
        request.problems.append(f"cannot read the wheel {label}'s metadata: {exc}")
        return
    for name, text in texts:
        origin = f"{label} {name}"
        for value in HeaderParser().parsestr(text).get_all("Requires-Dist") or []:
            request.requirements.append(
                requirements.parse_requirement(" ".join(value.split()), origin)
            )


def _metadata(path: str) -> List[tuple]:
    """``(entry name, text)`` of every top-level ``*.dist-info/METADATA`` in the wheel."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise ValueError("not a regular file")
    out = []
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ValueError(f"more than {MAX_ENTRIES} entries")
        for info in infos:
            parts = info.filename.split("/")
            if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
                if info.file_size > MAX_METADATA_BYTES:
                    raise ValueError("METADATA larger than 1 MB")
                with archive.open(info) as fh:
                    data = fh.read(MAX_METADATA_BYTES + 1)
                if len(data) > MAX_METADATA_BYTES:
                    raise ValueError("METADATA larger than 1 MB")
                out.append((info.filename, data.decode("utf-8")))
    if not out:
        raise ValueError("no *.dist-info/METADATA")
    return out

"""torch.package archives (``torch.package.PackageExporter``): a zip with ``.data/version``,
``.data/extern_modules`` and the model's pickles, plus the Python source of every module the
exporter *interned* (or mocked, ``_mock.py``).

``PackageImporter.load_pickle`` unpickles with its own ``find_class``: a global whose module
is in the archive is imported FROM THE ARCHIVE (its source runs), never through pickle's
``find_class``, so no audit event sees it. Modules the exporter marked ``extern`` are imported
from the environment like any pickle global: the pickles are judged as pickles (the caller
scans every ``*.pkl`` member). Every ``.py`` member is code the importer can run: dangerous
(an archive whose model code is all ``extern`` has none).
"""

import zipfile
from typing import List, Tuple

from ..report import DANGEROUS, Finding

# PackageImporter reads this record in its constructor: every archive it opens has it
_EXTERN_RECORD = ".data/extern_modules"
MAX_FINDINGS = 50


def _inner(name: str) -> str:
    """The record name PackageImporter sees: torch's zip reader drops the archive's root folder."""
    return name.split("/", 1)[1] if "/" in name else name


def is_torch_package(names: List[str]) -> bool:
    return any(_inner(n) == _EXTERN_RECORD for n in names)


def scan_package(zf: zipfile.ZipFile) -> Tuple[List[Finding], List[str]]:
    names = zf.namelist()
    modules = sorted(_inner(n) for n in names if n.lower().endswith((".py", ".pyc", ".so", ".pyd")))
    findings = [
        Finding(
            "torch-package-module",
            module[:300],
            DANGEROUS,
            f"{module[:200]}: Python module shipped in the archive (PackageImporter runs it "
            "when a pickle or import_module names it)",
        )
        for module in modules[:MAX_FINDINGS]
    ]
    errors = []
    if len(modules) > MAX_FINDINGS:
        errors.append(f"more than {MAX_FINDINGS} modules shipped in the archive")
    return findings, errors

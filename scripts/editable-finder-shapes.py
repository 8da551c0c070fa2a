"""Write jupyterlab_warden/kernel/deps/editable-finders.json: the digests of setuptools'
editable-install finder template (``_FINDER_TEMPLATE`` in setuptools/command/editable_wheel.py)
formatted with empty values, one per distinct template across setuptools' releases that write
it (64 and later). installs/editable_finder.py vouches for a finder module whose text, with its
values set back to empty ones, has one of these digests.

Each release's wheel is downloaded from PyPI (pip download, no install) and the template is
read from its source with ``ast`` (setuptools is not imported). Rerun when setuptools changes
the template (a finder that matches none is refused until the kernel restarts):

    python scripts/editable-finder-shapes.py [VERSION...]
"""

import ast
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jupyterlab_warden.kernel.guard.installs.editable_finder import SHAPES_FILE, shape  # noqa: E402

OUT = ROOT / "jupyterlab_warden" / "kernel" / "deps" / SHAPES_FILE
# the last release of each major from the first with the template (64) to the newest checked
VERSIONS = (
    "64.0.3", "65.7.0", "66.1.1", "67.8.0", "68.2.2", "69.5.1", "70.3.0", "71.1.0", "72.2.0",
    "73.0.1", "74.1.3", "75.9.1", "76.1.0", "77.0.3", "78.1.1", "79.0.1", "80.10.2", "81.0.0",
    "82.0.1", "83.0.0", "84.2.1",
)  # fmt: skip


def template(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("setuptools/command/editable_wheel.py").decode("utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            getattr(target, "id", None) == "_FINDER_TEMPLATE" for target in node.targets
        ):
            return node.value.value
    raise SystemExit(f"{wheel.name}: no _FINDER_TEMPLATE")


def main(versions) -> None:
    shapes = {}
    with tempfile.TemporaryDirectory() as folder:
        for version in versions:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                 "--only-binary=:all:", "-d", folder, f"setuptools=={version}"],
                check=True,
            )  # fmt: skip
            wheel = next(Path(folder).glob(f"setuptools-{version}-*.whl"))
            text = template(wheel).format(name="", mapping={}, namespaces={})
            digest = shape(text)
            if digest is None:
                raise SystemExit(f"setuptools {version}: its template has no MAPPING line")
            shapes.setdefault(digest, []).append(version)
    table = {
        "source": "setuptools command/editable_wheel.py _FINDER_TEMPLATE, formatted with "
        "name='', mapping={}, namespaces={} (scripts/editable-finder-shapes.py)",
        "shapes": [{"sha256": d, "setuptools": v} for d, v in shapes.items()],
    }
    OUT.write_text(json.dumps(table, indent=1) + "\n")
    print(f"{OUT}: {len(shapes)} templates from {len(versions)} releases")


if __name__ == "__main__":
    main(sys.argv[1:] or VERSIONS)

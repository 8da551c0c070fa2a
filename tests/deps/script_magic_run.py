"""Run cells in a real IPython InteractiveShell under the guard; print one JSON line a cell.

    python script_magic_run.py CELLS_JSON

Each result: {"refused": message or null}. The cells themselves leave their markers.
"""

import json
import sys

from jupyterlab_warden.kernel import guard

assert guard.install({}) is not None
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402 - after the guard

shell = InteractiveShell.instance()
for cell in json.loads(sys.argv[1]):
    result = shell.run_cell(cell)
    error = result.error_in_exec
    refused = str(error) if isinstance(error, PermissionError) else None
    print(json.dumps({"refused": refused, "error": repr(error) if error else None}))

"""A module of the user's project (outside site-packages) that re-exports a dangerous function
under innocent names: by import (the scanner reads that statically) and by assignment (only
resolving it at load time shows what it is)."""

import os as _os
from os import system as run_command  # noqa: F401

run_assigned = _os.system

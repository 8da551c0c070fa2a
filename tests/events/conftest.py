import sys
from pathlib import Path

# tests/labserver_harness.py is shared by tests/events and tests/central.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

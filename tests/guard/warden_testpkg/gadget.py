"""A third-party module that re-exports a dangerous function under an innocent name."""

from os import system as run_command  # noqa: F401

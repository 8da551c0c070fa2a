"""An index or find-links location pip reads as a local path, read in pip's own process
(red team 43a R43a-5).

pip 23.2's ``index.sources.build_source`` tests every location, index URLs and find-links
alike, with ``os.path.exists(location)`` BEFORE it looks at the scheme: a project's index
location ``https://pypi.org/simple/x/`` is, to the file system, the relative path
``https:/pypi.org/simple/x/`` (``//`` is one separator), and ``file:w`` is the folder
``./file:w``. A cell that made that folder turns the trusted index (or a find-links URL) into
a local index pip reads without asking the server. So, as pip builds each source
(``build_source``, also as ``index.collector`` bound it), a location pip will take as a path
(one that exists as given, or a ``file:`` URL as pip's ``url_to_path`` reads it) is read then
as a local index or find-links source (``sources.read_local_pages``: its pages' links, its
wheels' start-up code and Requires-Dist). Chosen over refusing a URL-looking location that
exists as a path: the reading decides what pip takes from it, whatever it is named.
"""

import os
import sys

KIND = "pip-build-source"


def wrapper(original, label, state):
    """``build_source(location, *, ..., expand_dir, ...)``: a local location read first."""

    def build_source(location, *args, **kwargs):
        gate = getattr(state, "installs", None)
        if gate is not None:
            path = _as_path(location)
            if path is not None:
                role = "find-links" if kwargs.get("expand_dir") else "index"
                gate.decide_local_location(path, role)
        return original(location, *args, **kwargs)

    return build_source


def _as_path(location):
    """The path pip reads ``location`` at, as ``build_source`` decides (None: not a path; ''
    a ``file:`` URL Warden cannot convert as pip does, refused). A location that is not a str
    is pip's to refuse."""
    if type(location) is not str:
        return None
    if os.path.exists(location):
        return location
    if location.startswith("file:"):
        # pip's own conversion, loaded with build_source's module (no import from here)
        convert = getattr(sys.modules.get("pip._internal.utils.urls"), "url_to_path", None)
        if convert is None:
            return ""
        try:
            return str(convert(location))
        except ValueError:
            return None  # another host: pip raises the same error
    return None

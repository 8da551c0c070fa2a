"""The requirements pip parses from a requirements or constraints file, decided in pip's own
process, names too (red team 43a R43a-4).

Warden reads each file before pip starts, and pip's own read (``req_file.get_file_content``,
``gate.decide_file_content``) decides the indexes, find-links and direct references of the
bytes pip parses. The NAMES were decided on Warden's read only: where Warden opened another
file than pip (``-r file:/W/real.txt`` is ``<cwd>/file:/W/real.txt`` to a reader that treats
only ``://`` as a URL), pip installed names nobody decided. ``req_file.parse_requirements``
(as ``cli.req_command`` bound it) yields every requirement pip takes from a file, ``-r``/``-c``
includes followed, environment variables expanded, each marked requirement or constraint:
they are decided together, before pip resolves any (refusals only).
"""

KIND = "pip-requirements"


def wrapper(original, label, state):
    """``parse_requirements(filename, session, ...)``: a generator; the file's requirements
    are read whole and decided before the first is handed to pip."""

    def parse_requirements(*args, **kwargs):
        parsed = list(original(*args, **kwargs))
        gate = getattr(state, "installs", None)
        if gate is not None and parsed:
            gate.decide_parsed_requirements([_line(p) for p in parsed])
        return iter(parsed)

    return parse_requirements


def _line(parsed) -> tuple:
    """(requirement text, origin) of one ``ParsedRequirement``; '' when it is not pip's
    (decided as a requirement Warden cannot read)."""
    text = getattr(parsed, "requirement", None)
    where = getattr(parsed, "comes_from", None)
    where = where if type(where) is str else "a requirements file"
    kind = "constraints file " if getattr(parsed, "constraint", False) is True else ""
    return (text if type(text) is str else "", f"{kind}{where}")

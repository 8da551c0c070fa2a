"""Parse a request body as JSON with a clear 400 for every way it can be wrong.

``json.loads`` raises ValueError for bad JSON, but RecursionError for very deep nesting, and
it accepts lone surrogates (``"\\ud800"``) that no UTF-8 encoder will take later: both used
to surface as unexplained 500s.
"""

import json

from tornado import web


def parse_json_body(body: bytes, default: bytes = b"", check_text: bool = True) -> object:
    """The parsed body, or HTTPError 400. ``check_text`` False leaves text checks to the
    caller (the event validator refuses such an event alone, not its whole batch)."""
    try:
        value = json.loads(body or default)
    except RecursionError:
        raise web.HTTPError(400, "request body is nested too deeply") from None
    except ValueError:
        raise web.HTTPError(400, "request body is not valid JSON") from None
    if not check_text:
        return value
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise web.HTTPError(400, "request body holds text that is not valid Unicode") from None
    return value

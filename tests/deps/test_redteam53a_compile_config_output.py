"""Red team 53a R53a-2: ``uv pip compile`` writes the file uv.toml's ``[pip] output-file`` names,
and the line's rule of writers does not count it.

``commands._uv_compile_writes`` (fix64) makes a compile a writer only when ITS WORDS name the
output (``-o``, ``--output-file``, ``-qo F``); uv also takes it from its settings
(``[pip] output-file = "r.txt"`` in ./uv.toml, ``[tool.uv.pip]``, ``--config-file``,
``UV_CONFIG_FILE``), and ``toml_files.UV_INERT_SETTINGS`` lists ``output-file`` as inert. So
``uv pip compile ... in.txt && uv pip install -r r.txt`` is read with r.txt as it was before
the line (empty: allowed) while uv installs what the compile wrote. What it writes is the
attacker's: uv puts ``custom-compile-command`` (also inert) into its header comment as written,
so a newline in it makes a requirements line of its own (``--index-url`` of the test index,
which the policy refuses). uv is no Python: no guard inside it reads r.txt again.
FAILS today (installs under Warden).
"""

import sys

from local_index import build_wheel

UV_TOML = '[pip]\noutput-file = "r.txt"\ncustom-compile-command = "x\\n--index-url {index}"\n'


def _cell(kernel, toml: str) -> str:
    # the notebook folder: a local wheel of the name (compiled from it, never installed)
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    (kernel.work / "in.txt").write_text("warden-demo-pkg\n")
    (kernel.work / "r.txt").write_text("# nothing yet\n")
    (kernel.work / "uv.toml").write_text(toml.replace("{index}", kernel.index.simple))
    line = (
        "{uv} pip compile -q --no-index --find-links w in.txt && "
        f"{{uv}} pip install -q --no-cache --python {sys.executable} --target {{target}} "
        "-r r.txt"
    )
    return f"import os\nos.system({line!r})\n"


def test_a_compile_whose_output_file_uv_toml_names_is_a_writer(kernel):
    code = _cell(kernel, UV_TOML)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the attack works
    (kernel.work / "r.txt").write_text("# nothing yet\n")
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_control_the_same_output_named_by_o_is_refused(kernel):
    """What fix64 reads (passes today): ``-o r.txt`` in the compile's words."""
    code = _cell(kernel, UV_TOML.replace('output-file = "r.txt"\n', "")).replace(
        "in.txt &&", "in.txt -o r.txt &&"
    )
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and "as its own command" in guarded["refused"], guarded
    assert not kernel.index.requests and not kernel.installed(), guarded

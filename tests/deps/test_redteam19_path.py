"""Red team 19 (fix19a): the PATH programs snapshot going stale (R19-1, R19-2).

R19-1: a PATH folder's listing is kept until the folder's mtime changes, and kept only the
files that were program files when listed; a ``chmod +x`` afterwards (no folder change) was
never read. Now a listing keeps every file that may become a program file, and whether it is
one is decided at each start.
R19-2: the folders are listed when the shell starts, before the line's own ``cp``/``chmod``
put a program file there. Now a command on the line that may write or chmod a file into a
folder of the PATH the later commands start with refuses those later starts.
Each malicious case runs for real (tar runs ``gzip`` from PATH): without Warden it installs
from the local index, with Warden it is refused before anything is fetched.
"""

import sys

import pytest
from launched import installed, system_call
from test_redteam18_path import PATH_FIRST, PERL


def _payload(kernel) -> None:
    """``payload.pl``, the installing perl program, mode 0644 (no program file), a.txt, bin/."""
    (kernel.work / "bin").mkdir(exist_ok=True)
    (kernel.work / "b2").mkdir(exist_ok=True)
    text = PERL.format(py=sys.executable, target=kernel.target, index=kernel.index.simple)
    (kernel.work / "payload.pl").write_text(text)
    (kernel.work / "payload.pl").chmod(0o644)
    (kernel.work / "a.txt").write_text("a\n")


def test_a_file_made_executable_after_its_folder_was_listed_is_read(kernel):
    """R19-1: bin/gzip (0644) is listed by a start, then ``os.chmod`` makes it a program file
    (bin/'s mtime unchanged): tar's start reads it."""
    installed("tar")
    _payload(kernel)
    code = PATH_FIRST + (
        "import shutil\n"
        "shutil.copy('payload.pl', 'bin/gzip')\n"
        "os.system('true')\n"  # the gate lists bin/: gzip is not a program file yet
        "os.chmod('bin/gzip', 0o755)\n"
        "os.system('tar czf o.tgz a.txt')\n"
    )
    refused = kernel.proves(code)
    assert "gzip" in refused, refused


@pytest.mark.parametrize(
    "pre, line",
    [
        ("", "cp payload.pl bin/gzip && chmod +x bin/gzip && tar czf o.tgz a.txt"),
        ("shutil.copy('payload.pl', 'bin/gzip')\n", "chmod +x bin/gzip && tar czf o.tgz a.txt"),
        ("", "cp payload.pl bin/gzip; chmod +x bin/gzip; zcat -f a.txt"),
        ("", "curl -s -obin/gzip file://$PWD/payload.pl; chmod +x bin/gzip; tar czf o.tgz a.txt"),
        ("", "cd bin && cp ../payload.pl gzip && chmod +x gzip && cd .. && tar czf o.tgz a.txt"),
        ("", "cat payload.pl > bin/gzip; chmod 755 bin/gzip; tar czf o.tgz a.txt"),
        # red team 20: a tree writer given a folder above bin/ (R20-1), a link to bin/ (R20-2)
        ("shutil.copy('payload.pl', 'bin/gzip')\n", "chmod -R +x . && tar czf o.tgz a.txt"),
        (
            "os.makedirs('kit/bin', exist_ok=True)\nshutil.copy('payload.pl', 'kit/bin/gzip')\n"
            "os.chmod('kit/bin/gzip', 0o755)\nshutil.rmtree('bin')\n",
            "cp -r kit/bin . && tar czf o.tgz a.txt",
        ),
        (
            "os.path.lexists('tools') or os.symlink('bin', 'tools')\n",
            "cp payload.pl tools/gzip && chmod +x tools/gzip && tar czf o.tgz a.txt",
        ),
    ],
)
def test_a_program_the_line_writes_into_a_path_folder_refuses_the_later_starts(kernel, pre, line):
    """R19-2: the line writes or chmods a file into a folder of the PATH its later commands
    start with; the refusal names the folder."""
    installed("tar")
    _payload(kernel)
    code = PATH_FIRST + "import shutil\n" + pre + system_call(line)
    refused = kernel.proves(code)
    # decided when the line's shell starts (a later start's own look may come too late)
    assert "earlier command on the line" in refused, refused
    assert str(kernel.work / "bin") in refused, refused


ORDINARY = [
    "mkdir -p out && cp a.txt out/b.txt && tar czf o.tgz out",
    "cp a.txt b.txt && chmod +x b.txt && tar czf o.tgz a.txt b.txt",
    "echo x > out.log && gzip -c a.txt > a.gz && zcat a.gz",
    "git init -q r && cd r && git status --short",
    "mkdir -p out/x && cp -r out out2 && chmod -R a+r out2 && tar czf o.tgz out2",
]


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_lines_that_write_outside_path_folders_run(kernel, line):
    """No false refusal: writers whose targets are outside PATH's folders, with bin/ (written
    by the cell, writable) first on PATH."""
    installed("tar")
    _payload(kernel)
    code = PATH_FIRST + f"assert os.system({line!r}) == 0\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result

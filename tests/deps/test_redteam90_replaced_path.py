"""Red team 90 F1 (fix90c): xargs -I / -i / --replace, find -exec/-execdir/-ok/-okdir and GNU
parallel put what they read (or the file they find) in place of the replace string INSIDE any
word of the command they run, not only a whole word: ``xargs -I{} env PATH={}:/usr/bin:/bin
tar czf o.tgz a.txt`` started tar with the PATH xargs read, while Warden read PATH as the
relative folder ``{}`` (nothing there): tar ran the cell's new tools/gzip unread.

Fixed (``replaced_words``, called from ``commands.refuse_input_program``): a word holding the
replace string is a value Warden does not know. A wrapper's word (``env NAME={}``, ``env -C
{}``, ``nice -n {}``), an option word, an option's value (``python3 -c {}``, ``perl -I {}``),
an interpreter's code or script and a shell's text or script holding it are refused; xargs'
own replace string is read as ``{}`` (``xargs -I Z``). The program's data operands pass
(``cp {} out/``, ``wc -l {}``, ``mv {} {}.bak``)."""

import pytest
from install_env import line_problems
from launched import installed
from test_redteam86b_login_shell_path import _full_path_payload

WRITE = """import os, subprocess
os.makedirs('tools', exist_ok=True)
with open('tools/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('tools/gzip', 0o755)
"""

CELLS = {
    "xargs-I": "os.system('echo $PWD/tools | xargs -I{{}} env PATH={{}}:/usr/bin:/bin "
    "tar czf o.tgz a.txt')\n",
    "find-exec-argv": "subprocess.run(['find', os.getcwd() + '/tools', '-maxdepth', '0', "
    "'-exec', 'env', 'PATH={{}}:/usr/bin:/bin', 'tar', 'czf', 'o.tgz', 'a.txt', ';'])\n",
}


@pytest.mark.parametrize("form", list(CELLS))
def test_replaced_path_value(kernel, form):
    """The red team's proof (test_rt90_replaced_path.py): installs without Warden, refused."""
    installed("tar")
    installed("xargs")
    (kernel.work / "a.txt").write_text("a\n")
    cell = WRITE.format(payload=_full_path_payload(kernel)) + CELLS[form]
    guarded = kernel.kept_from_refused_host(cell)
    assert guarded["refused"], guarded


# -- the spellings, read as the kernel's gate reads a line ---------------------------------------

GZIP = '#!/usr/bin/perl\nmy $p = "p" . "ip";\nsystem($p, "install", "warden-demo-pkg");\n'


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tools").mkdir()
    gzip = tmp_path / "tools" / "gzip"
    gzip.write_text(GZIP)
    gzip.chmod(0o755)
    (tmp_path / "a.txt").write_text("a\n")
    return tmp_path


@pytest.mark.parametrize(
    "line",
    [
        "echo $PWD/tools | xargs -I{} env PATH={}:/usr/bin:/bin tar czf o.tgz a.txt",
        "echo $PWD/tools | xargs -i env PATH={}:/usr/bin:/bin tar czf o.tgz a.txt",
        "echo $PWD/tools | xargs -IZ env PATH=Z:/usr/bin:/bin tar czf o.tgz a.txt",
        "echo $PWD/tools | xargs --replace=Z env PATH=Z:/usr/bin:/bin tar czf o.tgz a.txt",
        "echo $PWD/tools | xargs -I PATHV env PATH=PATHV:/usr/bin:/bin tar czf o.tgz a.txt",
        "find $PWD/tools -maxdepth 0 -exec env PATH={}:/usr/bin:/bin tar czf o.tgz a.txt \\;",
        "find $PWD/tools -maxdepth 0 -exec env PATH={}:/usr/bin:/bin tar czf o.tgz a.txt {} +",
        "find $PWD/tools -maxdepth 0 -ok env PATH={}:/bin tar czf o.tgz a.txt \\;",
        "echo tools | xargs -I{} env PATH={}:/usr/bin:/bin gzip -c a.txt",
        "echo tools | xargs -I{} env PYTHONPATH={} python3 -c 'print(1)'",
        "echo tools | xargs -I{} env LD_PRELOAD={} ls",
        "echo tools | xargs -I{} env -C {} ls",
        "echo tools | xargs -I{} env -S {} ls",
        "echo tools | xargs -I{} nice env PATH={} tar czf o.tgz a.txt",
        "echo tools | xargs -I{} python3 -c {}",
        "echo tools | xargs -I{} sh -c {}",
        "echo tools | xargs -I{} tar -I {} -cf o.tar a.txt",
        "echo tools | xargs -IZ tar -I ./Z -cf o.tar a.txt",
        "echo tools | xargs -I{} tar --use-compress-program={} -cf o.tar a.txt",
        "find . -name '*.sh' -exec bash {} \\;",
        "find . -name '*.pl' -exec perl {} \\;",
        "find . -name '*.txt' -exec sed {} a.txt \\;",
        "find . -name '*.pm' -exec perl -I {} -e 'print 1' \\;",
        "echo tools | parallel env PATH={}:/usr/bin:/bin tar czf o.tgz a.txt",
        "echo tools | parallel env PATH={//}:/usr/bin:/bin tar czf o.tgz a.txt",
        "ls | parallel 'echo {= $_=1 =}'",
    ],
)
def test_a_replaced_word_that_matters_is_refused(work, line):
    found = line_problems(line, work)
    assert found, line


@pytest.mark.parametrize(
    "line",
    [
        "find . -name '*.py' -exec wc -l {} +",
        "ls | xargs -I{} cp {} out/",
        "ls | xargs -I{} mv {} {}.bak",
        "find . -exec rm {} \\;",
        "find . -type f -exec chmod 644 {} \\;",
        "find . -name '*.txt' -exec grep -l foo {} +",
        "ls | xargs -I{} echo {}",
        "ls | xargs -IF cp F F.bak",
        "ls | xargs wc -l",
        "find . -name '*.csv' -exec sed -i s/a/b/ {} \\;",
        "find . -name '*.tgz' -exec tar xzf {} \\;",
        "find . -name '*.gz' -exec gzip -d -- {} \\;",
        "ls | xargs -I{} env LC_ALL=C sort {}",
        "ls | xargs -I{} nice cp {} out/",
        "ls | parallel -j4 wc -l",
        "ls | parallel gzip {}",
    ],
)
def test_an_ordinary_replaced_operand_passes(work, line):
    assert line_problems(line, work) == [], line

"""Write schema/git-config-keys.json: every git setting key, classified (red team 17, keys18).

Warden reads `git -c KEY=VALUE`, `git config KEY VALUE` and GIT_CONFIG_KEY_n/VALUE_n. A deny
list of command keys let through every key it did not name (core.fsmonitor, gpg.ssh.program,
remote.<name>.vcs...). This table is an ALLOW list built from git itself: `git help --config`
lists every key git knows (with `<name>` for a free part: `diff.<driver>.textconv`), and git's
manual (git-config.1) says what each does. Each key is:

- shell: git runs the value as a command (through the shell, or as a program: both give Warden
  a line to read): aliases, editors, pagers, helpers, drivers (the reviewed SHELL list);
- refused: the value brings code or settings Warden does not read, or sends git's transports
  elsewhere (include files, hooks, the ext:: transport: the reviewed REFUSED list), and every
  key a rule below flags that no reviewer marked as data: its manual text says it runs
  something (RUNS_WORDS), its name says it is a command (RUNS_NAMES), or it has no manual text;
- data: every other key git lists, and the reviewed DATA keys (flagged by a rule, read and found
  to be plain values: `safe.directory` mentions hooks, `core.fileMode` executables).

`section.<x>.*` (http.<url>.*) is "inherit": the key without its middle part decides
(http.<url>.sslVerify is http.sslVerify). A key that matches nothing is refused (deny by
default): installs/shell_runners.py and src/deps/shellrunners.ts read the table. Regenerate
when the pinned git changes (the test says so):

    python scripts/git-config-keys.py           # rewrites schema/git-config-keys.json
    python scripts/git-config-keys.py --check   # exit 1 when the file differs
    python scripts/git-config-keys.py --explain # each flagged key and why

tests/deps/test_redteam17_keys.py runs the check against the git on PATH (it needs git's
manual pages: Debian's git-man).
"""

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "schema" / "git-config-keys.json"
GIT_VERSION = "2.39.5"

# the manual says the value runs (or names) something git starts
RUNS_WORDS = re.compile(
    r"\b(commands?|programs?|helpers?|hooks?|drivers?|editors?|pagers?|textconv|scripts?|"
    r"executables?|shell|invok\w*|invoked?|spawn\w*|execut\w*)\b",
    re.I,
)
# the key's last part names a command, a program, or where one or its code comes from
RUNS_NAMES = re.compile(
    r"(cmd|command|program|editor|pager|helper|textconv|driver|hooks?|tunnel|httpd|browser|"
    r"viewer|askpass|proxy|path|dir|vcs|allow|insteadof|pack|filter|file|exec|update)$",
    re.I,
)

# reviewed: git runs the value as a command line or a program (read as shell text)
SHELL = """
alias.* browser.<tool>.cmd browser.<tool>.path core.alternaterefscommand core.askpass
core.editor core.fsmonitor core.gitproxy core.pager core.sshcommand credential.helper
diff.<driver>.command diff.<driver>.textconv diff.external difftool.<tool>.cmd
difftool.<tool>.path filter.<driver>.clean filter.<driver>.smudge gpg.<format>.program
gpg.program gpg.ssh.defaultkeycommand guitool.<name>.cmd help.browser imap.tunnel
instaweb.browser instaweb.httpd interactive.difffilter man.<tool>.cmd man.<tool>.path
man.viewer merge.<driver>.driver mergetool.<tool>.cmd mergetool.<tool>.path pager.<cmd>
remote.<name>.receivepack remote.<name>.uploadpack sendemail.cccmd sendemail.tocmd
sequence.editor submodule.<name>.update trailer.<token>.cmd trailer.<token>.command
tar.<format>.command uploadpack.packobjectshook web.browser
"""

# reviewed: the value brings code or settings from elsewhere, or turns a URL into a command
REFUSED = """
core.hookspath core.worktree help.autocorrect include.path includeif.<condition>.path
init.templatedir protocol.<name>.allow protocol.allow remote.<name>.vcs url.<base>.insteadof
url.<base>.pushinsteadof filter.<driver>.process
"""

# reviewed: a rule flags them, and they are plain values (the ones notebooks and ordinary
# repositories set among them: user identity, safe.directory, transport and color settings)
DATA = """
am.keepcr am.threeway blame.ignorerevsfile checkout.defaultremote
checkout.thresholdforparallelism checkout.workers clone.defaultremotename clone.rejectshallow
color.diff color.pager color.ui column.ui commit.status completion.commands core.attributesfile
core.bare core.bigfilethreshold core.commentchar core.excludesfile core.filemode
core.fsmonitorhookversion core.fsync core.preferSymlinkRefs core.quotepath
core.restrictinheritedhandles core.safecrlf core.usereplacerefs credential.protectprotocol
credential.usehttppath diff.<driver>.binary diff.<driver>.cachetextconv diff.<driver>.wordregex
diff.<driver>.xfuncname diff.autorefreshindex diff.dirstat diff.guitool diff.ignoresubmodules
diff.interhunkcontext diff.orderfile diff.renames diff.statgraphwidth diff.tool
diff.wserrorhighlight difftool.trustexitcode feature.manyfiles fetch.parallel fetch.prune
fetch.showforcedupdates fetch.writecommitgraph format.coverletter format.filenamemaxlength
format.pretty format.signaturefile fsck.skiplist fsmonitor.socketdir gc.auto gc.autodetach
gc.bigpackthreshold gc.packrefs gc.pruneexpire gc.rerereresolved gc.rerereunresolved
gc.worktreepruneexpire gc.writecommitgraph gpg.ssh.allowedsignersfile gpg.ssh.revocationfile
grep.fallbacktonoindex http.<url>.* http.cookiefile http.minsessions http.noepsv http.proxy
http.sslcapath index.threads interactive.singlekey log.date log.decorate log.excludedecoration
mailinfo.scissors mailmap.file maintenance.<task>.enabled maintenance.<task>.schedule
maintenance.auto maintenance.commit-graph.auto maintenance.incremental-repack.auto
maintenance.loose-objects.auto maintenance.strategy merge.<driver>.name
merge.<driver>.recursive merge.autostash merge.ff merge.guitool merge.tool
merge.verifysignatures mergetool.<tool>.trustexitcode mergetool.prompt notes.displayref
notes.rewrite.<command> notes.rewritemode notes.rewriteref pack.depth pack.packsizelimit
pack.threads pack.window pack.windowmemory pull.ff pull.rebase push.default push.gpgsign
push.pushoption push.useforceifincludes rebase.abbreviatecommands rebase.autostash
rebase.missingcommitscheck rebase.rescheduleFailedExec receive.autogc receive.certnonceslop
receive.denycurrentbranch receive.updateserverinfo remote.<name>.mirror
remote.<name>.partialclonefilter remote.<name>.proxy remote.<name>.prune remote.<name>.pushurl
remote.<name>.skipdefaultupdate remote.<name>.url repack.cruftdepth repack.cruftthreads
repack.cruftwindow repack.cruftwindowmemory repack.updateserverinfo repack.writebitmaps
rerere.autoupdate safe.barerepository safe.directory ssh.variant stash.showincludeuntracked
stash.showpatch stash.showstat status.showuntrackedfiles status.submodulesummary
submodule.<name>.active submodule.<name>.fetchrecursesubmodules submodule.<name>.ignore
submodule.<name>.url submodule.active submodule.propagatebranches submodule.recurse
tag.forcesignannotated tag.gpgsign transfer.credentialsinurl transfer.fsckobjects
transfer.hiderefs uploadpack.allowfilter uploadpack.allowrefinwant uploadpackfilter.<filter>.allow
uploadpackfilter.allow
trailer.<token>.key trailer.<token>.where trailer.<token>.ifexists trailer.<token>.ifmissing
trailer.separators trailer.where trailer.ifexists trailer.ifmissing
"""

# reviewed (red team 18 R18-9): keys other gits and git-lfs read, which git 2.39's list leaves
# out. Each was read in its program's manual (git-lfs-config(5) of git-lfs 3.3, gitattributes(5),
# Git for Windows' config docs); a key of theirs no list here names stays refused.
# git-lfs: the keys that name a program are refused or shell text, the rest are plain values.
LFS_SHELL = """
lfs.extension.<name>.clean lfs.extension.<name>.smudge
"""
# a custom transfer agent is a program (path) and arguments the shell expands (args);
# standalonetransferagent picks one to run without asking the server
LFS_REFUSED = """
lfs.customtransfer.<name>.path lfs.customtransfer.<name>.args lfs.standalonetransferagent
lfs.<url>.standalonetransferagent
"""
LFS_DATA = """
lfs.url lfs.pushurl remote.<name>.lfsurl remote.<name>.lfspushurl remote.lfsdefault
remote.lfspushdefault lfs.remote.autodetect lfs.remote.searchall lfs.dialtimeout
lfs.tlstimeout lfs.activitytimeout lfs.<url>.activitytimeout lfs.keepalive
lfs.ssh.automultiplex lfs.ssh.retries lfs.cachecredentials lfs.storage lfs.largefilewarning
lfs.concurrenttransfers lfs.basictransfersonly lfs.tustransfers
lfs.customtransfer.<name>.concurrent lfs.customtransfer.<name>.direction
lfs.transfer.maxretries lfs.transfer.maxretrydelay lfs.transfer.maxverifies
lfs.transfer.enablehrefrewrite lfs.allowincompletepush lfs.fetchinclude lfs.fetchexclude
lfs.fetchrecentrefsdays lfs.fetchrecentremoterefs lfs.fetchrecentcommitsdays
lfs.fetchrecentalways lfs.pruneoffsetdays lfs.pruneremotetocheck lfs.pruneverifyremotealways
lfs.extension.<name>.priority lfs.<url>.access lfs.locksverify lfs.<url>.locksverify
lfs.<url>.contenttype lfs.skipdownloaderrors lfs.forceprogress lfs.setlockablereadonly
lfs.lockignoredfiles lfs.defaulttokenttl lfs.gitprotocol
"""
# plain values: filter.<driver>.required (gitattributes(5): a filter's failure is an error),
# core.longpaths (Git for Windows: paths over 260 characters), https.proxy (no git reads it:
# git's key is http.proxy; an inert line notebooks copy)
OTHER_DATA = """
filter.<driver>.required core.longpaths https.proxy
"""
# reviewed: a key refused or run as shell text that is a plain value for exactly these values:
# what `git lfs install` (and `--skip-smudge`) writes runs git-lfs's own filter, a program that
# installs nothing; any other value is read as the key's kind (filter.<driver>.process: refused)
EXACT_DATA = {
    "filter.lfs.process": ["git-lfs filter-process", "git-lfs filter-process --skip"],
    "filter.lfs.clean": ["git-lfs clean -- %f"],
    "filter.lfs.smudge": ["git-lfs smudge -- %f", "git-lfs smudge --skip -- %f"],
}

# reviewed: families of plain values git documents as a group (advice messages, colors, fsck
# message severities), so their keys have no manual text of their own
DATA_FAMILIES = ("advice.", "color.", "fsck.", "receive.fsck.", "fetch.fsck.")

# keys git's list leaves out (documented in other manuals: interpret-trailers, archive,
# gitattributes), classified above
EXTRA = ("trailer.<token>.", "trailer.separators", "trailer.where", "trailer.if", "tar.<format>.",
         "filter.<driver>.process", "filter.<driver>.required", "lfs.", "remote.<name>.lfs",
         "remote.lfs", "core.longpaths", "https.proxy")  # fmt: skip


def _words(text: str) -> set:
    return {w.lower() for w in text.split()}


def git_keys() -> list:
    """Every key `git help --config` lists, lowercased (git's section and variable names are
    case-insensitive; a free part is written `<name>`)."""
    out = subprocess.run(
        ["git", "help", "--config"], capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
    ).stdout  # fmt: skip
    keys = (line.strip().lower() for line in out.splitlines())
    return sorted({k for k in keys if re.match(r"^\S+\.\S+$", k)})


def _roff_text(line: str) -> str:
    line = re.sub(r"\\f[BIRP]|\\&|\\%", "", line)
    return line.replace("\\-", "-").replace("\\(aq", "'").replace("\\(dq", '"')


def manual() -> dict:
    """Key (lowercased, as the manual writes it) -> the manual's text about it, from
    git-config.1: a term line after `.PP`, its text between `.RS 4` and the matching `.RE`."""
    path = Path(
        subprocess.run(["git", "--man-path"], capture_output=True, text=True).stdout.strip()
        or "/usr/share/man"
    ) / "man1" / "git-config.1.gz"  # fmt: skip
    assert path.exists(), f"{path} is needed (Debian: apt-get install git-man)"
    lines = gzip.open(path, "rt", encoding="utf-8").read().splitlines()
    docs, terms, taking, depth, body = {}, [], [], 0, []
    for k, line in enumerate(lines):
        if line == ".PP" and depth == 0 and k + 1 < len(lines) and lines[k + 1][:1] != ".":
            terms.append(_roff_text(lines[k + 1]).strip())
        elif line.startswith(".RS"):
            depth += 1
            if depth == 1 and terms:
                taking, terms, body = terms, [], []
        elif line.startswith(".RE"):
            depth -= 1
            if depth == 0 and taking:
                text = " ".join(_roff_text(x) for x in body if not x.startswith("."))
                for term in taking:
                    for key in re.split(r",\s*", term):
                        docs.setdefault(key.strip().lower(), text)
                taking = []
        elif taking:
            body.append(line)
        elif depth == 0 and line[:1] != "." and k > 0 and lines[k - 1] != ".PP":
            terms = []  # running text between terms: not a key's
    return docs


def _pattern(key: str) -> re.Pattern:
    """A listed key as a pattern over keys: `<name>` is any middle part, `*` any rest."""
    parts = (".+" if p[:1] == "<" else ".*" if p == "*" else re.escape(p) for p in key.split("."))
    return re.compile(r"\.".join(parts))


def manual_text(key: str, docs: dict) -> str:
    """The manual's text about ``key``: its own, or its group's (advice.*, color.diff.<slot>)."""
    if key in docs:
        return docs[key]
    for term, text in docs.items():
        if ("<" in term or "*" in term) and _pattern(term).fullmatch(key):
            return text
    return ""


def classify(key: str, docs: dict):
    """(class, why) of one key: the reviewed lists first, then the rules (deny by default)."""
    for kind, listed in (
        ("shell", SHELL + LFS_SHELL), ("refused", REFUSED + LFS_REFUSED),
        ("data", DATA + LFS_DATA + OTHER_DATA),
    ):  # fmt: skip
        if key in _words(listed):
            return kind, "reviewed"
    if key.endswith(".<url>.*") or key.endswith(".<identity>.*") or key.endswith(".<id>.*"):
        return "inherit", "the key without its middle part decides"
    if key.startswith(DATA_FAMILIES) and "." in key:
        return "data", "reviewed family"
    text = manual_text(key, docs)
    if not text:
        return "refused", "no manual text"
    if RUNS_NAMES.search(key.rsplit(".", 1)[-1]):
        return "refused", "its name says it is a command or where one comes from"
    found = RUNS_WORDS.search(text)
    if found:
        return "refused", f"the manual says {found.group(0)!r}"
    return "data", ""


def _reviewed() -> set:
    return _words(SHELL + LFS_SHELL) | _words(REFUSED + LFS_REFUSED) | (
        _words(DATA + LFS_DATA + OTHER_DATA)
    )


def table() -> dict:
    version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.split()
    assert version[-1] == GIT_VERSION, (
        f"git is {version[-1]}, the table is for {GIT_VERSION}: review the lists and regenerate"
    )
    docs = manual()
    keys = set(git_keys())
    keys |= {k for k in _reviewed() if k.startswith(EXTRA)}
    stale = sorted(k for k in _reviewed() if k not in keys)
    assert not stale, f"reviewed keys git does not list: {stale}"
    return {k: classify(k, docs) for k in sorted(keys)}


def text() -> str:
    classes = table()
    document = {
        "description": (
            "GENERATED by scripts/git-config-keys.py from `git help --config` and git-config(1) "
            f"of git {GIT_VERSION}: every git setting key -> data | shell (git runs the value: "
            "Warden reads it as shell text) | refused | inherit (`section.<x>.*`: the key "
            "without its middle part decides). `<name>` is any middle part, `*` any rest; "
            "sections and variable names are matched ignoring case. A key that matches no "
            "entry is refused (deny by default; red team 17, keys18). Keys other gits and "
            "git-lfs read (core.longpaths, lfs.*, filter.<driver>.required) are reviewed lists "
            "of the script (red team 18 R18-9). exact_data: key (lowercased) -> values that "
            "are data for that key whatever its kind (what `git lfs install` writes); any "
            "other value is read as the key's kind. Read by "
            "jupyterlab_warden/kernel/guard/installs/shell_runners.py and "
            "src/deps/shellrunners.ts for git's `-c`, `config KEY VALUE` and GIT_CONFIG_KEY_n."
        ),
        "git_version": GIT_VERSION,
        "keys": {k: kind for k, (kind, _why) in classes.items()},
        "exact_data": EXACT_DATA,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == text() else 1)
    if sys.argv[1:] == ["--explain"]:
        for key, (kind, why) in table().items():
            if kind != "data" or why:
                print(f"{kind:8} {key:50} {why}")
        sys.exit(0)
    OUT.write_text(text(), encoding="utf-8")

"""Red team 16 R16-7: git subcommands' own options that run a command (grep's
`-O`/`--open-files-in-pager[=CMD]`, by any unique prefix; daemon's `--access-hook`; instaweb's
`--httpd`/`--browser`) are refused (schema/shell-runners.json `subcommand_refused`); the
decisions on both sides are vectors in schema/vectors/install-decision.json.
"""

import pytest
from launched import BUILT

# the installer's name built by quotes the inner shell removes
QUOTED = BUILT.replace("u$@v", 'u""v').replace("p$@ip", 'p""ip')
REPO = "git init -q r && cd r && echo hello > f && git add f && "


@pytest.mark.parametrize("option", ["--open-files-in-pager=", "--open="])
def test_git_grep_pager_command_installs_without_warden_and_is_refused(kernel, option):
    """git runs the pager command through the shell with the matching files' names."""
    kernel.proves_command_text_refused("git", REPO + f"git grep {option}'{QUOTED}; :' hello")

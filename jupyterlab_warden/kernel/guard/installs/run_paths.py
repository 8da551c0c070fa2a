"""The PATHs a command's starts search, beside its line's (red team 91a, fixG): a link
leading nowhere now (``dangling``) in a folder of a PATH the command itself is given.

``commands._refuse_unsure_path_links`` walked the PATH the line's shell gives its commands
(``start_env``): a PATH on the command itself (``PATH=B tar ...``, ``env PATH=B tar ...``),
and the folders a runner puts in front of its command's PATH (``uv run``: the environment's
``.venv/bin``; ``npm run``/``npx``: ``node_modules/.bin``; ``conda run``: the environment's
``bin``) were not walked, so ``mkdir m && PATH=B tar czf o.tgz a.txt`` with ``B/gzip ->
../m/../evil`` ran evil unread (tar runs gzip by name). ``commands._simple`` notes each start's
(program, environment) as it reads it, the environment its PATH is searched with
(``_npm_run_env``'s, ``_uv_run_env``'s, ``_conda_run_env``'s, the prefix assignments' and
env's operands'); ``others`` gives those whose PATH is not the line's, each PATH once, for the
same walk. Pure logic.
"""


def others(line_env: dict, noted) -> list:
    """The (program, environment) pairs of ``noted`` (``commands._RUN_ENVS``' list) whose
    PATH differs from ``line_env``'s (already walked), each program and PATH once."""
    line_path = line_env.get("PATH")
    seen = set()
    found = []
    for name, env in noted or ():
        path = env.get("PATH")
        if path == line_path or (name, path) in seen:
            continue
        seen.add((name, path))
        found.append((name, env))
    return found

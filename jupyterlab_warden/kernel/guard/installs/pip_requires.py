"""A dependency's direct reference, decided in pip's own process (red team 43a R43a-1).

A wheel's metadata may say ``Requires-Dist: x @ URL`` (PEP 508). pip 23.2 refuses one only
when its parent came from PyPI's file host; from any other index (the devpi or Nexus mirror an
admin trusts) it downloads the URL, which no page and no command line named, and a ``file:``
one installs a wheel on this machine that Warden never read. Both of pip's resolvers build a
dependency through ``req.constructors.install_req_from_req_string`` (as ``cli.req_command``
bound it into their ``make_install_req``): there each direct reference is decided as the
command line's are (the direct-URL rule, the host's trust), a ``file:`` wheel read as a local
folder's (``local_wheels.add_offered``: its start-up code, its Requires-Dist), and the URL is
then vouched for (``pip_links.vouch``), the one thing ``pip_links.download_wrapper`` lets a
download ask for besides decided pages' links and the decided command line's references.
"""

KIND = "pip-requires"


def wrapper(original, label, state):
    """``install_req_from_req_string(req_string, comes_from, ...)``: the requirement pip built,
    its direct reference decided before pip resolves it (refusals only)."""

    def install_req_from_req_string(req_string, *args, **kwargs):
        ireq = original(req_string, *args, **kwargs)
        gate = getattr(state, "installs", None)
        req = getattr(ireq, "req", None)
        url = getattr(req, "url", None)
        if gate is not None and url:
            link = getattr(ireq, "link", None)
            path = ""
            if getattr(link, "is_file", False):
                try:
                    path = str(link.file_path)  # pip's own reading of the file: URL
                except Exception:  # noqa: BLE001 - pip cannot place it either: refused below
                    path = ""
            parent = getattr(getattr(ireq, "comes_from", None), "name", None) or ""
            gate.decide_dependency(f"{req.name} @ {url}", str(parent), path)
        return ireq

    return install_req_from_req_string

"""A plain http:// central_url is for this machine only."""

import pytest

from jupyterlab_warden.lab.central.link import central_url_problem


@pytest.mark.parametrize("url", [
    "https://warden.example.org", "https://10.0.0.5:8443", "http://127.0.0.1:8080",
    "http://127.9.9.9", "http://localhost:3000", "http://[::1]:3000",
])
def test_accepted(url):
    assert central_url_problem(url) is None


@pytest.mark.parametrize(("url", "words"), [
    ("http://warden.example.org", "plain http:// to warden.example.org"),
    ("http://10.0.0.5:8080", "plain http:// to 10.0.0.5"),
    ("http://localhost.example.org", "plain http://"),
    ("http://127.0.0.1.nip.io", "plain http://"),
    ("ftp://warden.example.org", "not an http(s) URL"),
    ("warden.example.org", "not an http(s) URL"),
])
def test_refused(url, words):
    assert words in central_url_problem(url)

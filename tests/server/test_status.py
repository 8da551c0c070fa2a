import json

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_warden import __version__


async def test_status_reports_version_mode_and_policy(jp_fetch):
    response = await jp_fetch("warden", "status")
    assert response.code == 200
    body = json.loads(response.body)
    assert body["version"] == __version__
    assert body["mode"] == "active"
    assert body["policy"]["source"] == "built-in"


async def test_status_requires_authentication(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("warden", "status", headers={"Authorization": "token wrong"})
    assert err.value.code == 403

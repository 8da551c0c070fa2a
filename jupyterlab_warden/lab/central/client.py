"""HTTP calls to the central service (wire format: central/API.md).

Every call answers a ``CentralAnswer`` and never raises for network trouble: refused
connections, timeouts, 5xx and bodies that are not the JSON promised all become an answer
with ``ok`` False and a short ``error``, which the callers turn into a retry. The token is
sent only to ``central_url`` (no redirects are followed) and never logged.
"""

import gzip
import json
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from .backoff import parse_retry_after

# Bodies below this go uncompressed: gzip costs more than it saves on tiny batches.
GZIP_MIN_BYTES = 1024
MAX_ANSWER_BYTES = 8 * 1024 * 1024


@dataclass
class CentralAnswer:
    status: int  # HTTP status; 0 when there was no HTTP answer at all
    body: Any = None  # parsed JSON, or None
    headers: dict = field(default_factory=dict)
    error: Optional[str] = None  # why this is not a usable answer

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def retry_after(self) -> Optional[float]:
        return parse_retry_after(self.headers.get("Retry-After"))


class CentralClient:
    def __init__(
        self, url: str, token: str, *, timeout: float = 20.0, ca_file: Optional[str] = None,
        user_agent: str = "jupyter-warden",
    ) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.ca_file = ca_file or None
        self.user_agent = user_agent
        self._http = AsyncHTTPClient(force_instance=True, max_body_size=MAX_ANSWER_BYTES)

    def close(self) -> None:
        self._http.close()

    async def whoami(self) -> CentralAnswer:
        return await self._call("GET", "/api/v1/whoami", expect_json=True)

    async def get_policy(self, etag: Optional[str], wait: int = 0) -> CentralAnswer:
        """200 with the signed envelope, or 304 when ``etag`` is still current."""
        headers, query = {}, {}
        if etag:
            headers["If-None-Match"] = etag
            if wait:
                query["wait"] = str(wait)  # central holds only requests that name an etag
        path = "/api/v1/policy" + ("?" + urlencode(query) if query else "")
        return await self._call("GET", path, headers=headers, expect_json=True,
                                extra_timeout=wait if etag else 0, ok_statuses=(200, 304))

    async def post_events(self, events: list, users: Optional[list] = None) -> CentralAnswer:
        """``users`` (parallel to ``events``): the Jupyter user the lab authenticated for each
        event when it received it, or None; central records it, never a user from the body."""
        body = {"events": events}
        if users is not None:
            body["users"] = users
        return await self._call("POST", "/api/v1/events", body=body, expect_json=True)

    async def post_status(self, status: dict) -> CentralAnswer:
        return await self._call("POST", "/api/v1/status", body=status, expect_json=False,
                                ok_statuses=(200, 204))

    # -- fleet artifact registry (issue 19, contract-registry.md) --------------------------
    async def get_artifact_decisions(self, since: Optional[int]) -> CentralAnswer:
        """200 with the signed decisions envelope, or 304 when ``since`` is current."""
        path = "/api/v1/artifacts/decisions"
        if since is not None:
            path += "?" + urlencode({"since": str(since)})
        return await self._call("GET", path, expect_json=True, ok_statuses=(200, 304))

    async def lookup_artifacts(self, shas: list) -> CentralAnswer:
        return await self._call(
            "POST", "/api/v1/artifacts/lookup", body={"sha256": shas}, expect_json=True
        )

    async def post_artifact_reports(self, reports: list) -> CentralAnswer:
        return await self._call(
            "POST", "/api/v1/artifacts/reports", body={"reports": reports}, expect_json=False,
            ok_statuses=(202,),
        )

    async def _call(
        self, method: str, path: str, *, body: Any = None, headers: Optional[dict] = None,
        expect_json: bool, extra_timeout: float = 0, ok_statuses=(200,),
    ) -> CentralAnswer:
        headers = dict(headers or {})
        headers["Authorization"] = f"Bearer {self._token}"
        headers["Accept"] = "application/json"
        headers["User-Agent"] = self.user_agent
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if len(data) >= GZIP_MIN_BYTES:
                data = gzip.compress(data, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
        request = HTTPRequest(
            self.url + path, method=method, headers=headers, body=data,
            connect_timeout=self.timeout, request_timeout=self.timeout + extra_timeout,
            follow_redirects=False, decompress_response=True, ca_certs=self.ca_file,
        )
        try:
            response = await self._http.fetch(request, raise_error=False)
        except HTTPClientError as err:  # 599: timeout or closed early; else e.g. too large
            if err.code == 599:
                return CentralAnswer(status=0, error=f"central unreachable: {err.message}")
            return CentralAnswer(status=err.code, error=f"bad answer ({err.code})")
        except Exception as err:  # refused, reset, DNS, TLS...: no HTTP answer
            return CentralAnswer(status=0, error=f"central unreachable: {type(err).__name__}")
        answer_headers = {"Retry-After": response.headers.get("Retry-After"),
                          "ETag": response.headers.get("ETag")}
        if response.code == 599:  # tornado's code for timeouts and connection errors
            reason = type(response.error).__name__ if response.error else "no answer"
            return CentralAnswer(status=0, headers=answer_headers,
                                 error=f"central unreachable: {reason}")
        parsed = None
        if expect_json and response.code != 304 and response.body:
            try:
                parsed = json.loads(response.body)
            except ValueError:
                parsed = None
        if response.code not in ok_statuses:
            message = parsed.get("error") if isinstance(parsed, dict) else None
            return CentralAnswer(status=response.code, body=parsed, headers=answer_headers,
                                 error=f"HTTP {response.code}" + (f" {message}" if message else ""))
        if expect_json and response.code == 200 and not isinstance(parsed, dict):
            return CentralAnswer(status=response.code, headers=answer_headers,
                                 error="answer is not a JSON object")
        return CentralAnswer(status=response.code, body=parsed, headers=answer_headers)

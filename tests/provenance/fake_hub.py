"""A small Hugging Face hub on 127.0.0.1 for tests: the resolve, revision and tree routes that
huggingface_hub's hf_hub_download and snapshot_download use, with branches a test can move."""

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


class Repo:
    def __init__(self, repo_id: str):
        self.repo_id = repo_id
        self.commits = {}  # commit -> {filename: bytes}
        self.branches = {}

    def commit(self, files: dict, branch: str = "main") -> str:
        blob = json.dumps(sorted((k, hashlib.sha256(v).hexdigest()) for k, v in files.items()))
        sha = hashlib.sha1((self.repo_id + blob + str(len(self.commits))).encode()).hexdigest()
        self.commits[sha] = dict(files)
        self.branches[branch] = sha
        return sha

    def resolve(self, revision: str):
        revision = unquote(revision or "main")
        if revision in self.commits:
            return revision
        return self.branches.get(revision)


class FakeHub:
    def __init__(self):
        self.repos = {}
        self.requests = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):  # noqa: N802
                self._serve(body=False)

            def do_GET(self):  # noqa: N802
                self._serve(body=True)

            def _serve(self, body: bool):
                hub.requests.append((self.command, self.path))
                answer = hub.route(urlsplit(self.path).path)
                if answer is None:
                    self.send_response(404)
                    self.send_header("X-Error-Code", "EntryNotFound")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data, headers = answer
                self.send_response(200)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if body:
                    self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def repo(self, repo_id: str) -> Repo:
        return self.repos.setdefault(repo_id.lower(), Repo(repo_id))

    def route(self, path: str):
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if len(parts) >= 5 and parts[2] == "resolve":
            repo = self.repos.get(f"{parts[0]}/{parts[1]}".lower())
            commit = repo and repo.resolve(parts[3])
            data = commit and repo.commits[commit].get("/".join(parts[4:]))
            if data is None:
                return None
            return data, {
                "X-Repo-Commit": commit,
                "ETag": '"' + hashlib.sha256(data).hexdigest() + '"',
                "Content-Type": "application/octet-stream",
            }
        if len(parts) >= 6 and parts[0] == "api" and parts[1] == "models":
            repo = self.repos.get(f"{parts[2]}/{parts[3]}".lower())
            commit = repo and repo.resolve(parts[5])
            if commit is None:
                return None
            files = repo.commits[commit]
            if parts[4] == "revision":
                doc = {
                    "id": repo.repo_id,
                    "sha": commit,
                    "siblings": [{"rfilename": name} for name in sorted(files)],
                }
            elif parts[4] == "tree":
                doc = [
                    {
                        "type": "file",
                        "path": name,
                        "size": len(data),
                        "oid": hashlib.sha1(data).hexdigest(),
                    }
                    for name, data in sorted(files.items())
                ]
            else:
                return None
            return json.dumps(doc).encode(), {"Content-Type": "application/json"}
        return None

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

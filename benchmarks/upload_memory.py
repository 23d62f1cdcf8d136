"""Peak memory of the server for one ITA response upload: a small CSV and a 60 MB one.

Starts a server process (wsgiref, one request at a time, a scratch SQLite database), signs a planner
in, posts the file to the round's import page as a browser would (streamed, multipart) and prints
the server's peak resident memory (VmHWM) after the request, with the response status. Each size
gets a fresh server so that the peaks do not mix.

    .venv/bin/python benchmarks/upload_memory.py                 # this tree
    PYTHONPATH=/path/to/other/tree .venv/bin/python benchmarks/upload_memory.py   # another version

Not a test: the figures go into the commit message and the report.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MB = 1024 * 1024
BOUNDARY = "prongsai-benchmark"
CSRF = "a" * 32


def serve() -> None:
    import django

    django.setup()
    from wsgiref.simple_server import WSGIServer, make_server

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIRequestHandler

    import prongsai
    from prongsai.conftest import make_org, make_user
    from prongsai.ita import actions
    from prongsai.organizations.models import Role
    from prongsai.wsgi import application

    call_command("migrate", verbosity=0)
    org = make_org("wangphai", "เทศบาลตำบลวังไผ่")
    alice = make_user("alice", org, Role.PLANNER)
    survey_round = actions.open_round(alice, org, year=2568, title="bench")
    session = SessionStore()
    session[SESSION_KEY] = str(alice.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = alice.get_session_auth_hash()
    session.create()
    server = make_server("127.0.0.1", 0, application, WSGIServer, WSGIRequestHandler)
    from django.urls import reverse

    url = reverse("ita_round_import", kwargs={"org": org.slug, "round_id": survey_round.pk})
    print(
        json.dumps(
            {
                "port": server.server_port,
                "session": session.session_key,
                "url": url,
                "code": prongsai.__file__,
            }
        ),
        flush=True,
    )
    server.handle_request()  # the upload
    server.handle_request()  # a last request, answered after the memory has been read


def body(size: int, keys: list[str]) -> tuple[int, Iterator[bytes]]:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{CSRF}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="tool"\r\n\r\nIIT\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="iit.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    header = (",".join(keys) + "\n").encode()
    row = (",".join("1" for _key in keys) + "\n").encode()  # 1 is an answer on every item
    rows = max(1, (size - len(header)) // len(row))
    file_size = len(header) + rows * len(row)

    def chunks() -> Iterator[bytes]:
        yield head + header
        block = row * max(1, (256 * 1024) // len(row))
        left = rows * len(row)
        while left > 0:
            piece = block[:left]
            left -= len(piece)
            yield piece
        yield tail

    return len(head) + file_size + len(tail), chunks()


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def measure(size: int, env: dict[str, Any], keys: list[str]) -> tuple[int, int, int, str]:
    env = {
        **env,
        "PRONGSAI_SQLITE_PATH": str(Path(tempfile.mkdtemp(dir=env["PRONGSAI_VAR_DIR"])) / "bench.sqlite3"),
    }
    server = subprocess.Popen(  # noqa: S603 - this script itself, a fixed command line
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, env=env, text=True
    )
    assert server.stdout is not None
    info = json.loads(server.stdout.readline())
    before = peak_kib(server.pid)
    length, chunks = body(size, keys)
    connection = http.client.HTTPConnection("127.0.0.1", info["port"], timeout=600)
    connection.putrequest("POST", info["url"])
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(length))
    connection.putheader("Cookie", f"sessionid={info['session']}; csrftoken={CSRF}")
    connection.endheaders()
    try:
        for chunk in chunks:
            connection.send(chunk)
        response = connection.getresponse()
        status, page = response.status, response.read().decode(errors="replace")
    except (BrokenPipeError, ConnectionResetError):
        status, page = 0, "connection closed by the server"
    time.sleep(0.2)
    peak = peak_kib(server.pid)
    server.kill()
    server.wait()
    message = ""
    for marker in ("เกินกว่าที่รับได้", "ใหญ่เกินไป", "ไม่ได้นำเข้า", "นำเข้าคำตอบ"):
        at = page.find(marker)
        if at >= 0:
            message = page[max(0, at - 60) : at + 60].replace("\n", " ")
            break
    return length, before, peak, f"status {status} {message}".strip()


def main() -> None:
    if "--serve" in sys.argv:
        serve()
        return
    scratch = Path(tempfile.mkdtemp(prefix="prongsai-upload-bench-"))
    env = {
        **os.environ,
        "PRONGSAI_VAR_DIR": str(scratch),
        "PRONGSAI_SQLITE_PATH": str(scratch / "bench.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "prongsai.settings",
        "SECURE_COOKIES": "0",
        "DATABASE_URL": "",
    }
    import django

    os.environ.update({k: v for k, v in env.items() if k.startswith(("PRONGSAI_", "DJANGO_"))})
    django.setup()
    from prongsai.ita import catalog

    keys = list(catalog.questionnaires_of(catalog.load_model("ita-2562"))["IIT"].item_keys)
    cases = [
        ("small CSV (100 rows)", 100 * 90, {}),
        ("15 MB CSV (185,000 rows)", 15 * MB, {}),
        ("60 MB CSV", 60 * MB, {}),
        ("60 MB CSV, MAX_REQUEST_MB=100", 60 * MB, {"MAX_REQUEST_MB": "100"}),
    ]
    for label, size, extra in cases:
        length, before, peak, outcome = measure(size, {**env, **extra}, keys)
        print(
            f"{label:>30}: body {length / 1024:8.0f} KiB, server before {before / 1024:6.1f} MB, "
            f"peak {peak / 1024:6.1f} MB; {outcome}"
        )


if __name__ == "__main__":
    main()

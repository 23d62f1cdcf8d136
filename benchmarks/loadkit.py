"""What the load benchmarks share: gunicorn with 2 workers on loopback, bounded client threads, tallies.

Every phase is bounded in time and clients; nothing leaves 127.0.0.1. Figures are compared as ratios to a
phase measured in the same run (the machines are shared and noisy).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn with 2 sync workers on a loopback port, stopped when the phase is over."""

    def __init__(self, env: dict[str, str], log_folder: Path) -> None:
        self.port = free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "prongsai.wsgi", "--bind", f"{HOST}:{self.port}", "--workers", "2"]
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [*command, "--log-level", "warning", "--graceful-timeout", "2"],
            cwd=ROOT,
            env=os.environ | env,
            stderr=open(log_folder / "gunicorn.log", "a"),  # noqa: SIM115 - open while the server runs
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request(
    port: int, method: str, path: str, body: dict[str, str] | None = None, cookie: str = ""
) -> tuple[int, str, str]:
    """One request on a new connection (gunicorn's sync workers close it after each): status, body, cookie."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        set_cookie = response.getheader("Set-Cookie") or ""
        return response.status, text, set_cookie.split(";", 1)[0]
    finally:
        connection.close()


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def run_for(seconds: float, clients: int, work: Callable[[int, float], None]) -> float:
    """``clients`` threads calling ``work(client, deadline)`` until the deadline; returns elapsed seconds."""
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=work, args=(n, deadline)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def phase_pages(port: int, paths: list[str], clients: int, seconds: float) -> tuple[float, Tally]:
    tally = Tally()

    def work(client: int, deadline: float) -> None:
        i = client
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            status, _body, _cookie = request(port, "GET", paths[i % len(paths)])
            tally.add(status, time.perf_counter() - t0)
            i += 1

    elapsed = run_for(seconds, clients, work)
    return len(tally.latencies) / elapsed, tally

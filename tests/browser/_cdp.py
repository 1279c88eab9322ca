"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (stdlib only).

Chromium reads commands from file descriptor 3 and writes replies and events to descriptor 4,
each a JSON message terminated by a NUL byte. No port is opened, nothing is downloaded: the
browser is Debian's ``chromium`` package. Used only by the browser tests.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# The flags of the brief: headless, no sandbox (CI runs as root), no GPU, and no background
# traffic of any kind (updates, sync, QUIC, first-run pings); host names resolve to nothing.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars",
)


_TRAMPOLINE = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
    "os.close(int(sys.argv[1])); os.close(int(sys.argv[2])); os.execv(sys.argv[3], sys.argv[3:])"
)


def _high_fd(fd: int, low: int = 10) -> int:
    """Move ``fd`` to a number >= ``low`` (closing the old one)."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, low)
    os.close(fd)
    return moved


class CDPError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


class Chromium:
    """Headless Chromium driven over a pipe.

    Parameters
    ----------
    executable : str
        Path of the chromium binary (Debian: ``/usr/bin/chromium``).
    profile : pathlib.Path
        A fresh ``--user-data-dir``.
    """

    def __init__(self, executable: str, profile: Path) -> None:
        cmd_read, self._cmd_write = os.pipe()  # we write, chromium reads as fd 3
        self._res_read, res_write = os.pipe()  # chromium writes as fd 4, we read
        # The child's ends are moved onto fds 3 and 4 below: they must not already be 3 or 4.
        cmd_read, res_write = (_high_fd(cmd_read), _high_fd(res_write))
        self._log = open(profile.parent / "chromium-stderr.log", "wb")
        argv = [executable, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"]
        # A tiny Python trampoline puts the pipe ends on fds 3 and 4, then execs chromium
        # (a shell would do, but dash accepts only one-digit descriptors in redirections).
        self.process = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, str(cmd_read), str(res_write), *argv],
            pass_fds=(cmd_read, res_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        os.close(cmd_read)
        os.close(res_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    # -- transport

    def _write(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            written = os.write(self._cmd_write, data)
            data = data[written:]

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CDPError("Chromium did not answer in time.")
            ready, _, _ = select.select([self._res_read], [], [], remaining)
            if ready:
                chunk = os.read(self._res_read, 1 << 20)
                if not chunk:
                    raise CDPError(f"Chromium closed the pipe (exit code {self.process.poll()}).")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    # -- protocol

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        self._write(message)
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, *, timeout: float = 30.0) -> dict[str, Any]:
        """Return the first event named ``method`` (already received or still to come)."""
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._read(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def drain(self, seconds: float) -> None:
        """Collect the events of the next ``seconds``."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read(deadline))
        except CDPError:
            if self.process.poll() is not None:
                raise

    def evaluate(self, expression: str, *, session: str) -> Any:
        """Evaluate JavaScript in the page and return its JSON value."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=session,
        )
        if "exceptionDetails" in result:
            raise CDPError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (CDPError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for fd in (self._cmd_write, self._res_read):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()

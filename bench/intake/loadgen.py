"""A small HTTP/1.1 load generator on asyncio streams, with keep-alive connections.

Two ways to drive a server:

* ``closed_loop(op, concurrency, seconds)``: ``concurrency`` clients each send a request, wait
  for the answer, and send the next. Gives the sustained throughput at that concurrency.
* ``open_loop(op, rate, seconds)``: requests start at a fixed arrival rate whether or not
  earlier ones have been answered (over as many connections as needed). Latency is counted
  from the moment a request was due, not from when a connection was free, so a server that
  falls behind shows it in the percentiles ("coordinated omission" is avoided).

Connections are reused (keep-alive) from a last-in-first-out pool; one left idle longer than
``IDLE_LIMIT`` is closed rather than reused, since the server (gunicorn, keep-alive 2 s)
closes idle connections itself. A request that fails on a reused connection before any byte
of the answer arrived (the server had just closed it) is sent again once on a new connection,
as HTTP clients do.

No third-party packages: responses are parsed here (status line, headers, Content-Length or
chunked bodies).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

IDLE_LIMIT = 1.5  # seconds; gunicorn's keep-alive is 2 s
TIMEOUT = 30.0  # seconds for one request


class HttpError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def set_cookies(self) -> dict[str, str]:
        out = {}
        for k, v in self.headers:
            if k == "set-cookie":
                pair = v.split(";", 1)[0]
                if "=" in pair:
                    name, value = pair.split("=", 1)
                    out[name.strip()] = value.strip().strip('"')
        return out


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.last_used = time.monotonic()
        self.uses = 0
        self.closed = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.writer.close()


class Pool:
    """Keep-alive connections to one host and port, reused last-in-first-out."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[Connection] = []
        self.opened = 0
        self.resent = 0

    async def _open(self) -> Connection:
        reader, writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        self.opened += 1
        return Connection(reader, writer)

    async def acquire(self) -> Connection:
        now = time.monotonic()
        while self.idle:
            conn = self.idle.pop()
            if not conn.closed and now - conn.last_used < IDLE_LIMIT:
                return conn
            conn.close()
        return await self._open()

    def release(self, conn: Connection) -> None:
        if conn.closed:
            return
        conn.last_used = time.monotonic()
        self.idle.append(conn)

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> Response:
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        for k, v in (headers or {}).items():
            head.append(f"{k}: {v}")
        if body or method in ("POST", "PUT", "PATCH"):
            head.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        for attempt in range(2):
            conn = await self.acquire()
            reused = conn.uses > 0
            got_bytes = [False]
            try:
                response = await asyncio.wait_for(_exchange(conn, raw, got_bytes), TIMEOUT)
            except (ConnectionError, asyncio.IncompleteReadError, HttpError) as exc:
                conn.close()
                if reused and not got_bytes[0] and attempt == 0:
                    self.resent += 1
                    continue
                raise HttpError(f"{type(exc).__name__}: {exc}") from exc
            except BaseException:
                conn.close()
                raise
            conn.uses += 1
            if (response.header("connection") or "").lower() == "close":
                conn.close()
            self.release(conn)
            return response
        raise HttpError("unreachable")


async def _exchange(conn: Connection, raw: bytes, got_bytes: list[bool]) -> Response:
    conn.writer.write(raw)
    await conn.writer.drain()
    reader = conn.reader
    line = await reader.readline()
    if not line:
        raise HttpError("connection closed by server")
    got_bytes[0] = True
    parts = line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise HttpError(f"bad status line {line!r}")
    status = int(parts[1])
    headers: list[tuple[str, str]] = []
    while True:
        h = await reader.readline()
        if h in (b"\r\n", b"\n"):
            break
        if not h:
            raise HttpError("connection closed in headers")
        k, _, v = h.decode("latin-1").partition(":")
        headers.append((k.strip().lower(), v.strip()))
    hd = dict(headers)
    if "content-length" in hd:
        body = await reader.readexactly(int(hd["content-length"]))
    elif "chunked" in hd.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        body = await reader.read()
        conn.close()
    return Response(status, headers, body)


# --------------------------------------------------------------------------- driving


@dataclass
class Outcome:
    """What one operation reports: ok or not, and a short label for the tally."""

    ok: bool
    label: str
    parts: dict[str, float] = field(default_factory=dict)  # sub-step latencies, seconds


@dataclass
class StepResult:
    name: str
    mode: str  # "closed" or "open"
    level: float  # concurrency or arrival rate
    seconds: float
    latencies: list[float] = field(default_factory=list)  # ok operations only
    parts: dict[str, list[float]] = field(default_factory=dict)
    tally: dict[str, int] = field(default_factory=dict)
    started: int = 0
    late_starts: int = 0  # open loop: requests that started more than 10 ms after they were due
    elapsed: float = 0.0  # open loop: from the first counted request's due time to the last answer
    max_inflight: int = 0

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(self.tally.values()) - self.ok

    @property
    def throughput(self) -> float:
        """Answered operations per second over the measured window (open loop: until the last
        counted request was answered, so a server that falls behind gets no credit)."""
        span = max(self.seconds, self.elapsed)
        return self.ok / span if span else 0.0

    def pct(self, q: float, values: list[float] | None = None) -> float:
        values = sorted(self.latencies if values is None else values)
        if not values:
            return float("nan")
        k = min(len(values) - 1, max(0, math.ceil(q / 100 * len(values)) - 1))  # nearest rank
        return values[k]


Op = Callable[[], Awaitable[Outcome]]


def _record(result: StepResult, outcome: Outcome, latency: float) -> None:
    result.tally[outcome.label] = result.tally.get(outcome.label, 0) + 1
    if outcome.ok:
        result.latencies.append(latency)
        for k, v in outcome.parts.items():
            result.parts.setdefault(k, []).append(v)


async def _guarded(op: Op) -> Outcome:
    try:
        return await op()
    except HttpError as exc:
        return Outcome(False, "transport: " + str(exc).split(":")[0])
    except TimeoutError:
        return Outcome(False, "timeout")
    except OSError as exc:
        return Outcome(False, f"os: {type(exc).__name__}")


async def closed_loop(
    name: str, op: Op, *, concurrency: int, seconds: float, warmup: float = 2.0
) -> StepResult:
    """``concurrency`` clients back to back for ``warmup + seconds``; only operations that
    start after the warm-up and finish before the end are counted."""
    result = StepResult(name, "closed", concurrency, seconds)
    start = time.monotonic()
    t0, t1 = start + warmup, start + warmup + seconds

    async def client() -> None:
        while True:
            began = time.monotonic()
            if began >= t1:
                return
            outcome = await _guarded(op)
            ended = time.monotonic()
            if began >= t0 and ended <= t1:
                result.started += 1
                _record(result, outcome, ended - began)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return result


async def open_loop(
    name: str,
    op: Op,
    *,
    rate: float,
    seconds: float,
    warmup: float = 2.0,
    max_inflight: int = 256,
    give_up: float = 5.0,
) -> StepResult:
    """Requests due every ``1/rate`` seconds for ``warmup + seconds``; latency is measured from
    when each was due. Every request due in the measured window is waited for and counted.
    At most ``max_inflight`` are in flight (a client's connection limit); a request due while
    that many are pending waits, and the wait counts in its latency. One that could not start
    within ``give_up`` seconds of its due time is not sent and counts as an error, so a server
    that cannot keep up does not stretch the step without end."""
    result = StepResult(name, "open", rate, seconds)
    start = time.monotonic() + 0.05
    total = int((warmup + seconds) * rate)
    first_counted = int(warmup * rate)
    first_due = start + first_counted / rate
    gate = asyncio.Semaphore(max_inflight)
    inflight = [0]
    last_end = [first_due]
    tasks = []

    async def one(i: int, due: float) -> None:
        async with gate:
            now = time.monotonic()
            if i >= first_counted and now - due > 0.010:
                result.late_starts += 1
            if now - due > give_up:
                if i >= first_counted:
                    result.started += 1
                    _record(result, Outcome(False, f"not sent: over {give_up:g} s late"), 0.0)
                return
            inflight[0] += 1
            result.max_inflight = max(result.max_inflight, inflight[0])
            outcome = await _guarded(op)
            inflight[0] -= 1
        if i >= first_counted:
            ended = time.monotonic()
            last_end[0] = max(last_end[0], ended)
            result.started += 1
            _record(result, outcome, ended - due)

    for i in range(total):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    result.elapsed = last_end[0] - first_due
    return result

"""The app's front door, as ASGI middleware around Gradio: a request body larger than MAX_BODY is refused before
it is read; uploads are refused (the app has no upload field); failed logins are slowed per client; every response
carries security headers and cookies that expire (and are Secure behind HTTPS); a full queue says, in words, to
try again. Pure ASGI: it never buffers a body it is not changing."""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import defaultdict, deque
from contextlib import contextmanager
from dataclasses import dataclass

MAX_BODY = 256 * 1024  # bytes: a question is at most a few kilobytes, a conversation's history a few hundred
LOGIN_FAILURES = 5  # failed logins a client may make per LOGIN_WINDOW before it must wait
LOGIN_WINDOW = 60.0  # seconds
COOKIE_AGE = 12 * 3600  # seconds a login lasts
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline' "
       "https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; img-src 'self' data: blob:; "
       "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"content-security-policy", CSP.encode())]
BUSY = "系统繁忙，请稍后再试。The assistant is busy; please try again in a moment."
STOPPING = "服务正在重启，请稍后再试。The assistant is restarting; please try again in a moment."
DRAIN_SECONDS = 20.0  # how long a stop waits for answers in flight
# Gradio routes the app does not use that take files or run component code: refused whatever the body
CLOSED_ROUTES = ("/upload", "/process_recording", "/component_server")
UPLOAD = "这个应用不接受上传文件。This app accepts no uploads."

# ─── a graceful stop: no new questions, the ones in flight finished ──────────────────────────────────────────
DRAINING = threading.Event()


class _Tally:
    """A count shared by threads."""

    def __init__(self) -> None:
        self.value, self._lock = 0, threading.Lock()

    def add(self, step: int) -> None:
        with self._lock:
            self.value += step


_answering = _Tally()  # questions being answered (chat, /ask)
_open = _Tally()  # requests that send a question or carry its answer back, from arrival until their last byte


@contextmanager
def answering():
    """Around the answering of a question (chat, /ask), so that a stop waits for it."""
    _answering.add(1)
    try:
        yield
    finally:
        _answering.add(-1)


def sends_question(method: str, path: str) -> bool:
    """POST …/call/<name> or …/queue/join: a question for the queue."""
    return method == "POST" and (path.rstrip("/").endswith("/queue/join") or "/call/" in path)


def carries_answers(method: str, path: str) -> bool:
    """A request that sends a question or streams its answer back (GET …/call/<name>/<event>, …/queue/data): a
    stop waits until it is done, or a question queued behind others, or an answer half sent, would be cut."""
    streams = method == "GET" and ("/call/" in path or path.rstrip("/").endswith("/queue/data"))
    return streams or sends_question(method, path)


ABANDON_SECONDS = 60.0  # an answer no client has come for within this is dropped
FETCH_GRACE = 2.0  # a finished answer whose client has not come for it within this is not waited for at a stop


class Results:
    """The answers Gradio's queue holds for their clients. Its `pending_event_ids_session` keeps an answer's id until
    the completion message is delivered, so one POST /call/ask that never comes back for its result stays there
    for good (and every stop waited the full DRAIN_SECONDS for it). Here an answer is in flight while it is queued or
    being answered, and for FETCH_GRACE seconds after it is finished (its client is on its way); after that it is
    abandoned, and after ABANDON_SECONDS it is dropped with its messages. Private attributes of Gradio's queue: a
    Gradio without them counts none."""

    def __init__(self, queue, clock=time.monotonic) -> None:
        self.queue, self.clock = queue, clock
        self._finished: dict[str, float] = {}  # event id → when it was first seen finished and undelivered
        self._lock = threading.Lock()
        self.dropped = 0

    def _pending(self) -> tuple[dict, dict]:
        return (getattr(self.queue, "pending_event_ids_session", None) or {},
                getattr(self.queue, "event_ids_to_events", None) or {})

    def scan(self) -> tuple[set, set]:
        """(ids in flight, ids abandoned)."""
        pending, running = self._pending()
        now, live, stale = self.clock(), set(), set()
        with self._lock:
            for ids in list(pending.values()):
                for event_id in list(ids):
                    if event_id in running:
                        live.add(event_id)
                        continue
                    done = self._finished.setdefault(event_id, now)
                    (live if now - done < FETCH_GRACE else stale).add(event_id)
            for gone in set(self._finished) - live - stale:
                del self._finished[gone]
        return live, stale

    def in_flight(self) -> set:
        return self.scan()[0]

    def expire(self) -> int:
        """Drop the answers no client came for within ABANDON_SECONDS; returns how many."""
        self.scan()
        pending, _ = self._pending()
        messages = getattr(self.queue, "pending_messages_per_session", None)
        now, dropped = self.clock(), 0
        with self._lock:
            for session, ids in list(pending.items()):
                for event_id in list(ids):
                    done = self._finished.get(event_id)
                    if done is not None and now - done >= ABANDON_SECONDS:
                        ids.discard(event_id)
                        self._finished.pop(event_id, None)
                        dropped += 1
                if not ids:
                    pending.pop(session, None)
                    if messages is not None and session in messages:
                        del messages[session]
            self.dropped += dropped
        return dropped

    def keep_expiring(self, every: float = 1.0) -> threading.Thread:
        """A daemon thread that notes finished answers and drops abandoned ones."""
        def loop() -> None:
            while not DRAINING.is_set():
                try:
                    self.expire()
                except Exception:  # noqa: BLE001 - Gradio changed under us: count nothing, never stop the app
                    pass
                time.sleep(every)

        thread = threading.Thread(target=loop, name="results-expiry", daemon=True)
        thread.start()
        return thread


@dataclass
class Drained:
    """What a stop did: answers in flight when it began that were finished, those cut at the deadline, those no
    client had come for (not waited for), and responses still being sent at the deadline."""

    finished: int = 0
    cut: int = 0
    abandoned: int = 0
    sending: int = 0
    seconds: float = 0.0

    def __bool__(self) -> bool:
        return not (self.cut or self.sending)

    def __str__(self) -> str:
        text = f"{self.finished} answers in flight finished, {self.cut} cut"
        if self.sending:
            text += f", {self.sending} responses cut while being sent"
        if self.abandoned:
            text += f"; {self.abandoned} finished answers no client came for were not waited for"
        return text + f" ({self.seconds:.1f} s)"


def drain(seconds: float = DRAIN_SECONDS, accepted=lambda: set(), abandoned=lambda: set()) -> Drained:
    """Refuse new questions and wait for the ones accepted (queued, answering, or being sent back; at most
    `seconds`). `accepted()` gives the ids of the questions the app's queue holds whose answer is in flight: one
    accepted before the stop whose client is on its way for the answer is one too; `abandoned()` those finished
    that no client came for, which are not waited for."""
    started = time.monotonic()
    DRAINING.set()
    first = set(accepted())

    def waiting() -> bool:
        return bool(_answering.value or _open.value or accepted())

    deadline = started + seconds
    while waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # the last bytes leave the socket
    left, gone = set(accepted()), set(abandoned())
    return Drained(finished=len(first - left - gone), cut=len(left), abandoned=len(gone),
                   sending=_open.value, seconds=time.monotonic() - started)


def _json(status: int, message: str, extra: list[tuple[bytes, bytes]] = ()):
    body = json.dumps({"detail": message}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               *HEADERS, *extra]
    return {"type": "http.response.start", "status": status, "headers": headers}, {"type": "http.response.body", "body": body}


class Guard:
    """Wraps the Gradio ASGI app (FastAPI(middleware=[Middleware(Guard)]) through launch(app_kwargs=…))."""

    def __init__(self, app, max_body: int = MAX_BODY, clock=time.monotonic):
        self.app, self.max_body, self.clock = app, max_body, clock
        self.failures: dict[str, deque] = defaultdict(deque)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, method = scope.get("path", ""), scope.get("method", "GET")
        headers = dict(scope.get("headers") or [])
        client = self._client(scope, headers)
        route = path.rstrip("/")
        if route.endswith(CLOSED_ROUTES) or (method == "POST" and "/gradio_api/stream/" in route):
            return await self._refuse(send, 404 if route.endswith("/component_server") else 403,
                                      "这个应用没有这项服务。Not served by this app." if route.endswith("/component_server")
                                      else UPLOAD)
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/"):  # a file, on any route
            return await self._refuse(send, 403, UPLOAD)
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return await self._refuse(send, 413, f"请求太大（上限 {self.max_body // 1024} KB）。The request is too large.")
        if length is None and method in ("POST", "PUT", "PATCH"):  # chunked: read it here, up to the limit
            body, more = b"", True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return None  # the client went away
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.max_body:
                    return await self._refuse(send, 413, f"请求太大（上限 {self.max_body // 1024} KB）。The request is "
                                                         "too large.")
            replayed, upstream = [{"type": "http.request", "body": body, "more_body": False}], receive

            async def receive():
                return replayed.pop() if replayed else await upstream()
        busy = sends_question(method, path)
        if DRAINING.is_set() and busy:
            return await self._refuse(send, 503, STOPPING, [(b"retry-after", b"5")])
        login = method == "POST" and path.rstrip("/").endswith("/login")
        if login and self._locked(client):
            wait = int(self.failures[client][0] + LOGIN_WINDOW - self.clock()) + 1
            return await self._refuse(send, 429, f"登录失败次数过多，请 {wait} 秒后再试。Too many failed logins; try again "
                                                 f"in {wait} s.", [(b"retry-after", str(wait).encode())])
        secure = scope.get("scheme") == "https" or (headers.get(b"x-forwarded-proto", b"") == b"https"
                                                     and os.environ.get("FAGUI_TRUST_PROXY", "") in ("1", "true", "yes"))
        received = 0
        state = {"status": 200, "rewrite": False}

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:  # a chunked body without a length: stop reading it
                    raise BodyTooLarge()
            return message

        async def guarded_send(message):
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                if busy and message["status"] == 503:  # Gradio's queue is full: say it in words
                    state["rewrite"] = True
                    start, _ = _json(503, BUSY, [(b"retry-after", b"5")])
                    return await send(start)
                message["headers"] = self._headers(message.get("headers") or [], secure)
            elif message["type"] == "http.response.body" and state["rewrite"]:
                if not message.get("more_body"):
                    await send(_json(503, BUSY)[1])
                return None
            return await send(message)

        carries = carries_answers(method, path)
        if carries:
            _open.add(1)
        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            return await self._refuse(send, 413, f"请求太大（上限 {self.max_body // 1024} KB）。The request is too large.")
        except Exception as error:  # noqa: BLE001 - see below
            if not state.get("started"):
                raise
            # The response had started (a stream for a session the queue does not know, a client gone mid-stream):
            # nothing can be said to the client any more; one line for the operator, not a traceback per request.
            cause = error.__cause__ or error
            print(f"app: {method} {path} ended early ({type(cause).__name__}: {str(cause)[:120]})", file=sys.stderr,
                  flush=True)
        finally:
            if carries:
                _open.add(-1)
        if login:
            self._count(client, failed=state["status"] >= 400)

    @staticmethod
    def _client(scope, headers) -> str:
        """Who is logging in: the socket's peer, or behind a reverse proxy (FAGUI_TRUST_PROXY=1) the address it
        forwards; a client's own X-Forwarded-For is not believed, or it could pick a fresh address per try."""
        if os.environ.get("FAGUI_TRUST_PROXY", "").strip() in ("1", "true", "yes"):
            forwarded = headers.get(b"x-forwarded-for", b"").split(b",")[-1].strip()
            if forwarded:
                return forwarded.decode(errors="replace")
        return (scope.get("client") or ("?", 0))[0]

    def _locked(self, client: str) -> bool:
        window = self.failures[client]
        while window and self.clock() - window[0] > LOGIN_WINDOW:
            window.popleft()
        return len(window) >= LOGIN_FAILURES

    def _count(self, client: str, failed: bool) -> None:
        if failed:
            self.failures[client].append(self.clock())
        else:
            self.failures.pop(client, None)

    @staticmethod
    def _headers(headers, secure: bool) -> list:
        out = [(k, v) for k, v in headers if k.lower() not in {h for h, _ in HEADERS}]
        for index, (key, value) in enumerate(out):
            if key.lower() == b"set-cookie":
                lowered = value.lower()
                if b"max-age" not in lowered and b"expires" not in lowered:
                    value += b"; Max-Age=" + str(COOKIE_AGE).encode()
                if secure and b"secure" not in lowered:
                    value += b"; Secure"
                out[index] = (key, value)
        return out + HEADERS

    @staticmethod
    async def _refuse(send, status: int, message: str, extra=()) -> None:
        start, body = _json(status, message, list(extra))
        await send(start)
        await send(body)


class BodyTooLarge(Exception):
    pass


__all__ = ["DRAIN_SECONDS", "Drained", "Guard", "MAX_BODY", "Results", "answering", "carries_answers", "drain",
           "sends_question"]

"""The app's front door, as ASGI middleware around Gradio: a request body larger than MAX_BODY is refused before
it is read; uploads are refused (the app has no upload field); failed logins are slowed per client; every response
carries security headers and cookies that expire (and are Secure behind HTTPS); a full queue says, in words, to
try again. Pure ASGI: it never buffers a body it is not changing."""
from __future__ import annotations

import json
import os
import threading
import time
from collections import defaultdict, deque
from contextlib import contextmanager

MAX_BODY = 256 * 1024  # bytes: a question is at most a few kilobytes, a conversation's history a few hundred
LOGIN_FAILURES = 5  # failed logins a client may make per LOGIN_WINDOW before it must wait
LOGIN_WINDOW = 60.0  # seconds
COOKIE_AGE = 12 * 3600  # seconds a login lasts
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline' "
       "https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; img-src 'self' data: blob:; "
       "media-src 'self' blob:; connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"content-security-policy", CSP.encode())]
BUSY = "系统繁忙，请稍后再试。The assistant is busy; please try again in a moment."
STOPPING = "服务正在重启，请稍后再试。The assistant is restarting; please try again in a moment."
DRAIN_SECONDS = 20.0  # how long a stop waits for answers in flight

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


def drain(seconds: float = DRAIN_SECONDS, accepted=lambda: 0) -> bool:
    """Refuse new questions and wait for the ones accepted (queued, answering, or being sent back; at most
    `seconds`); True when none was cut. `accepted()` counts the questions the app's queue holds whose answer has
    not been delivered: one accepted before the stop whose client has not yet come for its answer is one too."""
    def waiting() -> bool:
        return bool(_answering.value or _open.value or accepted())

    DRAINING.set()
    deadline = time.monotonic() + seconds
    while waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # the last bytes leave the socket
    return not waiting()


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
        if path.rstrip("/").endswith("/upload") and method == "POST":
            return await self._refuse(send, 403, "这个应用不接受上传文件。This app accepts no uploads.")
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return await self._refuse(send, 413, f"请求太大（上限 {self.max_body // 1024} KB）。The request is too large.")
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
                state["status"] = message["status"]
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


__all__ = ["DRAIN_SECONDS", "Guard", "MAX_BODY", "answering", "carries_answers", "drain", "sends_question"]

"""A fault-injecting HTTP transport: the network boundary between a laptop and the server.

Each request takes the next planned action: ``ok``, ``drop_request`` (never reaches the server),
``drop_response`` (the server acted, the answer is lost), ``duplicate`` (delivered twice; the
second answer must equal the first for pushes), ``delay`` (held back, the client times out, and
it reaches the server later, out of order, when the test calls ``deliver_delayed``).
"""

from __future__ import annotations

import json

import httpx

ACTIONS = ("ok", "drop_request", "drop_response", "duplicate", "delay")


class SimulatedCrash(BaseException):
    """The laptop's process died here (BaseException: nothing in the engine may catch it)."""


class FaultyTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.plan: list[str] = []
        self.delayed: list[httpx.Request] = []
        self.replay_mismatches: list[str] = []

    def _send(self, request: httpx.Request) -> httpx.Response:
        copy = httpx.Request(request.method, request.url, headers=request.headers,
                             content=request.content)  # fmt: skip
        response = self.inner.handle_request(copy)
        response.read()
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        action = self.plan.pop(0) if self.plan else "ok"
        if action == "drop_request":
            raise httpx.ConnectError("dropped", request=request)
        if action == "delay":
            self.delayed.append(request)
            raise httpx.ReadTimeout("delayed", request=request)
        response = self._send(request)
        if action == "drop_response":
            raise httpx.ReadTimeout("answer lost", request=request)
        if action == "duplicate":
            second = self._send(request)
            if request.url.path.endswith("/sync/push") and response.status_code == 200:
                first_results = json.loads(response.content)["results"]
                if json.loads(second.content)["results"] != first_results:
                    self.replay_mismatches.append(request.url.path)
        return httpx.Response(response.status_code, headers=response.headers,
                              content=response.content, request=request)  # fmt: skip

    def deliver_delayed(self) -> int:
        n = 0
        while self.delayed:
            self._send(self.delayed.pop(0))
            n += 1
        return n

    def close(self) -> None:
        self.inner.close()

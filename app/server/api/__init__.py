"""The HTTP API: routes, their dependencies, the middleware and the sync fast path."""

API_PREFIX = "/api/v1"
PUSH_PATH = f"{API_PREFIX}/sync/push"
PULL_PATH = f"{API_PREFIX}/sync/pull"

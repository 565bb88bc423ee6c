"""The administrators' side of the laptop: an HTTP client of the server's admin API (no Qt).

``client.AdminClient`` signs in with the administrator's password to a workspace session
(``POST /auth/session``, not a device), keeps its token in memory only, and ends it on
sign-out or lock. The desktop workspace (ui/views/admin*.py) and the ``yorisoi admin`` CLI
both go through it.
"""

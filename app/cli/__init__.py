"""Headless command line (``yorisoi <command>``) for scripts and administrators."""

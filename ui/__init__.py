"""Yorisoi's Qt desktop shell. Depends on app/; app/ never depends on this package."""

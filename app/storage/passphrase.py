"""Passphrase rules: a minimum length and a zxcvbn strength check."""

from __future__ import annotations

import os

from app.domain.errors import WeakPassphrase

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn 0..4
ENV_VAR = "YORISOI_PASSPHRASE"


def strength(passphrase: str) -> tuple[int, str, str]:
    """Return (score 0-4, Japanese hint, English hint)."""
    if len(passphrase) < MIN_LENGTH:
        return (
            0,
            f"{MIN_LENGTH}文字以上にしてください。",
            f"Use at least {MIN_LENGTH} characters.",
        )
    # Imported here: its word lists cost ~50 ms, and opening a store (every ``yorisoi`` command)
    # imports this module without ever judging a new passphrase.
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:100])
    score = int(result["score"])
    if score >= MIN_SCORE:
        return score, "十分な強さです。", "Strong enough."
    return (
        score,
        "推測されやすいパスフレーズです。単語を4つ以上つなげるなど長くしてください。",
        "Easy to guess. Make it longer, e.g. four or more unrelated words.",
    )


def check_new_passphrase(passphrase: str) -> None:
    score, ja, en = strength(passphrase)
    if score < MIN_SCORE:
        raise WeakPassphrase(f"パスフレーズが弱すぎます: {ja}", f"The passphrase is too weak: {en}")


def from_env() -> str | None:
    return os.environ.get(ENV_VAR) or None


NEW_ENV_VAR = "YORISOI_NEW_PASSPHRASE"


def from_new_env() -> str | None:
    return os.environ.get(NEW_ENV_VAR) or None

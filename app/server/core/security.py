"""Passwords (Argon2id), device tokens and enrollment codes (random, stored as SHA-256)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2-cffi defaults to Argon2id (RFC 9106 low-memory profile)
_DUMMY_HASH = _hasher.hash("dummy password used to equalise timing")

# Code alphabet without look-alikes (0/O, 1/I/L) so a code can be read out over the phone.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enroll_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    return code.strip().upper().replace(" ", "")


def digest(secret: str) -> str:
    """Tokens and codes are long random strings: a plain SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


PASSWORD_MIN_LENGTH = 12
PASSWORD_MIN_SCORE = 3  # zxcvbn 0..4, the laptop's passphrase rule (app/storage/passphrase.py)


def password_problem(password: str, *, hints: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """Why a new server password is refused, in ja and en (None: acceptable). At least
    ``PASSWORD_MIN_LENGTH`` characters and a zxcvbn score of ``PASSWORD_MIN_SCORE``;
    ``hints`` (login, name) count against it, as a password made of them is easy to guess."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return (
            f"{PASSWORD_MIN_LENGTH}文字以上にしてください。",
            f"use at least {PASSWORD_MIN_LENGTH} characters.",
        )
    from zxcvbn import zxcvbn

    result = zxcvbn(password[:100], user_inputs=[h for h in hints if h][:5])
    if int(result["score"]) >= PASSWORD_MIN_SCORE:
        return None
    return (
        "推測されやすいパスワードです。無関係な単語を4つ以上つなげるなど長くしてください。",
        "easy to guess. Make it longer, e.g. four or more unrelated words.",
    )

"""Machine-readable API errors: a code the client acts on, and a message in ja and en.

Raised in routes and deps only; crud functions raise the named domain errors below, which the
app turns into these answers at one boundary."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, code: str, ja: str, en: str, **extra: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.ja = ja
        self.en = en
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message_ja": self.ja, "message_en": self.en, **self.extra}


def token_invalid() -> ApiError:
    return ApiError(
        401, "token_invalid", "端末の認証に失敗しました。", "The device token is not valid."
    )


def token_expired() -> ApiError:
    return ApiError(
        401, "token_expired", "端末の認証の期限が切れました。", "The device token has expired."
    )


def token_superseded() -> ApiError:
    return ApiError(
        401,
        "token_superseded",
        "この認証は更新済みです。新しい認証で同期してください（使えない場合は再登録してください）。",
        "This token was replaced by a refresh; only the current token can be refreshed.",
    )


def device_revoked() -> ApiError:
    return ApiError(
        403,
        "device_revoked",
        "この端末は登録を取り消されました。端末内のデータを消去します。",
        "This device was revoked. Its local data will be wiped.",
    )


def user_disabled() -> ApiError:
    return ApiError(
        403, "user_disabled", "この利用者は無効化されています。", "This user has been disabled."
    )


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", "管理者のみ実行できます。", "Administrators only.")


def not_found() -> ApiError:
    return ApiError(404, "not_found", "見つかりません。", "Not found.")


def enroll_failed() -> ApiError:
    return ApiError(
        401,
        "enroll_failed",
        "登録コードが無効か期限切れです。",
        "The enrollment code is invalid, used or expired.",
    )


def login_failed() -> ApiError:
    return ApiError(
        401, "login_failed", "ログインに失敗しました。", "Wrong login name or password."
    )


def throttled(retry_after: int) -> ApiError:
    return ApiError(
        429,
        "throttled",
        "失敗が続いたため一時的に受け付けを停止しています。",
        "Too many failed attempts. Try again later.",
        retry_after=retry_after,
    )


def too_large(limit: int) -> ApiError:
    return ApiError(
        413, "too_large", "送信データが大きすぎます。", "The request is too large.", limit=limit
    )


def invalid(detail: Any = None) -> ApiError:
    return ApiError(
        422,
        "invalid",
        "送信データの形式が正しくありません。",
        "The request is malformed.",
        detail=detail,
    )


def nul_character() -> ApiError:
    return ApiError(
        422,
        "invalid",
        "送信データに使えない文字（NUL）が含まれています。",
        "The request contains a NUL character, which no field accepts.",
        detail="NUL character",
    )


def weak_password(ja: str, en: str) -> ApiError:
    return ApiError(422, "weak_password", f"パスワードが弱すぎます: {ja}", f"Weak password: {en}")


def invalid_reference(ja: str, en: str) -> ApiError:
    return ApiError(422, "invalid", ja, en)


def upgrade_required(min_schema: int, max_schema: int) -> ApiError:
    return ApiError(
        426,
        "upgrade_required",
        "アプリの更新が必要です。データはそのまま保持されます。",
        "Please upgrade the app. Your data is kept.",
        min_schema=min_schema,
        max_schema=max_schema,
    )


def conflict(code: str, ja: str, en: str) -> ApiError:
    return ApiError(409, code, ja, en)

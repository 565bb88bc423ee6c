"""Named sync errors (bilingual, no personal data or secrets in the text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.errors import YorisoiError
from app.i18n import pick

if TYPE_CHECKING:
    from app.sync.wipe import WipeReport


class SyncError(YorisoiError):
    ja = "同期に失敗しました。ローカルのデータはそのままです。次回の同期で再開します。"
    en = "Sync failed. Local data is unchanged; the next sync resumes where this one stopped."


class ServerUnreachable(SyncError):
    ja = "サーバーに接続できません。オフラインのまま作業を続けられます。"
    en = "The server cannot be reached. You can keep working offline."


class NotEnrolled(SyncError):
    ja = "この端末はまだ登録されていません。yorisoi enroll で登録してください。"
    en = "This device is not enrolled yet. Enroll it with yorisoi enroll."


class AlreadyEnrolled(SyncError):
    ja = "この端末は別のサーバーに登録済みです。別のプロファイルを使ってください。"
    en = "This device is enrolled with another server. Use another profile."


class EnrollmentFailed(SyncError):
    ja = "登録コードが無効か期限切れです。管理者に新しいコードを発行してもらってください。"
    en = "The enrollment code is invalid or expired. Ask an administrator for a new code."


class TokenInvalid(SyncError):
    ja = "端末の認証が切れました。管理者に新しい登録コードを発行してもらい、再登録してください。"
    en = "This device's sign-in has expired. Re-enroll with a new code from an administrator."


class DeviceRevoked(SyncError):
    ja = "この端末は管理者により無効化されました。安全のため、この端末のデータを消去しました。"
    en = "An administrator revoked this device. Its local data has been erased for safety."

    # Set by the sync engine once it has wiped: what went, and how many changes were lost.
    wipe: WipeReport | None = None

    def message(self, lang: str | None = None) -> str:
        base = super().message(lang)
        if self.wipe is None:
            return base
        return f"{base}{pick('', ' ', lang)}{self.wipe.message(lang)}"


class UserDisabled(SyncError):
    ja = "この利用者のアカウントは停止されています。データは保持したままロックします。"
    en = "This user's account is disabled. The data is kept and the app is locked."


class UpgradeRequired(SyncError):
    ja = "サーバーが新しくなっています。アプリを更新してください。ローカルの作業内容は保持されています。"
    en = "The server is newer than this app. Please upgrade; your local work is kept."

    def __init__(self, min_schema: int | None = None, max_schema: int | None = None) -> None:
        super().__init__()
        self.min_schema = min_schema
        self.max_schema = max_schema


class SyncRejected(SyncError):
    """The server refused a request as a whole (validation, size)."""

    ja = "サーバーが同期データを受け付けませんでした。"
    en = "The server refused the sync data."

    def __init__(self, code: str = "invalid", status: int = 422) -> None:
        super().__init__()
        self.code = code
        self.status = status


class ServerError(SyncError):
    ja = "サーバーでエラーが発生しました。しばらくしてから再試行してください。"
    en = "The server had an error. Try again shortly."


class SyncCancelled(SyncError):
    ja = "同期を中止しました。次回の同期で続きから再開します。"
    en = "Sync cancelled. The next sync continues from where it stopped."


class SyncInProgress(SyncError):
    ja = "同期はすでに実行中です。"
    en = "A sync is already running."


class ConflictNotFound(SyncError):
    ja = "該当する競合が見つからないか、すでに解決済みです。"
    en = "No such conflict, or it is already resolved."


class InvalidServerUrl(SyncError):
    ja = "サーバーのURLが正しくありません（https://... の形式で指定してください）。"
    en = "The server URL is not valid (expected https://...)."


class InsecureServerUrl(SyncError):
    ja = "暗号化されていない接続(http)は使えません。https のURLを指定してください。"
    en = "Unencrypted http is not allowed. Use an https URL."

"""Named domain errors. Messages are bilingual and never contain personal data or secrets."""

from __future__ import annotations

from app.i18n import pick


class YorisoiError(Exception):
    """Base class: carries a user-facing message in Japanese and English."""

    ja = "エラーが発生しました。"
    en = "An error occurred."

    def __init__(self, ja: str | None = None, en: str | None = None) -> None:
        if ja is not None:
            self.ja = ja
        if en is not None:
            self.en = en
        super().__init__(self.en)

    def message(self, lang: str | None = None) -> str:
        return pick(self.ja, self.en, lang)

    def __str__(self) -> str:
        return self.message()


class WrongPassphrase(YorisoiError):
    ja = "パスフレーズが違います。データベースは変更されていません。"
    en = "Wrong passphrase. The database was not changed."


class WeakPassphrase(YorisoiError):
    ja = "パスフレーズが弱すぎます。"
    en = "The passphrase is too weak."


class DatabaseDamaged(YorisoiError):
    ja = "データベースが破損しています。バックアップから復元してください（yorisoi restore）。"
    en = "The database is damaged. Restore it from a backup (yorisoi restore)."


class IntegrityCheckInterrupted(YorisoiError):
    """The check stopped before SQLite gave a verdict (locking, exit, a busy file): no damage
    is known."""

    ja = "整合性の確認が途中で中断されました。データの破損を示すものではありません。"
    en = "The integrity check was interrupted. This does not mean the data is damaged."


class DatabaseMissing(YorisoiError):
    ja = "データベースが見つかりません。先に yorisoi init を実行してください。"
    en = "No database found. Run yorisoi init first."


class DatabaseExists(YorisoiError):
    ja = "データベースはすでに存在します。"
    en = "A database already exists there."


class DatabaseLocked(YorisoiError):
    ja = "データベースはロックされています。パスフレーズで解錠してください。"
    en = "The database is locked. Unlock it with the passphrase."


class DatabaseBusy(YorisoiError):
    ja = "データベースが他の処理で使用中です。しばらくしてから再試行してください。"
    en = "The database is busy with another operation. Try again shortly."


class DiskFull(YorisoiError):
    ja = "ディスクの空き容量が不足しています。保存されていない変更はありません。"
    en = "The disk is full. Nothing was half-written; free some space and try again."


class NotFound(YorisoiError):
    ja = "該当する記録が見つかりません。"
    en = "No such record."

    # What kind of record was looked for, as the message names it.
    KINDS = {
        "referral": ("うけとめ・つなげるシート", "referral sheet"),
        "case": ("ケース", "case"),
        "support_meeting": ("会議", "meeting"),
        "person": ("人", "person"),
        "household": ("世帯", "household"),
        "contact_record": ("相談・訪問記録", "contact record"),
        "attendee": ("会議の出席者", "meeting attendee"),
        "resource": ("地域資源", "regional resource"),
    }

    @classmethod
    def of(cls, kind: str, key: str | None = None) -> NotFound:
        """``NotFound.of("referral", "R202604-0001")``: names the record that was not found.
        ``key`` must be a number or id, never personal data."""
        ja, en = cls.KINDS.get(kind, (kind, kind))
        if key:
            return cls(f"{ja}「{key}」が見つかりません。", f"No {en} {key!r} was found.")
        return cls(f"該当する{ja}が見つかりません。", f"No such {en}.")


class ValidationError(YorisoiError):
    """Bad input. ``field`` names the offending field so a UI can show the message in place."""

    def __init__(self, ja: str, en: str, field: str | None = None) -> None:
        super().__init__(ja, en)
        self.field = field


class PermissionDenied(YorisoiError):
    ja = "この操作を行う権限がありません。"
    en = "You are not allowed to do this."


class BackupError(YorisoiError):
    ja = "バックアップまたは復元に失敗しました。元のデータベースはそのままです。"
    en = "Backup or restore failed. The original database is unchanged."

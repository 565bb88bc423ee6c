"""Why the server refused a change, in words a worker understands (Japanese and English).

The server answers a refused change with a short English reason (docs/sync-protocol.md, Push:
``rejected``). The laptop keeps that text as it came (``rejected_change.reason``) and shows
``explain(table, reason)`` instead: what happened and what the person can do about it.
"""

from __future__ import annotations

import re

# Fields named in reasons, as a person knows them.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "case_id": ("ケース", "case"),
    "person_id": ("本人", "person"),
    "household_id": ("世帯", "household"),
    "meeting_id": ("支援会議", "support meeting"),
    "district_id": ("地区", "district"),
    "agency_id": ("機関", "agency"),
    "lead_agency_id": ("主担当機関", "lead agency"),
    "from_agency_id": ("紹介元の機関", "referring agency"),
    "to_agency_id": ("紹介先の機関", "receiving agency"),
    "staff_id": ("職員", "staff member"),
    "assigned_staff_id": ("担当者", "assigned worker"),
    "from_staff_id": ("紹介元の職員", "referring worker"),
    "chair_staff_id": ("司会の職員", "chair"),
    "title": ("主訴", "title"),
    "name": ("氏名", "name"),
    "narrative": ("記録の内容", "narrative"),
    "contact_at": ("日時", "date and time"),
    "case_number": ("ケース番号", "case number"),
    "receipt_number": ("受付番号", "receipt number"),
    "task": ("役割", "task"),
}

_PARENT_HINT: dict[str, tuple[str, str]] = {
    "case_id": (
        "所属するケースがサーバーにありません（デモデータのケース、またはサーバーが受け付けなかった"
        "ケースなど）。別のケースに付け替えてから、もう一度送信してください。",
        "The case it belongs to is not on the server (a demo case, or a case the server refused). "
        "Attach it to another case and send it again.",
    ),
}


def field_label(name: str) -> tuple[str, str]:
    return FIELD_LABELS.get(name, (name, name))


def explain(table: str, reason: str) -> tuple[str, str]:
    """(Japanese, English) explanation of a server's reason for refusing a change to ``table``."""
    text = (reason or "").strip()
    if text.startswith("他の端末で削除") or text.startswith("The record was deleted"):
        return (
            "他の端末で削除された記録への変更のため、サーバーに反映されませんでした。",
            "The record was deleted on another device, so this change was not applied.",
        )
    if text == "master data: administrators only":
        return (
            "地区・機関・職員の名簿はシステム管理者だけが変更できます。この変更はサーバーに送られて"
            "いません。",
            "Only administrators may change districts, agencies and the staff directory; this "
            "change was not applied on the server.",
        )
    if text == "outside your scope":
        return (
            "あなたの担当範囲外のケースの記録のため、サーバーが受け付けませんでした。担当を確認する"
            "か、コーディネーターに相談してください。",
            "The record belongs to a case outside your scope, so the server refused it. Check the "
            "assignment or ask a coordinator.",
        )
    if text == "unknown row":
        return (
            "サーバーにこの記録がないため、削除できませんでした。",
            "The server does not have this record, so it could not be deleted.",
        )
    if text == "append-only table":
        return (
            "この種類の記録は追加だけができ、変更や削除はできません。",
            "Records of this kind can only be added, never changed or deleted.",
        )
    if text == "unknown table" or text.startswith("unknown field"):
        return (
            "サーバーがこの種類のデータを知りません。アプリとサーバーの版が合っているか管理者に確認"
            "してください。",
            "The server does not know this kind of data. Ask an administrator whether the app and "
            "the server versions match.",
        )
    m = re.fullmatch(r"parent missing: (\w+)", text)
    if m:
        name = m.group(1)
        if name in _PARENT_HINT:
            return _PARENT_HINT[name]
        ja, en = field_label(name)
        return (
            f"参照している{ja}がサーバーにありません。{ja}を選び直してから、もう一度送信してください。",
            f"The {en} it refers to is not on the server. Choose another {en} and send it again.",
        )
    m = re.fullmatch(r"(\w+): required", text)
    if m:
        ja, en = field_label(m.group(1))
        return (f"{ja}が入力されていません。入力してから、もう一度送信してください。",
                f"The {en} is missing. Fill it in and send it again.")  # fmt: skip
    m = re.fullmatch(r"(\w+): longer than (\d+)", text)
    if m:
        ja, en = field_label(m.group(1))
        n = m.group(2)
        return (f"{ja}が長すぎます（{n}文字まで）。短くしてから、もう一度送信してください。",
                f"The {en} is too long ({n} characters at most). Shorten it and send it again.")  # fmt: skip
    m = re.fullmatch(r"(\w+): (.+ expected|NUL character)", text)
    if m:
        ja, en = field_label(m.group(1))
        return (f"{ja}の値の形式が正しくありません。直してから、もう一度送信してください。",
                f"The {en} has a value of the wrong form. Correct it and send it again.")  # fmt: skip
    return (
        f"サーバーが受け付けませんでした（サーバーの理由: {text or '不明'}）。",
        f"The server refused this change (server's reason: {text or 'unknown'}).",
    )

"""``yorisoi referral add|edit|send`` on a real encrypted file: the sheet made, edited and sent
from the command line prints with the edits and ■送付済; a sheet that would print as 送付不可
is refused and stays a draft; bad input is one line and writes nothing. The CLI's ``run`` runs
in this process (a process start costs seconds on a loaded CI machine); ``print referral``
writes a real PDF, read with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.cli.main import run
from app.domain.seed import agency_id
from app.storage.lifecycle import open_database
from app.storage.models import AuditEvent, Referral
from tests.conftest import PASSPHRASE
from tests.core import test_cli_followup as proc


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("YORISOI_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("YORISOI_LANG", "ja")

    def call(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
        code = run(["--db", str(db), *args])
        out = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out.out, out.err)

    return call


def ok(done: subprocess.CompletedProcess[str]) -> Any:
    return proc.ok(done)


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    return proc.one_line_error(done)


def counts(db: Path) -> tuple[int, int, list[tuple[str, str | None]]]:
    """(referrals, audit events, [(action, entity_id)] of the referral audit events)."""
    store = open_database(db, PASSPHRASE)
    try:
        with store.session() as s:
            n = s.scalar(select(func.count()).select_from(Referral)) or 0
            audit = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
            events = list(
                s.execute(
                    select(AuditEvent.action, AuditEvent.entity_id)
                    .where(AuditEvent.entity == "referral")
                    .order_by(AuditEvent.at, AuditEvent.id)
                ).all()
            )
    finally:
        store.lock()
    return n, audit, events


@pytest.fixture
def db(tmp_path: Path, cli: Any) -> tuple[Path, str]:
    """A database with one case whose person consented to sharing with 地域包括支援センター."""
    path = tmp_path / "yorisoi.db"
    ok(cli(path, "init", "--name", "調整 花子", "--role", "coordinator", "--json"))
    case = ok(cli(path, "case", "add", "--title", "母の介護と家計の相談", "--person", "武庫 一郎",
                  "--consent", "同意あり", "--consent-date", "2026-11-01", "--json"))  # fmt: skip
    number = case["case_number"]
    ok(cli(path, "case", "update", number, "--set",
           f"consent_agency_ids={agency_id('houkatsu')}", "--json"))  # fmt: skip
    return path, number


def test_add_edit_send_and_print(db: tuple[Path, str], cli: Any, tmp_path: Path) -> None:
    path, case = db
    made = ok(cli(path, "referral", "add", case, "--to", "地域包括支援センター",
                  "--date", "2026-12-01", "--set", "reason=介護保険の申請を一緒に進めたい",
                  "--json"))  # fmt: skip
    receipt = made["receipt_number"]
    assert receipt == "R202612-0001" and made["status"] == "draft"
    assert made["to_agency_id"] == agency_id("houkatsu") and made["sendable"]
    # The consent comes from the case, as the editor fills it in.
    assert made["fields"]["consent_agency_ids"] == [agency_id("houkatsu")]
    edited = ok(cli(path, "referral", "edit", receipt, "--set", "consult_route=家族・親族から",
                    "--set", "handover=同行して紹介", "--set", "contact_cautions=住所秘匿,郵送不可",
                    "--set", "issue_categories=介護、収入・生活費", "--set", "from_agency_id=suishin",
                    "--set", "account=母の介護で仕事を休みがち", "--set",
                    "first_meeting_at=2026-12-10 10:00", "--json"))  # fmt: skip
    f = edited["fields"]
    assert (f["consult_route"], f["handover"]) == ("family", "accompany")
    assert f["contact_cautions"] == ["address_secret", "no_mail"]
    assert f["issue_categories"] == ["caregiving", "income"]
    assert f["from_agency_id"] == agency_id("suishin") and edited["status"] == "draft"
    sent = ok(cli(path, "referral", "send", receipt, "--json"))
    assert sent["status"] == "sent"
    again = cli(path, "referral", "send", receipt)  # already sent: said so, only viewed
    assert again.returncode == 0 and "送付済み" in again.stdout
    rows = ok(cli(path, "referral", "list", "--case", case, "--json"))
    assert [(r["receipt_number"], r["status"]) for r in rows] == [(receipt, "sent")]
    _n, _audit, events = counts(path)
    rid = made["id"]
    assert events == [("create", rid), ("update", rid), ("update", rid), ("view", rid)]

    pdf = tmp_path / "x.pdf"
    ok(cli(path, "print", "referral", receipt, "--out", str(pdf), "--unencrypted", "--json"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    for needle in ("■送付済", "相談経路", "家族・親族から", "■同行して紹介", "■介護",
                   "■収入・生活費", "介護保険の申請を一緒に進めたい", "母の介護で仕事を休みがち",
                   "住所秘匿、郵送不可", "重層的支援推進担当課", "地域包括支援センター",
                   "2026-12-10"):  # fmt: skip
        assert needle in text, needle
    assert "送付不可" not in text


def test_send_outside_the_consent_is_refused(db: tuple[Path, str], cli: Any) -> None:
    path, case = db
    made = ok(cli(path, "referral", "add", case, "--to", "shakyo", "--json"))
    assert made["scope"] == "withheld" and not made["sendable"]
    shown = cli(path, "referral", "add", case, "--to", "社会福祉協議会")
    assert shown.returncode == 0 and "送付不可" in shown.stdout  # said at once, not at send
    before = counts(path)
    err = one_line_error(cli(path, "referral", "send", made["receipt_number"]))
    assert "送付不可" in err and "同意" in err
    assert f"referral edit {made['receipt_number']} --set consent_agency_ids=" in err
    err = one_line_error(cli(path, "referral", "edit", made["receipt_number"],
                             "--set", "status=送付済"))  # fmt: skip
    assert "送付不可" in err
    err = one_line_error(cli(path, "referral", "add", case, "--to", "shakyo",
                             "--set", "status=sent"))  # fmt: skip
    assert "送付不可" in err
    assert counts(path) == before
    shown = ok(cli(path, "referral", "show", made["receipt_number"], "--json"))
    assert shown["status"] == "draft"

    # Without consent, a 支援会議 that discussed the case with a pledged member of the
    # receiving agency is a basis (named by its meeting number); then it can be sent.
    meeting = ok(cli(path, "meeting", "add", "--date", "2026-12-01", "--case", case, "--json"))
    number = meeting["number"]
    ok(cli(path, "meeting", "member", "add", number, "--name", "社協 次郎", "--agency",
           "shakyo", "--signed-on", "2026-12-01", "--json"))  # fmt: skip
    edited = ok(cli(path, "referral", "edit", made["receipt_number"], "--set",
                    "consent_basis=support_meeting", "--set", f"meeting_id={number}",
                    "--json"))  # fmt: skip
    assert edited["scope"] == "meeting"
    assert edited["fields"]["meeting_id"] == meeting["meeting"]["id"]
    assert ok(cli(path, "referral", "send", made["receipt_number"], "--json"))["status"] == "sent"


# (arguments after ``referral``, what the one-line error says); R: the sheet, CASE: the case.
BAD = [
    (["edit", "R", "--set", "bogus=1"], "項目「bogus」はありません"),
    (["edit", "R", "--set", "reply_date=2026-13-01"], "reply_date は YYYY-MM-DD"),
    (["edit", "R", "--set", "to_agency_id=宇宙局"], "機関「宇宙局」は見つかりません"),
    (["edit", "R", "--set", "consent_agency_ids=houkatsu,宇宙局"], "宇宙局"),
    (["edit", "R", "--set", "handover=テレポート"], "使えません"),
    (["edit", "R", "--set", "receipt_number=R1"], "変更できません"),
    (["edit", "R", "--set", "reason"], "項目=値"),
    (["edit", "R"], "--set"),
    (["edit", "R-none", "--set", "reason=x"], "見つかりません"),
    (["send", "R-none"], "見つかりません"),
    (["add", "CASE", "--to", "宇宙局"], "機関「宇宙局」は見つかりません"),
    (["add", "CASE", "--to", "houkatsu", "--date", "12/1"], "referral_date は YYYY-MM-DD"),
    (["add", "CASE", "--to", "houkatsu", "--set", "bogus=1"], "bogus"),
    (["add", "CASE", "--to", "houkatsu", "--set", "first_meeting_at=明日"], "日時"),
    (["add", "2099-999999", "--to", "houkatsu"], "見つかりません"),
    (["add", "CASE", "--to", "houkatsu", "--set", "reason=x", "--set", "urgency=宇宙"],
     "urgency"),
]  # fmt: skip


def test_bad_input_is_one_line_and_writes_nothing(
    db: tuple[Path, str], cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, case = db
    receipt = ok(cli(path, "referral", "add", case, "--to", "houkatsu", "--json"))["receipt_number"]
    before = counts(path)
    for args, needle in BAD:
        args = [receipt if a == "R" else case if a == "CASE" else a for a in args]
        assert needle in one_line_error(cli(path, "referral", *args)), args
    monkeypatch.setenv("YORISOI_LANG", "en")  # the same line in English when asked
    err = one_line_error(cli(path, "referral", "edit", receipt, "--set", "bogus=1"))
    assert err == "yorisoi: No field 'bogus' (see yorisoi referral edit --help)."
    assert counts(path) == before  # no referral, no audit event
    assert ok(cli(path, "referral", "show", receipt, "--json"))["reason"] is None


def test_set_fields_are_the_services() -> None:
    from app.cli.referral_commands import EDITABLE, NOT_EDITABLE
    from app.services.referrals import FIELDS

    assert set(EDITABLE) | set(NOT_EDITABLE) == FIELDS and len(EDITABLE) == len(set(EDITABLE))


def test_a_sheet_without_consent_takes_the_meeting_that_discussed_it(
    cli: Any, tmp_path: Path
) -> None:
    """A case without consent, discussed at a 支援会議 where a member of the receiving agency
    had signed the pledge: ``referral add`` takes that meeting as the basis (the latest one up
    to the sheet's day), so the sheet can be sent; to an agency with no such member it stays
    送付不可 and names no meeting."""
    path = tmp_path / "yorisoi.db"
    ok(cli(path, "init", "--name", "調整 花子", "--role", "coordinator", "--json"))
    case = ok(cli(path, "case", "add", "--title", "家賃の滞納", "--person", "園田 二郎",
                  "--consent", "未確認", "--json"))["case_number"]  # fmt: skip
    meetings = []
    for day in ("2026-11-02", "2026-11-30"):
        m = ok(cli(path, "meeting", "add", "--date", day, "--case", case, "--json"))
        ok(cli(path, "meeting", "member", "add", m["number"], "--name", "社協 次郎", "--agency",
               "shakyo", "--signed-on", day, "--json"))  # fmt: skip
        meetings.append(m["meeting"]["id"])
    made = ok(cli(path, "referral", "add", case, "--to", "shakyo", "--date", "2026-12-01",
                  "--json"))  # fmt: skip
    assert made["fields"]["consent_basis"] == "support_meeting"
    assert made["fields"]["meeting_id"] == meetings[1] and made["scope"] == "meeting"
    assert made["sendable"]
    earlier = ok(cli(path, "referral", "add", case, "--to", "shakyo", "--date", "2026-11-10",
                     "--json"))  # fmt: skip
    assert earlier["fields"]["meeting_id"] == meetings[0]
    other = ok(cli(path, "referral", "add", case, "--to", "houkatsu", "--date", "2026-12-01",
                   "--json"))  # fmt: skip
    assert other["fields"]["meeting_id"] is None and not other["sendable"]
    assert ok(cli(path, "referral", "send", made["receipt_number"], "--json"))["status"] == "sent"

"""``yorisoi meeting ...`` and ``print minutes|packet`` as a coordinator runs them: real
processes on a real encrypted database, --json output, PDF text read back with pdftotext."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.core.test_cli import run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("meet") / "cli-home"
    r = run(["init", "--name", "試験 太郎", "--role", "coordinator"], h)
    assert r.returncode == 0, r.stderr
    r = run(["demo", "--persons", "30", "--json"], h)
    assert r.returncode == 0, r.stderr
    return h


def _json(args: list[str], home: Path) -> dict:
    r = run([*args, "--json"], home)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _cases(home: Path) -> tuple[str, str]:
    """A case without consent and one with consent naming no agency outside its own."""
    rows = _json(["case", "list", "--limit", "50"], home)["cases"]
    secret = next(c["case_number"] for c in rows if c["consent_status"] != "given")
    given = next(c["case_number"] for c in rows if c["consent_status"] == "given")
    return secret, given


def _pdftext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_meeting_from_creation_to_packets(home: Path, tmp_path: Path) -> None:
    secret, given = _cases(home)
    made = _json(
        ["meeting", "add", "--kind", "支援会議", "--date", "2026-12-10", "--time", "14:00",
         "--place", "本庁舎 会議室3", "--title", "CLI試験の支援会議", "--organiser", "suishin",
         "--chair", "staff000", "--member", "staff006", "--case", secret, "--case", given],
        home,
    )  # fmt: skip
    number = made["number"]
    m = made["meeting"]
    assert m["kind"] == "shien_kaigi" and m["starts_at"] == "14:00"
    assert [a["name"] for a in m["attendees"]] == ["高橋 治"]
    assert len(m["cases"]) == 2
    listed = _json(["meeting", "list"], home)["meetings"]
    assert number in [x["number"] for x in listed]

    m = _json(["meeting", "member", "add", number, "--name", "外部 花子", "--agency", "shakyo"],
              home)["meeting"]  # fmt: skip
    assert not m["attendees"][1]["pledge_valid"]
    # A pledge dated after the meeting is refused, with the reason, in one line.
    r = run(["meeting", "pledge", number, "staff006", "--signed-on", "2026-12-11"], home)
    assert r.returncode != 0 and "会議の開催日" in r.stderr and len(r.stderr.splitlines()) == 1
    m = _json(["meeting", "pledge", number, "staff006", "--signed-on", "2026-12-01"], home)[
        "meeting"
    ]
    assert m["attendees"][0]["pledge_valid"] and m["attendees"][0]["pledge_date"] == "2026-12-01"
    # A standing pledge only where the organiser allows it.
    r = run(["meeting", "pledge", number, "外部 花子", "--signed-on", "2026-12-01",
             "--valid-until", "2027-03-31"], home)  # fmt: skip
    assert r.returncode != 0 and "認めていません" in r.stderr

    m = _json(["meeting", "minutes", number, secret, "--discussion", "家賃滞納と通院の中断",
               "--decision", "地域課が訪問して様子を確認"], home)["meeting"]  # fmt: skip
    assert m["minutes"][0]["discussion"] == "家賃滞納と通院の中断"
    m = _json(["meeting", "task", "add", number, secret, "--task", "自宅を訪問して生活状況を確認",
               "--staff", "staff006", "--due", "2026-12-20"], home)["meeting"]  # fmt: skip
    task = m["assignments"][0]
    assert task["status"] == "open" and task["due_date"] == "2026-12-20"
    # The task is on the case.
    detail = _json(["case", "show", secret], home)
    assert "自宅を訪問して生活状況を確認" in [a["task"] for a in detail["assignments"]]
    done = _json(["meeting", "task", "status", task["id"][-8:], "完了"], home)
    assert done["status"] == "done" and done["done"] is True

    m = _json(["meeting", "edit", number, "--set", "place=北部保健福祉センター"], home)["meeting"]
    assert m["place"] == "北部保健福祉センター"

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    minutes = tmp_path / "minutes.pdf"
    out = _json(["print", "minutes", number, "--out", str(minutes), "--unencrypted"], home)
    assert out["document"] == "minutes"
    text = _pdftext(minutes)
    assert "会議録（議事録）" in text and "取扱注意" in text
    assert "家賃滞納と通院の中断" in text and "自宅を訪問して生活状況を確認" in text

    packets = tmp_path / "packets.pdf"
    out = _json(["print", "packet", number, "--out", str(packets), "--unencrypted"], home)
    assert out["pages"] == 2
    text = _pdftext(packets)
    pledged, unpledged = text.split("\f")[:2]
    assert "高橋 治" in pledged and "家賃滞納と通院の中断" in pledged and secret in pledged
    assert "外部 花子" in unpledged
    assert "家賃滞納と通院の中断" not in unpledged and secret not in unpledged
    assert "有効なものがありません" in unpledged and "本人同意のないケースです" in unpledged

    pledge = tmp_path / "pledge.pdf"
    _json(["print", "pledge", number, "--out", str(pledge), "--unencrypted"], home)
    assert "外部 花子" in _pdftext(pledge)


def test_meeting_errors_are_one_line(home: Path) -> None:
    for args, needle in (
        (["meeting", "show", "zzzzzzzz"], "見つかりません"),
        (["meeting", "add", "--date", "2026-13-40"], "YYYY-MM-DD"),
        (["meeting", "add", "--date", "2026-12-01", "--kind", "宴会"], "使えません"),
    ):
        r = run(args, home)
        assert r.returncode != 0, args
        assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_nobody_adds_themselves(tmp_path: Path) -> None:
    h = tmp_path / "self"
    assert run(["init", "--name", "自分 一郎", "--role", "coordinator"], h).returncode == 0
    assert run(["demo", "--persons", "10"], h).returncode == 0
    me = json.loads(run(["self-check", "--json"], h).stdout or "{}")
    made = _json(["meeting", "add", "--date", "2026-12-10"], h)
    r = run(
        ["meeting", "member", "add", made["number"], "--staff", made["meeting"]["chair_staff_id"]],
        h,
    )
    assert r.returncode != 0 and "自分自身" in r.stderr, (r.stderr, me)

"""``yorisoi print ...`` end to end: a real encrypted DB, a separate process, the files it writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.storage.models import AuditEvent
from tests.reports.conftest import PASSPHRASE_ENV, Scenario, pdf_fonts, pdf_text, squash

ROOT = Path(__file__).resolve().parents[2]


def yorisoi(
    sc: Scenario, *args: str, passphrase: str | None = None, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "YORISOI_PDF_PASSWORD"}
    env.update(YORISOI_LANG="ja", **(extra_env or {}))
    env[PASSPHRASE_ENV] = passphrase or "correct horse battery staple"
    return subprocess.run(
        [sys.executable, "-m", "app.cli.main", "--db", str(sc.store.path), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_print_every_document(scenario: Scenario, tmp_path: Path) -> None:
    sc = scenario
    sc.store.lock()  # the CLI opens the file itself
    jobs = {
        "referral.pdf": ["referral", sc.consent_receipt],
        "pledge.pdf": ["pledge", sc.meeting_id],
        "visits.pdf": ["visits", "--date", sc.visit_day.isoformat()],
        "summary.pdf": ["summary", sc.case_number],
    }
    for name, args in jobs.items():
        out = tmp_path / name
        r = yorisoi(sc, "print", *args, "--out", str(out), "--json", "--unencrypted")
        assert r.returncode == 0, r.stderr
        result = json.loads(r.stdout)
        assert result["path"] == str(out) and result["pages"] >= 1
        pdf = out.read_bytes()
        assert all(f["emb"] == "yes" for f in pdf_fonts(pdf))
    assert squash(sc.person_name) in pdf_text((tmp_path / "referral.pdf").read_bytes())
    assert squash(sc.person_name) in pdf_text((tmp_path / "visits.pdf").read_bytes())
    from app.storage.lifecycle import open_database

    store = open_database(sc.store.path, "correct horse battery staple")
    try:
        with store.session() as s:
            exports = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "export")))
    finally:
        store.lock()
    assert len(exports) == 4


def test_redacted_sheet_says_so_and_errors_are_one_line(scenario: Scenario, tmp_path: Path) -> None:
    sc = scenario
    sc.store.lock()
    r = yorisoi(sc, "print", "referral", sc.outsider_receipt, "--out", str(tmp_path / "r.pdf"),
                "--unencrypted")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "送付不可" in r.stdout and "支援会議で検討" in r.stdout
    assert squash(sc.person_name) not in pdf_text((tmp_path / "r.pdf").read_bytes())
    missing = yorisoi(sc, "print", "summary", "9999-999999", "--out", str(tmp_path / "x.pdf"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "ケース「9999-999999」が見つかりません" in missing.stderr  # names what was missing
    bad_date = yorisoi(
        sc, "print", "visits", "--date", "2026-13-01", "--out", str(tmp_path / "v.pdf")
    )
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
    wrong = yorisoi(sc, "print", "summary", sc.case_number, "--out", str(tmp_path / "w.pdf"),
                    passphrase="wrong passphrase entirely")  # fmt: skip
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "w.pdf").exists()


def test_saved_pdf_is_encrypted_by_default(scenario: Scenario, tmp_path: Path) -> None:
    from pypdf import PdfReader

    sc = scenario
    sc.store.lock()
    out = tmp_path / "enc.pdf"
    refused = yorisoi(sc, "print", "summary", sc.case_number, "--out", str(out))
    assert refused.returncode == 2 and "パスワード" in refused.stderr and not out.exists()
    env_pw = {"YORISOI_PDF_PASSWORD": "tokumei-2026"}
    r = yorisoi(sc, "print", "summary", sc.case_number, "--out", str(out), extra_env=env_pw)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert squash(sc.person_name).encode() not in data
    reader = PdfReader(out)
    assert reader.is_encrypted
    assert not reader.decrypt("wrong-password")
    reader = PdfReader(out)
    assert reader.decrypt("tokumei-2026")
    assert reader.trailer["/Encrypt"].get_object()["/V"] == 5  # V5/R6 = AES-256
    text = "".join(p.extract_text() for p in reader.pages)
    assert squash(sc.person_name) in squash(text)

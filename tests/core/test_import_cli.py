"""``yorisoi import`` as a user runs it: a real process, a real encrypted profile, JSON out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_cli import run
from tests.core.test_importer import RESOURCE_CSV


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "cli-home"
    r = run(["init", "--name", "試験 太郎", "--role", "coordinator"], h)
    assert r.returncode == 0, r.stderr
    return h


def test_template_dry_run_import_and_rerun(home, tmp_path):
    tpl = tmp_path / "t.csv"
    r = run(["import", "template", "resources", "--out", str(tpl), "--json"], home)
    assert r.returncode == 0, r.stderr
    assert tpl.read_bytes().startswith(b"\xef\xbb\xbf")
    assert (
        tpl.read_text("utf-8-sig").strip()
        == "名称,ふりがな,種別,地区,住所,連絡先,開所時間,対象,備考"
    )
    assert json.loads(r.stdout)["columns"][0] == {
        "header": "名称", "en": "name", "required": True, "how": ""
    }  # fmt: skip
    xlsx = tmp_path / "t.xlsx"
    r = run(["import", "template", "cases", "--out", str(xlsx)], home)
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert [c.value for c in wb.worksheets[0][1]][:3] == ["ケース番号", "主訴", "氏名"]

    src = tmp_path / "r.csv"
    src.write_bytes(RESOURCE_CSV.encode("cp932"))
    r = run(["import", "resources", str(src), "--dry-run"], home)
    assert r.returncode == 0, r.stderr
    assert "ドライラン" in r.stdout and "追加 3" in r.stdout and "北地区" in r.stdout
    r = run(["import", "resources", str(src), "--json"], home)
    data = json.loads(r.stdout)
    assert r.returncode == 0 and data["counts"]["add"] == 3 and data["encoding"] == "cp932"
    r = run(["import", "resources", str(src), "--json"], home)
    assert json.loads(r.stdout)["counts"] == {
        "add": 0, "update": 0, "unchanged": 3, "skip": 3, "error": 0
    }  # fmt: skip


def test_malformed_file_is_one_line_nonzero(home, tmp_path):
    src = tmp_path / "r.csv"
    src.write_text("住所,連絡先\nx,y\n", encoding="utf-8")
    r = run(["import", "resources", str(src)], home)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "必須の列" in r.stderr and "「名称」" in r.stderr


def test_outreach_worker_is_refused_in_one_line(tmp_path):
    h = tmp_path / "outreach-home"
    assert run(["init", "--name", "訪問 花子", "--role", "outreach"], h).returncode == 0
    src = tmp_path / "r.csv"
    src.write_text(RESOURCE_CSV, encoding="utf-8")
    r = run(["import", "resources", str(src), "--dry-run"], h)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "包括化推進員" in r.stderr and "管理者" in r.stderr

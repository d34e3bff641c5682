"""`disclosure extract` honours the contract: JSON Lines on stdout, exit codes, folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.cli import main
from tests.conftest import CORPUS, REPO, truth_for


def test_one_report_prints_one_contract_object(capsys: pytest.CaptureFixture[str]) -> None:
    seed = REPO / "raw" / "003_yuhang-drc-2020.txt"
    assert main(["extract", str(seed)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["contract"] == "disclosure-extract/1"
    assert doc["requests"] == truth_for(CORPUS / "seeds" / seed.name)["requests"]
    assert doc["cells"][0]["ref"]


def test_folder_is_walked_and_truth_files_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(
        "某局2019年政府信息公开工作年度报告\n", encoding="utf-8"
    )
    (tmp_path / "sub" / "a.truth.json").write_text("{}", encoding="utf-8")
    (tmp_path / "b.xls").write_bytes(b"binary")
    assert main(["extract", "--quiet", "--no-cells", str(tmp_path)]) == 0
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [Path(d["source"]["path"]).name for d in docs] == ["b.xls", "a.txt"]
    assert all("cells" not in d for d in docs)
    assert docs[0]["reason"] == "unsupported_format"


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "/no/such/report.pdf"]) == 2
    assert "no such file" in capsys.readouterr().err

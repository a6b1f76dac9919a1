"""``paoyici audit verify`` names the first broken link of the hash chain."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import cases
from cases import DatabaseSettings
from tests.api.test_cli import run_cli


def test_audit_verify_finds_the_first_tampered_event(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = cases.make_engine(DatabaseSettings(url=None), data_dir=data)
    cases.upgrade(engine)
    with cases.transaction(cases.make_sessionmaker(engine)) as s:
        for i in range(4):
            cases.append_event(
                s,
                actor="reviewer-1",
                role="reviewer",
                action="application.claimed",
                subject_type="application",
                subject_id=f"case-{i}",
                data={"n": i},
            )
    engine.dispose()

    ok = run_cli("audit", "verify", "--json", cwd=tmp_path, PAOYICI_DATA_DIR=str(data))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"intact": True, "events": 4}

    with sqlite3.connect(data / "paoyici.db") as db:
        second = db.execute("SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET 1").fetchone()[
            0
        ]
        db.execute("UPDATE audit_events SET data = ? WHERE id = ?", ('{"n": 99}', second))
    bad = run_cli("audit", "verify", "--json", cwd=tmp_path, PAOYICI_DATA_DIR=str(data))
    assert bad.returncode == 1
    out = json.loads(bad.stdout)
    assert out["intact"] is False and out["first_broken"] == second
    text = run_cli("audit", "verify", cwd=tmp_path, PAOYICI_DATA_DIR=str(data))
    assert text.returncode == 1 and f"第 {second} 条" in text.stderr

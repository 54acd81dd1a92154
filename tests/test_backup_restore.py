"""scripts/backup.sh and scripts/restore.sh against a scratch PostgreSQL database made and dropped here:
what was backed up comes back, rows and media files alike, after both were changed."""

import os
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PG_HOST = os.environ.get("PG_HOST", "127.0.0.1")
PG_USER = os.environ.get("PG_USER", "postgres")


def _psql(database: str, sql: str) -> str:
    return subprocess.run(  # noqa: S603 - fixed argv
        ["psql", "-h", PG_HOST, "-U", PG_USER, "-d", database, "-tAqc", sql],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.fixture
def scratch_database():
    name = f"cds_restore_test_{os.getpid()}"
    _psql("postgres", f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        _psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _script(name: str, argument: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script, fixed argv
        ["bash", str(BASE_DIR / "scripts" / name), str(argument)],  # noqa: S607
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_restore_brings_back_the_backed_up_rows_and_files(scratch_database, tmp_path):
    media = tmp_path / "media"
    (media / "evidence" / "2026").mkdir(parents=True)
    (media / "evidence" / "2026" / "bien-ban.pdf").write_bytes(b"%PDF-1.7 proof")
    _psql(scratch_database, "CREATE TABLE entry (id int PRIMARY KEY, note text)")
    _psql(scratch_database, "INSERT INTO entry VALUES (1, 'Đã hoàn thành 81,5%')")
    env = {
        "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:5432/{scratch_database}",
        "MEDIA_ROOT": str(media),
    }

    backup = _script("backup.sh", tmp_path / "backups", env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert (folder / "database.dump").stat().st_size > 0 and (folder / "media.tar.gz").exists()

    _psql(scratch_database, "UPDATE entry SET note = 'ghi đè'; INSERT INTO entry VALUES (2, 'sau sao lưu')")
    (media / "evidence" / "2026" / "bien-ban.pdf").unlink()
    (media / "stray.txt").write_text("written after the backup")

    restore = _script("restore.sh", folder, env)
    assert restore.returncode == 0, restore.stderr
    assert _psql(scratch_database, "SELECT id, note FROM entry ORDER BY id") == "1|Đã hoàn thành 81,5%"
    assert (media / "evidence" / "2026" / "bien-ban.pdf").read_bytes() == b"%PDF-1.7 proof"
    assert not (media / "stray.txt").exists()


def test_restore_refuses_a_folder_without_a_dump(tmp_path):
    result = _script("restore.sh", tmp_path, {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})

    assert result.returncode != 0 and "database.dump" in result.stderr

"""deploy/.env.example: it names every variable the settings and gunicorn read, and its production values
pass `check --deploy --fail-level WARNING`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
EXAMPLE = BASE_DIR / "deploy" / ".env.example"
READERS = [*sorted((BASE_DIR / "config").glob("*.py")), BASE_DIR / "deploy" / "gunicorn.conf.py"]
READ = re.compile(r"""(?:env_(?:str|bool|int|list)\(|os\.environ\.get\()"([A-Z][A-Z0-9_]+)\"""")


def _example() -> tuple[dict[str, str], set[str]]:
    values, named = {}, set()
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            named.add(match.group(2))
            if not match.group(1):
                values[match.group(2)] = match.group(3)
    return values, named


def test_the_example_names_every_variable_read():
    read = {name for path in READERS for name in READ.findall(path.read_text(encoding="utf-8"))}
    read.discard("DJANGO_SETTINGS_MODULE")
    assert {"DATABASE_URL", "REDIS_URL", "S3_BUCKET", "LOG_FILE", "GUNICORN_WORKERS"} <= read

    assert sorted(read - _example()[1]) == []


def test_check_deploy_is_clean_with_the_examples_production_values(tmp_path):
    values, _named = _example()
    assert "<" in values["SECRET_KEY"], "the example holds no usable key"
    values["SECRET_KEY"] = secrets.token_urlsafe(50)
    values["LOG_FILE"] = str(tmp_path / "app.log")
    values["STATIC_ROOT"] = str(tmp_path / "static")
    values["MEDIA_ROOT"] = str(tmp_path / "media")
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings", **values}

    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into DATABASE_URL and MEDIA_ROOT, replacing what is there.
# Usage: scripts/restore.sh BACKUP_FOLDER. Stop the web, worker and beat services first, start them after.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL chưa đặt / not set}"
folder="${1:?Cần thư mục bản sao lưu / usage: restore.sh BACKUP_FOLDER}"
media="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
[ -f "$folder/database.dump" ] || { echo "Không thấy $folder/database.dump" >&2; exit 1; }
# One transaction: a restore that fails half-way leaves the database as it was.
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$folder/database.dump"
if [ -f "$folder/media.tar.gz" ]; then
  mkdir -p "$media"
  find "$media" -mindepth 1 -delete
  tar -xzf "$folder/media.tar.gz" -C "$media"
fi
echo "Đã khôi phục / restored $folder"

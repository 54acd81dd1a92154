#!/usr/bin/env bash
# A backup of cds-xa: the PostgreSQL database (pg_dump, custom format) and the media folder (tar.gz), in
# one timestamped folder. Usage: scripts/backup.sh BACKUP_DIR   (reads DATABASE_URL and MEDIA_ROOT; run it
# with the server's environment: set -a; . /etc/cds-xa/env; set +a). Media in an S3 store (S3_BUCKET) are
# not copied here: use the store's own versioning or replication.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL chưa đặt / not set}"
target="${1:?Cần thư mục lưu / usage: backup.sh BACKUP_DIR}"
media="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
folder="$target/cds-xa-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$folder"
pg_dump --format=custom --no-owner --no-privileges --file="$folder/database.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -czf "$folder/media.tar.gz" -C "$media" .
fi
echo "$folder"

#!/usr/bin/env bash
# make cluster-test: the production shape on this machine, driven end to end, then taken down again.
#
# PostgreSQL (127.0.0.1:5432, a database of its own, dropped), Redis (127.0.0.1:6379, a db number of its own,
# CLUSTER_REDIS_DB, flushed before and after), an S3 store (moto's server), two gunicorn servers with the
# production settings (DEBUG off, deploy/.env.example's variables), one Celery worker, and nginx in front with
# deploy/nginx.conf's rules (plain HTTP on a free port) balancing the two. scripts/cluster_journey.py then
# drives the journey through nginx. Everything started here is stopped on every way out (trap).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_USER="${PG_USER:-postgres}"
REDIS_DB="${CLUSTER_REDIS_DB:-13}"
NGINX_BIN="${NGINX_BIN:-/usr/sbin/nginx}"
started=$(date +%s)

work=$(mktemp -d /tmp/cds-cluster.XXXXXX)
chmod 755 "$work"
db="cds_cluster_$$"
pids=()

stop_all() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -n "$REDIS_DB" FLUSHDB >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    echo "== cluster-test thất bại / failed ($status); last log lines:" >&2
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }; done
  fi
  rm -rf "$work"
  echo "== dừng mọi tiến trình, xóa CSDL $db, Redis db $REDIS_DB / everything stopped ($(($(date +%s) - started)) s)"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

[ -x "$NGINX_BIN" ] || { echo "nginx chưa cài / not installed: bash scripts/system-deps.sh" >&2; exit 1; }
read -r PORT_A PORT_B PORT_NGINX PORT_S3 < <("$PY" -c '
import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
')

# The environment every process reads, in deploy/.env.example's shape; plain HTTP, so no TLS-only settings.
set -a
DEBUG=0
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$PORT_NGINX
SITE_URL=http://127.0.0.1:$PORT_NGINX
REVERSE_PROXY_COUNT=1
SECURE_SSL_REDIRECT=0
SECURE_HSTS_SECONDS=0
SECURE_COOKIES=0
DATABASE_URL=postgres://$PG_USER@$PG_HOST:5432/$db
REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
CELERY_TASK_ALWAYS_EAGER=0
STATIC_ROOT=$work/static
MEDIA_ROOT=$work/media
MEDIA_X_ACCEL_PREFIX=/_media-internal/
S3_BUCKET=cds-cluster
S3_ENDPOINT_URL=http://127.0.0.1:$PORT_S3
S3_ACCESS_KEY_ID=cluster
S3_SECRET_ACCESS_KEY=cluster-secret
S3_REGION=us-east-1
S3_ADDRESSING_STYLE=path
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
LOG_LEVEL=WARNING
GUNICORN_WORKERS=2
GUNICORN_ACCESS_LOG=-
DJANGO_SETTINGS_MODULE=config.settings
CLUSTER_PASSWORD=cluster-$$-pw
set +a

echo "== cụm thử / cluster: nginx :$PORT_NGINX → gunicorn a :$PORT_A, b :$PORT_B · S3 :$PORT_S3 · PostgreSQL $db · Redis db $REDIS_DB"
redis-cli -n "$REDIS_DB" FLUSHDB >/dev/null
psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $db" >/dev/null

"$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p "$PORT_S3" >"$work/s3.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT_S3/" >/dev/null 2>&1 && break; sleep 0.1; done
"$PY" -c '
import os, boto3
boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT_URL"], aws_access_key_id="cluster",
             aws_secret_access_key="cluster-secret", region_name="us-east-1").create_bucket(Bucket="cds-cluster")'

"$PY" manage.py collectstatic --noinput -v 0 &  # beside the migration: it needs no database
collecting=$!
"$PY" manage.py migrate --noinput -v 0
wait "$collecting"
echo "  ✔ chuẩn bị: migrate, collectstatic ($(($(date +%s) - started)) s)"

for server in a b; do
  port_var="PORT_${server^^}"
  # Each its own control socket: two servers on one machine would otherwise share ~/.gunicorn/gunicorn.ctl.
  GUNICORN_BIND="127.0.0.1:${!port_var}" "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py \
    --control-socket "$work/gunicorn-$server.ctl" config.wsgi >"$work/gunicorn-$server.log" 2>&1 &
  pids+=($!)
done
"$ROOT/.venv/bin/celery" -A config worker --concurrency 2 --loglevel WARNING >"$work/worker.log" 2>&1 &
pids+=($!)

# nginx with deploy/nginx.conf's rules on plain HTTP: upstream of both servers, hashed static files from disk,
# media only by the app's X-Accel-Redirect (here proxied to the S3 store), the same proxy headers. The test
# adds a header to pin a request to one server and one naming the server that answered.
mkdir -p "$work/nginx"
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root;"  # workers must read the test's temp dir
cat >"$work/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $work/nginx-access.log;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    upstream cds_xa_app {
        server 127.0.0.1:$PORT_A;
        server 127.0.0.1:$PORT_B;
        keepalive 16;
    }
    upstream cds_xa_a { server 127.0.0.1:$PORT_A; }
    upstream cds_xa_b { server 127.0.0.1:$PORT_B; }
    map \$http_x_cluster_upstream \$cds_xa_pinned {
        a cds_xa_a;
        b cds_xa_b;
        default cds_xa_app;
    }
    server {
        listen 127.0.0.1:$PORT_NGINX;
        server_name 127.0.0.1;
        client_max_body_size 12m;
        add_header X-Cluster-Server \$upstream_addr always;
        location /static/ {
            alias $work/static/;
            expires max;
            add_header Cache-Control "public, immutable";
        }
        location /_media-internal/ {
            internal;
            proxy_pass http://127.0.0.1:$PORT_S3/;
            add_header X-Content-Type-Options nosniff;
            add_header X-Cluster-Server \$upstream_addr always;
        }
        location / {
            proxy_pass http://\$cds_xa_pinned;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_read_timeout 65s;
        }
    }
}
EOF
"$NGINX_BIN" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' >"$work/nginx.log" 2>&1 &
pids+=($!)

# The demo communes, people and periods while the servers start (development data, so loaded with DEBUG on;
# the servers run without).
DEBUG=1 "$PY" manage.py load_seed_plans >/dev/null
DEBUG=1 "$PY" manage.py load_demo_data --password "$CLUSTER_PASSWORD" >/dev/null
echo "  ✔ dữ liệu mẫu ($(($(date +%s) - started)) s)"
for port in "$PORT_A" "$PORT_B" "$PORT_NGINX"; do
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/dang-nhap/" && break; sleep 0.2; done
done
for _ in $(seq 150); do
  "$ROOT/.venv/bin/celery" -A config inspect ping --timeout 1 >/dev/null 2>&1 && break; sleep 0.2
done
echo "  ✔ khởi động: 2 gunicorn, 1 Celery worker, nginx, S3 ($(($(date +%s) - started)) s)"

PYTHONPATH="$ROOT" CLUSTER_NGINX_URL="http://127.0.0.1:$PORT_NGINX" CLUSTER_WORKER_LOG="$work/worker.log" \
  CLUSTER_PORT_A="$PORT_A" CLUSTER_PORT_B="$PORT_B" CLUSTER_PORT_S3="$PORT_S3" "$PY" scripts/cluster_journey.py
for server in a b; do
  echo "  · gunicorn $server đã trả lời $(grep -c '" [0-9][0-9][0-9] ' "$work/gunicorn-$server.log" || true) yêu cầu"
done
echo "== cluster-test đạt / passed ($(($(date +%s) - started)) s)"

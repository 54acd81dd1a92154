#!/usr/bin/env bash
# Debian packages the app and its tests need: WeasyPrint's Pango, a Times-compatible serif with every
# Vietnamese glyph for the reports, poppler's pdftotext for PDF tests, Chromium for the browser tests,
# wrk for the load test of `make bench`, nginx for `make cluster-test`.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 poppler-utils chromium wrk nginx)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "Thiếu gói hệ thống / missing system packages: ${missing[*]} (cài bằng apt-get install)" >&2
  exit 1
fi
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

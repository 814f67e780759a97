#!/usr/bin/env bash
# Restores a dump made by deploy/backup.sh: deploy/restore.sh backups/digits-....sql.gz
# The app is stopped meanwhile and started again afterwards; the restore is one transaction.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 BACKUP_FILE.sql.gz" >&2
  exit 2
fi
file=$1
gzip -t "$file"

docker compose stop app
trap 'docker compose start app' EXIT
gunzip -c "$file" | docker compose exec -T db psql -U postgres -d digits -v ON_ERROR_STOP=1 --single-transaction -q
echo "restored $file"

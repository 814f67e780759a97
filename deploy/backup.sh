#!/usr/bin/env bash
# Dumps the database to backups/digits-YYYYmmdd-HHMMSS.sql.gz (or into the directory given as $1).
# The dump drops and recreates what it contains, so deploy/restore.sh can load it over a live database.
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=${1:-backups}
mkdir -p "$out_dir"
file="$out_dir/digits-$(date -u +%Y%m%d-%H%M%S).sql.gz"
# Written beside and renamed, so a failed dump never leaves a file that looks complete.
docker compose exec -T db pg_dump -U postgres -d digits --clean --if-exists | gzip > "$file.partial"
mv "$file.partial" "$file"
echo "$file"

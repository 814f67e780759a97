#!/usr/bin/env bash
# Writes .env from .env.example with fresh random secrets, unless .env exists already (then it is kept:
# a new POSTGRES_PASSWORD would not match the one the database volume was created with).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -e .env ]; then
  echo ".env exists, kept"
  exit 0
fi
umask 077
sed \
  -e "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=$(openssl rand -hex 24)/" \
  -e "s/^ADMIN_TOKEN=.*/ADMIN_TOKEN=$(openssl rand -hex 32)/" \
  .env.example > .env.tmp
mv .env.tmp .env
echo ".env written with new secrets"

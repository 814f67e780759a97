#!/usr/bin/env bash
# On the server, in its checkout: builds both images from the code there and (re)starts the app.
# deploy/deploy.sh runs it after each update, cloud-init after the first clone.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/make-env.sh
# The trainer too: `up --build` skips services under a profile, and a trainer left on an older image
# would retrain with older preprocessing than the app serves. Layers that did not change are reused.
docker compose --profile train build
docker compose up -d --remove-orphans
docker compose ps

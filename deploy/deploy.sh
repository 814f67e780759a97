#!/usr/bin/env bash
# Deploys or updates the app on a server over ssh, then builds the images there and (re)starts the app
# with Docker Compose (deploy/up.sh).
#   deploy/deploy.sh user@host          copies this checkout's tracked files (rsync), keeps the server's .env
#   deploy/deploy.sh --pull user@host   runs `git pull --ff-only` in the server's clone instead
# The directory on the server is DEPLOY_DIR (default /opt/digit-recognizer, where cloud-init puts it).
# shellcheck disable=SC2029 # the directory and the remote command are expanded here on purpose
set -euo pipefail
cd "$(dirname "$0")/.."

mode=rsync
if [ "${1:-}" = "--pull" ]; then mode=pull; shift; fi
if [ $# -ne 1 ]; then
  echo "usage: $0 [--pull] user@host" >&2
  exit 2
fi
target=$1
dir=${DEPLOY_DIR:-/opt/digit-recognizer}

if [ "$mode" = rsync ]; then
  # Only tracked files: never local node_modules, builds, databases or this machine's .env.
  ssh "$target" "mkdir -p '$dir'"
  git ls-files -z | rsync -az --from0 --files-from=- . "$target:$dir/"
  update=true
else
  update="git pull --ff-only"
fi

ssh "$target" "cd '$dir' && $update && deploy/up.sh"

#!/bin/sh
# The images' entrypoint. MODEL_DIR (/data/models, compose's `model` volume) holds model versions only:
# the served ones and those retraining adds. On a first start, when it has no current.json yet, it is
# filled with the versions the image ships in /app/model; then the command runs. Code never goes there,
# so each updated image brings its own preprocessing, and a volume keeps nothing but versions.
# MODEL_SEED_DIR: where the shipped versions are (default /app/model; the tests point it elsewhere).
set -eu
seed=${MODEL_SEED_DIR:-/app/model}
dir=${MODEL_DIR:-}
if [ -n "$dir" ] && [ "$dir" != "$seed" ] && [ ! -e "$dir/current.json" ]; then
  mkdir -p "$dir"
  for file in "$seed"/*.onnx "$seed"/*.card.json "$seed"/*.pt; do
    if [ -e "$file" ] && [ ! -e "$dir/${file##*/}" ]; then cp "$file" "$dir/"; fi
  done
  # current.json last, by a rename: a folder that has one is complete.
  cp "$seed/current.json" "$dir/.current.json.partial"
  mv "$dir/.current.json.partial" "$dir/current.json"
  echo "seeded $dir with the model versions of this image"
fi
exec "$@"

#!/usr/bin/env bash
# Builds a local stand-in for the Dockerfile's base image, node:20-bookworm-slim, where no image registry
# is reachable (the image test, deploy/image.test.ts): Debian bookworm from Debian's own packages
# (debootstrap, slimmed the way debian:bookworm-slim is), this machine's Node.js, npm 10 from the npm
# registry (the version the official image bundles; npm 11 skips dependencies' install scripts), and the
# user `node` (1000:1000, home /home/node), as the official image has them.
#   deploy/stand-in-base.sh WORK_DIR [IMAGE]    podman's settings come from the environment
# The image is only ever a test fixture: it also carries this machine's CA bundle for npm (npm's global
# config), so that npm inside a build trusts the same HTTPS proxy as npm here.
set -euo pipefail

work=$1
image=${2:-docker.io/library/node:20-bookworm-slim}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
root="$work/rootfs"
mkdir -p "$work"

# Downloaded .debs are kept in apt's own cache, so a second run fetches nothing.
debootstrap --variant=minbase --cache-dir=/var/cache/apt/archives bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }

# What debian:bookworm-slim leaves out, and keeps out of later apt installs.
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/usr/share/info/* \
  "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF

# Node.js where the official image has it, npm beside it, linked the same way.
install -D -m 0755 "$(readlink -f "$(command -v node)")" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules/npm"
(cd "$work" && npm pack --silent npm@10.8.2 >/dev/null)
tar -xzf "$work/npm-10.8.2.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

mkdir -p "$root/usr/local/etc"
echo "update-notifier=false" >"$root/usr/local/etc/npmrc"
bundle=/etc/ssl/certs/ca-certificates.crt
if [ -f "$bundle" ]; then
  cp "$bundle" "$root/usr/local/etc/npm-ca.pem"
  echo "cafile=/usr/local/etc/npm-ca.pem" >>"$root/usr/local/etc/npmrc"
fi

tar -C "$root" -c . | podman import --change 'CMD ["node"]' - "$image" >/dev/null
echo "$image"

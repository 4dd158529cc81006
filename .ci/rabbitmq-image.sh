#!/usr/bin/env bash
# Make sure a RabbitMQ image is present locally and print its name.
#
# Usage: .ci/rabbitmq-image.sh [OFFICIAL_IMAGE]
#
# 1. If the local Debian-built tag already exists, reuse it (the cache).
# 2. Else try `docker pull OFFICIAL_IMAGE` (works wherever a registry is reachable).
# 3. Else build one from Debian packages: debootstrap a minimal bookworm,
#    install rabbitmq-server, enable the management plugin, `docker import` it.
#
# Progress goes to stderr; the only line on stdout is the image name to use.
set -euo pipefail

official=${1:-rabbitmq:3.13-management}
local_tag=${RABBITMQ_LOCAL_IMAGE:-rpc-course/rabbitmq:3-debian-bookworm}

log() { printf '[rabbitmq-image] %s\n' "$*" >&2; }

if docker image inspect "$local_tag" >/dev/null 2>&1; then
  log "reusing cached image $local_tag"
  echo "$local_tag"; exit 0
fi
if docker image inspect "$official" >/dev/null 2>&1; then
  log "using $official, already present"
  echo "$official"; exit 0
fi
log "trying: docker pull $official"
if timeout 60 docker pull -q "$official" >/dev/null 2>&1; then
  log "pulled $official"
  echo "$official"; exit 0
fi
log "no registry answers; building $local_tag from Debian packages"

# The mirror this machine already uses for its own packages.
mirror=$(grep -h -m1 -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
  | head -n1 | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*$//' || true)
mirror=${mirror:-http://deb.debian.org/debian}
log "mirror: $mirror"

root=$(mktemp -d /var/tmp/rabbitmq-root.XXXXXX)
trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$root"' EXIT

log "debootstrap --variant=minbase bookworm (takes a few minutes)"
debootstrap --variant=minbase bookworm "$root" "$mirror" >/var/tmp/debootstrap.log 2>&1 \
  || { tail -n 30 /var/tmp/debootstrap.log >&2; exit 1; }

cp /etc/apt/apt.conf.d/* "$root/etc/apt/apt.conf.d/" 2>/dev/null || true
cp /etc/resolv.conf "$root/etc/resolv.conf"

# Keep the package's post-install script from starting a broker inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

log "installing rabbitmq-server inside the root"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rabbitmq-server \
  >/var/tmp/rabbitmq-chroot.log 2>&1 || { tail -n 30 /var/tmp/rabbitmq-chroot.log >&2; exit 1; }
rm -f "$root/usr/sbin/policy-rc.d"

# guest may log in from outside the container (docker's port mapping is not loopback),
# and the management UI/API (port 15672) is on, as in the official -management image.
mkdir -p "$root/etc/rabbitmq/conf.d"
echo 'loopback_users.guest = false' >"$root/etc/rabbitmq/conf.d/10-defaults.conf"
echo '[rabbitmq_management].' >"$root/etc/rabbitmq/enabled_plugins"
chroot "$root" chown rabbitmq:rabbitmq /etc/rabbitmq/enabled_plugins || true
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/*

log "docker import as $local_tag"
tar -C "$root" -c . | docker import \
  -c 'CMD ["rabbitmq-server"]' \
  -c 'ENV HOME=/var/lib/rabbitmq RABBITMQ_LOGS=-' \
  -c 'EXPOSE 5672 15672' \
  - "$local_tag" >/dev/null
log "built $local_tag"
echo "$local_tag"

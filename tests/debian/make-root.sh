#!/usr/bin/env bash
# Makes the Debian bookworm root tree of the real-distribution boot test (tests/boot_debian.rs):
#   make-root.sh OUT.tar
# as root, with mmdebstrap (minbase + systemd + Debian's cloud kernel). The tree carries a check
# service that, once multi-user.target is reached, prints what the test asserts on the serial
# console and powers the guest off. The test caches OUT.tar under a key that hashes this file:
# any change here rebuilds the tree.
set -euo pipefail
out=${1:?usage: make-root.sh OUT.tar}
# The mirror the machine already uses (never a host name written here); mmdebstrap's default else.
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
pkgs=systemd,systemd-sysv,linux-image-cloud-amd64,sudo,iputils-ping,libcap2-bin
exec mmdebstrap --mode=root --variant=minbase --format=tar --quiet \
  --aptopt='Apt::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --include="$pkgs" \
  --customize-hook='echo debian-tree > "$1/etc/hostname" && chmod 644 "$1/etc/hostname"' \
  --customize-hook='printf "127.0.0.1\tlocalhost\n127.0.1.1\tdebian-tree\n::1\tlocalhost ip6-localhost ip6-loopback\n" > "$1/etc/hosts"' \
  --customize-hook='printf "LABEL=debian-root / ext4 defaults 0 1\n" > "$1/etc/fstab"' \
  --customize-hook='chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer dpkg-db-backup.timer systemd-timesyncd.service getty@tty1.service serial-getty@ttyS0.service getty-static.service' \
  --customize-hook='upload '"$(dirname "$0")"'/ingot-check /usr/local/sbin/ingot-check' \
  --customize-hook='chmod 755 "$1/usr/local/sbin/ingot-check"' \
  --customize-hook='upload '"$(dirname "$0")"'/ingot-check.service /etc/systemd/system/ingot-check.service' \
  --customize-hook='chroot "$1" systemctl enable ingot-check.service' \
  bookworm "$out" ${mirror:+"$mirror"}

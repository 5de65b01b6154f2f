#!/usr/bin/env bash
# Installs every system package ingot's build, tests and benchmark need (Debian 12).
# Idempotent: does nothing when everything is present. Needs root (CI and dev machines run as root).
#
# Package              why
# e2fsprogs            mke2fs (the --ext-writer mke2fs oracle), e2fsck/debugfs (test oracles)
# dosfstools mtools    fsck.vfat (oracle for every FAT image), mcopy/mdir (extract the ESP in tests)
# fdisk gdisk          sfdisk --dump / sgdisk -v (oracles for MBR and GPT tables)
# grub-pc-bin          GRUB i386-pc modules + boot.img (BIOS boot)
# grub-efi-amd64-bin   GRUB x86_64-efi modules (UEFI boot)
# grub-efi-ia32-bin    GRUB i386-efi modules (efi32-raw images)
# grub-common          grub-mkimage
# xorriso libisofs6    ISO 9660 images (libisofs, loaded at run time) and their oracle
# genisoimage          isoinfo (oracle for ISO volume id, Rock Ridge, Joliet)
# qemu-system-x86      boot tests (from bookworm-backports, to match the machine's qemu-utils 10)
# qemu-utils           qemu-img: the qcow2 output and its oracle (from bookworm-backports too)
# seabios ovmf         BIOS and UEFI firmware for boot tests
# ovmf-ia32            32-bit UEFI firmware: the efi32-raw boot test
# linux-image-cloud-amd64  the kernel booted in tests (small, virtio + ata_piix)
# busybox-static cpio kmod  the tiny initramfs of the boot tests
# skopeo               oracle for docker-archive images
# genimage hyperfine time   benchmark peers and timing (benches/image-bench.sh)
# pigz                 the tarball peer of the benchmark (tar | pigz -6)
# libarchive-tools     bsdtar (oracle for tarball/wsl2 content)
# acl attr             setfacl/setfattr: the ACL and xattr inputs of tests/e2e_archives.rs and
#                      tests/e2e_container_root.rs
# zstd xz-utils bzip2  the compressed root-tree archives of tests/e2e_archives.rs
# mmdebstrap           the real Debian root of the distribution boot test (tests/boot_debian.rs)
# man-db groff-base    man -l: the test that renders ingot's man page
set -euo pipefail
PKGS=(e2fsprogs dosfstools mtools fdisk gdisk grub-pc-bin grub-efi-amd64-bin grub-efi-ia32-bin
      grub-common xorriso libisofs6 genisoimage seabios ovmf ovmf-ia32 linux-image-cloud-amd64 busybox-static
      cpio kmod skopeo genimage hyperfine time libarchive-tools qemu-system-x86 qemu-utils file bc
      acl attr zstd xz-utils bzip2 mmdebstrap man-db groff-base pigz)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
# qemu-system-x86 must come from bookworm-backports (the machine's qemu-utils is the backports 10.x).
# Reuse the mirror already configured for bookworm; never name a mirror here.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || { echo "install-deps: no Debian mirror configured" >&2; exit 1; }
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" > /etc/apt/sources.list.d/ingot-backports.sources
fi
apt-get update -qq
BACKPORTS=(qemu-system-x86 qemu-utils seabios)
apt-get install -y -qq --no-install-recommends -t bookworm-backports "${BACKPORTS[@]}" >/dev/null
rest=()
for p in "${missing[@]}"; do
  [[ " ${BACKPORTS[*]} " == *" $p "* ]] || rest+=("$p")
done
[ ${#rest[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${rest[@]}" >/dev/null

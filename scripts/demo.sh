#!/usr/bin/env bash
# The main job: build ingot, build the example efi-raw image of examples/efi-os.scm with a small
# root tree (host kernel + busybox initramfs), check it, and boot it under QEMU/OVMF.
# Output in ./out/. Installs the system packages it needs (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
export STEEL_HOME=${STEEL_HOME:-${TMPDIR:-/tmp}/ingot-steel-home}
cargo build --release --quiet --bin ingot --example demo_root --example boot
mkdir -p out
rm -rf out/demo-root
./target/release/examples/demo_root out/demo-root demo >/dev/null
echo "== ingot show"
./target/release/ingot show examples/efi-os.scm --root-tree out/demo-root
echo "== ingot build"
SOURCE_DATE_EPOCH=1700000000 ./target/release/ingot build examples/efi-os.scm \
  --root-tree out/demo-root -o out/efi.img
echo "== sgdisk -v"
sgdisk -v out/efi.img | grep -E 'No problems|problem'
echo "== boot under OVMF (TCG, ~10-20 s)"
./target/release/examples/boot out/efi.img efi ROOT-OK-demo

#!/usr/bin/env bash
# image-bench.sh — ingot against its peers on one realistic tree, measured in the same run.
#
# Usage: benches/image-bench.sh [WORKDIR]      (default: ${TMPDIR:-/tmp}/ingot-bench)
# Env:   RUNS (default 2), TREE (use this root tree instead of generating one)
#
# Builds an efi-raw image (FAT ESP with GRUB + ext4 root) of a ~1 GiB, ~50k-entry tree with:
#   ingot (own ext writer), ingot --ext-writer mke2fs, genimage (mke2fs inside), and the
#   root file system alone with `mke2fs -d`. systemd-repart needs >= 254 for --offline; Debian 12
#   ships 252, so it is measured only when a new enough one is on PATH.
# Prints wall time (best of RUNS), peak RSS, apparent and allocated sizes, ratios against ingot,
# and whether two ingot builds are byte-identical. Not a test: timings are noisy; compare ratios.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-${TMPDIR:-/tmp}/ingot-bench}
RUNS=${RUNS:-2}
export SOURCE_DATE_EPOCH=1700000000
mkdir -p "$W"
"$HERE/scripts/install-deps.sh"
(cd "$HERE" && cargo build --release --quiet)
INGOT=$HERE/target/release/ingot

make_tree() {   # ~1 GiB of real files: many small, some large, symlinks, hard links
  local t=$1
  [ -f "$t/.complete" ] && return
  rm -rf "$t"; mkdir -p "$t/usr/lib" "$t/etc" "$t/boot"
  cp -a /usr/share "$t/usr/" 2>/dev/null || true
  for d in /usr/lib/python3* /usr/lib/gcc /usr/lib/grub /usr/lib/git-core; do
    [ -e "$d" ] && cp -a "$d" "$t/usr/lib/" 2>/dev/null || true
    [ "$(du -sb "$t" | cut -f1)" -gt $((1100*1024*1024)) ] && break
  done
  echo bench > "$t/etc/hostname"
  cp "$(ls /boot/vmlinuz-* | sort -V | tail -1)" "$t/boot/vmlinuz"
  touch "$t/.complete"
}
TREE=${TREE:-$W/tree}
make_tree "$TREE"
entries=$(find "$TREE" | wc -l); bytes=$(du -sb "$TREE" | cut -f1)
echo "tree: $TREE  entries: $entries  apparent bytes: $bytes"

ROOT_MIB=$(( bytes * 13 / 10 / 1048576 + 64 ))
measure() {  # measure NAME OUTPUT CMD... -> prints "NAME seconds rss_kib"
  local name=$1 out=$2; shift 2
  local best= rss=
  for ((i=0;i<RUNS;i++)); do
    rm -f "$out"; sync
    /usr/bin/time -f '%e %M' -o "$W/time.$name" "$@" >"$W/log.$name" 2>&1 || { cat "$W/log.$name"; return 1; }
    read -r s m < "$W/time.$name"
    if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" = 1 ]; then best=$s; rss=$m; fi
  done
  echo "$name $best $rss $(stat -c %s "$out") $(( $(stat -c %b "$out") * 512 ))" >> "$W/results"
}
: > "$W/results"

# ingot: efi-raw of an OS whose root is the tree; root size fixed like the peers'.
DEF='(operating-system (host-name "bench") (bootloader (bootloader-configuration (bootloader grub-efi-bootloader))) (file-systems %base-file-systems))'
measure ingot "$W/ingot.img" "$INGOT" build -t efi-raw --root-tree "$TREE" --image-size "${ROOT_MIB}M" -e "$DEF" -o "$W/ingot.img"
# A second build from a copy of the tree (other inode numbers, atimes, ctimes): same bytes?
rm -rf "$W/tree-copy"; cp -a "$TREE" "$W/tree-copy"
"$INGOT" build -t efi-raw --root-tree "$W/tree-copy" --image-size "${ROOT_MIB}M" -e "$DEF" -o "$W/ingot-copy.img" >/dev/null 2>&1
measure ingot-mke2fs "$W/ingot-mke2fs.img" "$INGOT" build --ext-writer mke2fs -t efi-raw --root-tree "$TREE" --image-size "${ROOT_MIB}M" -e "$DEF" -o "$W/ingot-mke2fs.img"

# mke2fs -d alone: the root file system only.
mk_mke2fs() { truncate -s "${ROOT_MIB}M" "$1"; E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mke2fs -q -F -t ext4 -L root -d "$TREE" "$1"; }
export -f mk_mke2fs; export TREE ROOT_MIB
measure mke2fs "$W/mke2fs.ext4" bash -c 'mk_mke2fs "$0"' "$W/mke2fs.ext4"

# genimage: the same layout (40 MiB ESP + ext4 root).
mkdir -p "$W/gi-in"
grub-mkimage -O x86_64-efi -p /EFI/BOOT -o "$W/gi-in/BOOTX64.EFI" part_gpt fat ext2 normal linux search configfile
cat > "$W/genimage.cfg" <<CFG
image esp.vfat { vfat { label = "GNU-ESP" file EFI/BOOT/BOOTX64.EFI { image = "BOOTX64.EFI" } } size = 40M temporary = true }
image root.ext4 { ext4 { label = "Guix_image" use-mke2fs = true } size = ${ROOT_MIB}M temporary = true }
image genimage.img {
  hdimage { partition-table-type = "gpt" }
  partition esp { image = "esp.vfat" offset = 1M partition-type-uuid = "U" }
  partition root { image = "root.ext4" partition-type-uuid = "L" }
}
CFG
mk_genimage() { rm -rf "$W/gi-tmp"; genimage --config "$W/genimage.cfg" --rootpath "$TREE" --tmppath "$W/gi-tmp" --inputpath "$W/gi-in" --outputpath "$W" >/dev/null 2>&1; rm -rf "$W/gi-tmp"; }
export -f mk_genimage; export W
measure genimage "$W/genimage.img" bash -c mk_genimage

if command -v systemd-repart >/dev/null && [ "$(systemd-repart --version | awk 'NR==1{print $2}')" -ge 254 ] 2>/dev/null; then
  mkdir -p "$W/repart.d"
  printf '[Partition]\nType=esp\nFormat=vfat\nSizeMinBytes=40M\nSizeMaxBytes=40M\n' > "$W/repart.d/10-esp.conf"
  printf '[Partition]\nType=root\nFormat=ext4\nCopyFiles=/:/\n' > "$W/repart.d/20-root.conf"
  measure repart "$W/repart.img" systemd-repart --empty=create --size=auto --offline=yes --dry-run=no --root="$TREE" --definitions="$W/repart.d" "$W/repart.img"
else
  echo "systemd-repart >= 254 not available (Debian 12 has 252, without --offline): not measured"
fi

identical=no; cmp -s "$W/ingot.img" "$W/ingot-copy.img" && identical=yes
rm -rf "$W/tree-copy" "$W/ingot-copy.img"
echo
printf '%-14s %9s %9s %12s %14s %14s %s\n' tool seconds peak_MiB apparent_MiB allocated_MiB "" "time vs ingot"
read -r _ ingot_s _ < <(grep '^ingot ' "$W/results")
while read -r name s rss app alloc; do
  printf '%-14s %9.2f %9.1f %12.1f %14.1f %14s x%.2f\n' "$name" "$s" "$(echo "$rss/1024" | bc -l)" \
    "$(echo "$app/1048576" | bc -l)" "$(echo "$alloc/1048576" | bc -l)" "" "$(echo "$s / $ingot_s" | bc -l)"
done < "$W/results"
echo "ingot builds from the tree and from a copy of it byte-identical: $identical"

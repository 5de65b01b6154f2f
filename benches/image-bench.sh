#!/usr/bin/env bash
# image-bench.sh — ingot against its peers and against the copy limit, measured in one run.
#
# Usage: benches/image-bench.sh [WORKDIR]      (default: ${TMPDIR:-/tmp}/ingot-bench)
# Env:   RUNS (default 3: interleaved rounds per case), TREE (the ~1 GiB tree to use instead
#        of generating one), CASES (default "small t1 t4 million show iso tarball"), PEERS4=1 (also run
#        mke2fs -d on the 4x tree: ~2 min), PEERS=0 (skip genimage and ingot --ext-writer
#        mke2fs on the 1x tree), OLD (another ingot binary, e.g. an older build, run
#        interleaved with this one as "ingot-old": before/after in the same run).
#
# Cases (each a table of min and median wall time and peak RSS, and ratios to a reference):
#   small    1,000 files, 20 MB: ingot efi-raw vs the root file system alone with `mke2fs -d`;
#            also `ingot show` of the same (evaluation and planning without writing)
#   t1       ~1 GiB, ~57k entries (copied from /usr): ingot efi-raw, ingot --ext-writer mke2fs,
#            `mke2fs -d` (root fs only), genimage (same layout), and the copy limit: every
#            file cat into one file, then fsync
#   t4       4 copies of that tree (~230k entries, ~4 GB): ingot and the copy limit
#   million  1M entries (90% empty files and symlinks, 10% small files): ingot, time and RSS
#   show     `ingot show` latency (hyperfine)
#   iso      the t1 tree as an uncompressed ISO: ingot (GRUB El Torito images included) vs
#            `xorriso -as mkisofs -R -J` (Rock Ridge + Joliet, no boot images)
#   tarball  the t1 tree as a .tar.gz: ingot vs `tar -cf - . | pigz -6 -p $(nproc)`
# Tools run interleaved (a, b, c, a, b, c, ...) so load changes hit all of them; the machine's
# load average is printed per case. Not a test: compare ratios within one run.
# systemd-repart needs >= 254 for --offline (Debian 12 ships 252): measured when on PATH.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-${TMPDIR:-/tmp}/ingot-bench}
RUNS=${RUNS:-3}
CASES=${CASES:-small t1 t4 million show iso tarball}
export SOURCE_DATE_EPOCH=1700000000 STEEL_HOME=${STEEL_HOME:-$W/steel-home}
mkdir -p "$W"
"$HERE/scripts/install-deps.sh" >/dev/null
(cd "$HERE" && cargo build --release --quiet)
INGOT=$HERE/target/release/ingot
DEF='(operating-system (host-name "bench") (bootloader (bootloader-configuration (bootloader grub-efi-bootloader))) (file-systems %base-file-systems))'
KERNEL=$(ls /boot/vmlinuz-* | sort -V | tail -1)

make_t1() {   # ~1 GiB of real files: many small, some large, symlinks, hard links
  local t=$1
  [ -f "$t/.complete" ] && return
  rm -rf "$t"; mkdir -p "$t/usr/lib" "$t/etc" "$t/boot"
  cp -a /usr/share "$t/usr/" 2>/dev/null || true
  for d in /usr/lib/python3* /usr/lib/gcc /usr/lib/grub /usr/lib/git-core; do
    [ -e "$d" ] && cp -a "$d" "$t/usr/lib/" 2>/dev/null || true
    [ "$(du -sb "$t" | cut -f1)" -gt $((1100*1024*1024)) ] && break
  done
  echo bench > "$t/etc/hostname"
  cp "$KERNEL" "$t/boot/vmlinuz"
  touch "$t/.complete"
}
make_t4() {   # four copies of t1 under one root, one kernel
  local t=$1 src=$2
  [ -f "$t/.complete" ] && return
  rm -rf "$t"; mkdir -p "$t/boot"
  for c in a b c d; do cp -a "$src" "$t/$c"; rm -f "$t/$c/.complete"; done
  cp "$KERNEL" "$t/boot/vmlinuz"
  touch "$t/.complete"
}
make_small() {   # 1,000 files, 20 MB in all (the kernel included), 20 directories
  local t=$1
  [ -f "$t/.complete" ] && return
  rm -rf "$t"; mkdir -p "$t/boot"; cp "$KERNEL" "$t/boot/vmlinuz"
  local per=$(( (20000000 - $(stat -c %s "$KERNEL")) / 980 ))
  for d in $(seq -w 0 19); do
    mkdir -p "$t/d$d"
    for f in $(seq -w 0 48); do head -c "$per" /dev/urandom > "$t/d$d/f$f"; done
  done
  touch "$t/.complete"
}
make_million() {   # 1,000 directories of 1,000 entries
  local t=$1
  [ -f "$t/.complete" ] && return
  rm -rf "$t"; mkdir -p "$t/boot"; cp "$KERNEL" "$t/boot/vmlinuz"
  python3 - "$t" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(1000):
    sub = f"{root}/m/{d:04}"
    os.makedirs(sub)
    for i in range(999):
        p = f"{sub}/e{i:04}"
        if i % 10 == 0:
            with open(p, "w") as f: f.write(f"{d}/{i}\n")
        elif i % 10 == 1:
            os.symlink(f"e{i-1:04}", p)
        else:
            open(p, "w").close()
PY
  touch "$t/.complete"
}

size_mib() { echo $(( $(du -sb "$1" | cut -f1) * 13 / 10 / 1048576 + 64 )); }
describe() { echo "tree $1: $(find "$1" | wc -l) entries, $(du -sb "$1" | cut -f1) apparent bytes"; }

# run CASE TOOL OUT CMD... : one timed run, appended to $W/$CASE.$TOOL as "seconds rss_kib"
run() {
  local case=$1 tool=$2 out=$3; shift 3
  rm -f "$out"; sync
  if ! /usr/bin/time -f '%e %M' -o "$W/time" "$@" >"$W/log.$case.$tool" 2>&1; then
    echo "$case/$tool failed:"; tail -5 "$W/log.$case.$tool"; return 1
  fi
  cat "$W/time" >> "$W/$case.$tool"
}
# summary CASE REF TOOL... : min and median seconds, peak RSS, ratios to REF's min and median
summary() {
  local case=$1 ref=$2; shift 2
  read -r rmin rmed < <(sort -n "$W/$case.$ref" | awk '{a[NR]=$1} END {print a[1], (a[int((NR+1)/2)]+a[int(NR/2)+1])/2}')
  printf '%-8s %-14s %8s %8s %9s %10s %10s\n' case tool min_s med_s peak_MiB "min/$ref" "med/$ref"
  for tool in "$@"; do
    [ -s "$W/$case.$tool" ] || continue
    sort -n "$W/$case.$tool" | awk -v c="$case" -v t="$tool" -v rmin="$rmin" -v rmed="$rmed" '
      {s[NR]=$1; if ($2>m) m=$2} END {med=(s[int((NR+1)/2)]+s[int(NR/2)+1])/2;
      printf "%-8s %-14s %8.2f %8.2f %9.1f %10.2f %10.2f\n", c, t, s[1], med, m/1024, s[1]/rmin, med/rmed}'
  done
  echo "load average after $case: $(cut -d' ' -f1-3 /proc/loadavg)"
}
limit() {  # the copy limit: every file's bytes into one file, then fsync
  find "$1" -type f -print0 | xargs -0 cat > "$2"; sync "$2"
}
mk_mke2fs() { truncate -s "$2M" "$1"; E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mke2fs -q -F -t ext4 -L root -d "$3" "$1"; }
export -f limit mk_mke2fs
ingot_build() {  # ingot_build CASE TOOL TREE OUT [extra args]
  local case=$1 tool=$2 tree=$3 out=$4 bin=$INGOT; shift 4
  [ "$tool" = ingot-old ] && bin=$OLD
  run "$case" "$tool" "$out" "$bin" build "$@" -t efi-raw --root-tree "$tree" \
    --image-size "$(size_mib "$tree")M" -e "$DEF" -o "$out"
}
old() {  # old CASE TREE OUT: the OLD binary too, when given
  if [ -n "${OLD:-}" ]; then ingot_build "$1" ingot-old "$2" "$3"; fi
}
clear_case() { rm -f "$W/$1".*; }

T1=${TREE:-$W/t1}
echo "ingot $(git -C "$HERE" describe --always --dirty 2>/dev/null), RUNS=$RUNS, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for case in $CASES; do
  echo
  clear_case "$case"
  case $case in
  small)
    make_small "$W/small"; describe "$W/small"
    "$INGOT" build -t efi-raw --root-tree "$W/small" -e "$DEF" -o "$W/warm.img" >/dev/null 2>&1 # fills the GRUB cache
    for ((i=0;i<RUNS;i++)); do
      ingot_build small ingot "$W/small" "$W/small.img"
      old small "$W/small" "$W/small-old.img"
      # The same definition shown, not built: evaluation and planning alone.
      run small ingot-show "$W/show.out" "$INGOT" show -t efi-raw --root-tree "$W/small" \
        --image-size "$(size_mib "$W/small")M" -e "$DEF"
      run small mke2fs "$W/small.ext4" bash -c 'mk_mke2fs "$0" "$1" "$2"' "$W/small.ext4" "$(size_mib "$W/small")" "$W/small"
    done
    summary small mke2fs ingot ingot-old ingot-show mke2fs
    paste "$W/small.ingot" "$W/small.ingot-show" | awk '{d=$1-$3; if (NR==1||d<m) m=d} END {printf "small: ingot build minus show (writing alone), best pair: %.2f s\n", m}' ;;
  t1)
    make_t1 "$T1"; describe "$T1"
    cat "$(find "$T1" -type f | head -1)" >/dev/null
    mkdir -p "$W/gi-in"
    grub-mkimage -O x86_64-efi -p /EFI/BOOT -o "$W/gi-in/BOOTX64.EFI" part_gpt fat ext2 normal linux search configfile
    cat > "$W/genimage.cfg" <<CFG
image esp.vfat { vfat { label = "GNU-ESP" file EFI/BOOT/BOOTX64.EFI { image = "BOOTX64.EFI" } } size = 40M temporary = true }
image root.ext4 { ext4 { label = "Guix_image" use-mke2fs = true } size = $(size_mib "$T1")M temporary = true }
image genimage.img {
  hdimage { partition-table-type = "gpt" }
  partition esp { image = "esp.vfat" offset = 1M partition-type-uuid = "U" }
  partition root { image = "root.ext4" partition-type-uuid = "L" }
}
CFG
    mk_genimage() { rm -rf "$W/gi-tmp"; genimage --config "$W/genimage.cfg" --rootpath "$T1" --tmppath "$W/gi-tmp" --inputpath "$W/gi-in" --outputpath "$W" >/dev/null 2>&1; rm -rf "$W/gi-tmp"; }
    export -f mk_genimage; export W T1
    for ((i=0;i<RUNS;i++)); do
      run t1 limit "$W/limit" bash -c 'limit "$0" "$1"' "$T1" "$W/limit"
      ingot_build t1 ingot "$T1" "$W/t1.img"
      old t1 "$T1" "$W/t1-old.img"
      [ "$i" = 0 ] && [ "${PEERS:-1}" = 1 ] && ingot_build t1 ingot-mke2fs "$T1" "$W/t1-mke2fs.img" --ext-writer mke2fs
      run t1 mke2fs "$W/t1.ext4" bash -c 'mk_mke2fs "$0" "$1" "$2"' "$W/t1.ext4" "$(size_mib "$T1")" "$T1"
      [ "$i" = 0 ] && [ "${PEERS:-1}" = 1 ] && run t1 genimage "$W/genimage.img" bash -c mk_genimage
    done
    if command -v systemd-repart >/dev/null && [ "$(systemd-repart --version | awk 'NR==1{print $2}')" -ge 254 ] 2>/dev/null; then
      mkdir -p "$W/repart.d"
      printf '[Partition]\nType=esp\nFormat=vfat\nSizeMinBytes=40M\nSizeMaxBytes=40M\n' > "$W/repart.d/10-esp.conf"
      printf '[Partition]\nType=root\nFormat=ext4\nCopyFiles=/:/\n' > "$W/repart.d/20-root.conf"
      run t1 repart "$W/repart.img" systemd-repart --empty=create --size=auto --offline=yes --dry-run=no --root="$T1" --definitions="$W/repart.d" "$W/repart.img"
    fi
    summary t1 limit limit ingot ingot-old ingot-mke2fs mke2fs genimage repart
    # A second build from a copy of the tree (other inode numbers, atimes, ctimes): same bytes?
    rm -rf "$W/t1-copy"; cp -a "$T1" "$W/t1-copy"
    "$INGOT" build -t efi-raw --root-tree "$W/t1-copy" --image-size "$(size_mib "$T1")M" -e "$DEF" -o "$W/t1-copy.img" >/dev/null 2>&1
    identical=no; cmp -s "$W/t1.img" "$W/t1-copy.img" && identical=yes
    echo "ingot images of the tree and of a copy of it are byte-identical: $identical"
    if [ -n "${OLD:-}" ]; then
      same=no; cmp -s "$W/t1.img" "$W/t1-old.img" && same=yes
      echo "ingot and ingot-old images byte-identical: $same"
    fi
    echo "allocated MiB: ingot $(( $(stat -c %b "$W/t1.img") / 2048 )), mke2fs -d $(( $(stat -c %b "$W/t1.ext4") / 2048 ))"
    rm -rf "$W/t1-copy" "$W/t1-copy.img" "$W/t1-old.img" "$W/t1-mke2fs.img" "$W/genimage.img" "$W/limit" ;;
  t4)
    make_t1 "$T1"; make_t4 "$W/t4" "$T1"; describe "$W/t4"
    for ((i=0;i<RUNS;i++)); do
      run t4 limit "$W/limit" bash -c 'limit "$0" "$1"' "$W/t4" "$W/limit"
      ingot_build t4 ingot "$W/t4" "$W/t4.img"
      old t4 "$W/t4" "$W/t4-old.img"
      if [ "${PEERS4:-0}" = 1 ] && [ "$i" = 0 ]; then
        run t4 mke2fs "$W/t4.ext4" bash -c 'mk_mke2fs "$0" "$1" "$2"' "$W/t4.ext4" "$(size_mib "$W/t4")" "$W/t4"
      fi
    done
    summary t4 limit limit ingot ingot-old mke2fs
    rm -f "$W/t4.img" "$W/t4-old.img" "$W/t4.ext4" "$W/limit" ;;
  million)
    make_million "$W/million"; describe "$W/million"
    # No fixed size: 1M inodes need their tables (~4 GiB of groups), not 1.3 x the bytes.
    run million ingot "$W/million.img" "$INGOT" build -t efi-raw --root-tree "$W/million" \
      -e "$DEF" -o "$W/million.img"
    summary million ingot ingot
    entries=$(find "$W/million" | wc -l)
    awk -v n="$entries" '{printf "million: %.0f bytes of peak RSS per entry\n", $2*1024/n}' "$W/million.ingot"
    rm -f "$W/million.img" ;;
  show)
    make_small "$W/small"
    hyperfine -N --warmup 2 --runs 20 --export-json "$W/show.json" \
      "$INGOT show $HERE/examples/inherit-override.scm" \
      "$INGOT show -t efi-raw --root-tree $W/small -e '$DEF'" 2>&1 \
      | grep -E 'Benchmark|Time|Range' || true
    echo "load average after show: $(cut -d' ' -f1-3 /proc/loadavg)" ;;
  iso)
    make_t1 "$T1"; describe "$T1"
    for ((i=0;i<RUNS;i++)); do
      run iso ingot "$W/t1.iso" "$INGOT" build -t uncompressed-iso9660 --root-tree "$T1" -e "$DEF" -o "$W/t1.iso"
      if [ -n "${OLD:-}" ]; then
        run iso ingot-old "$W/t1-old.iso" "$OLD" build -t uncompressed-iso9660 --root-tree "$T1" -e "$DEF" -o "$W/t1-old.iso"
      fi
      run iso xorriso "$W/xorriso.iso" xorriso -as mkisofs -R -J -quiet -o "$W/xorriso.iso" "$T1"
    done
    summary iso xorriso ingot ingot-old xorriso
    echo "iso bytes: ingot $(stat -c %s "$W/t1.iso"), xorriso $(stat -c %s "$W/xorriso.iso")"
    rm -f "$W/t1.iso" "$W/t1-old.iso" "$W/xorriso.iso" ;;
  tarball)
    make_t1 "$T1"; describe "$T1"
    for ((i=0;i<RUNS;i++)); do
      run tarball ingot "$W/t1.tar.gz" "$INGOT" build -t tarball --root-tree "$T1" -e "$DEF" -o "$W/t1.tar.gz"
      if [ -n "${OLD:-}" ]; then
        run tarball ingot-old "$W/t1-old.tar.gz" "$OLD" build -t tarball --root-tree "$T1" -e "$DEF" -o "$W/t1-old.tar.gz"
      fi
      run tarball pigz "$W/pigz.tar.gz" bash -c 'tar -C "$0" -cf - . | pigz -6 -p "$(nproc)" > "$1"' "$T1" "$W/pigz.tar.gz"
    done
    summary tarball pigz ingot ingot-old pigz
    ok=no; gzip -t "$W/t1.tar.gz" && ok=yes
    echo "tarball bytes: ingot $(stat -c %s "$W/t1.tar.gz") (gzip -t: $ok, $(tar -tzf "$W/t1.tar.gz" | wc -l) members), tar|pigz $(stat -c %s "$W/pigz.tar.gz")"
    rm -f "$W/t1.tar.gz" "$W/t1-old.tar.gz" "$W/pigz.tar.gz" ;;
  *) echo "unknown case $case" ;;
  esac
done

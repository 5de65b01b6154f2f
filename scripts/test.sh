#!/usr/bin/env bash
# The whole test suite, one command: installs what it needs, then formatting, lints, unit tests,
# the Scheme corpus, end-to-end builds checked by real tools, and QEMU boot tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# A CI run once found /dev/null a regular file: every `>/dev/null` and Stdio::null() then
# shared one file, and cargo's `rustc -` probe read build-script errors from it. Put the node
# back (as root) before anything uses it, and check at the end that the suite left it alone.
./scripts/dev-null.sh repair
./scripts/install-deps.sh
export STEEL_HOME=${STEEL_HOME:-${TMPDIR:-/tmp}/ingot-steel-home}
cargo fmt --check
cargo clippy --release --all-targets -- -D warnings
cargo test --release "$@"
./scripts/dev-null.sh check

#!/usr/bin/env bash
# The whole test suite, one command: installs what it needs, then formatting, lints, unit tests,
# the Scheme corpus, end-to-end builds checked by real tools, and QEMU boot tests.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
export STEEL_HOME=${STEEL_HOME:-${TMPDIR:-/tmp}/ingot-steel-home}
cargo fmt --check
cargo clippy --release --all-targets -- -D warnings
cargo test --release "$@"

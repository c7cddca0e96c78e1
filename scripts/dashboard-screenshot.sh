#!/usr/bin/env bash
# Redraws docs/dashboard.png: starts a mock on a manual clock, gives it a few sessions in
# different statuses (one selected in PENDING_CLIENT_RECONNECTION), and has headless Chromium
# (/usr/bin/chromium) photograph /_mock/ui at 1280x800. The steps are the ignored
# test `dashboard::screenshot` in mock-server/tests/dashboard.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -p gameliftstreams-mock --all-features --test server -- \
    --ignored --exact dashboard::screenshot
ls -l docs/dashboard.png

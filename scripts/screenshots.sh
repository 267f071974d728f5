#!/usr/bin/env bash
# Regenerates the README screenshots in docs/screenshots/: builds the bundled
# knowledge base into a temporary folder and photographs a few pages with
# headless Chromium.
#
#   bash scripts/screenshots.sh
#
# Environment:
#   SAYWHEN   saywhen binary to build with (default: `cargo run --release --`,
#             or target/release/saywhen when cargo is not installed)
#   CHROMIUM  Chromium binary (default: /usr/bin/chromium)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
shots="$root/docs/screenshots"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
site="$work/site"

if [[ ! -x "$chromium" ]]; then
  echo "screenshots: Chromium not found at $chromium (set CHROMIUM)" >&2
  exit 2
fi

# A fixed date, so pages never depend on the day the script runs.
build_args=(--root "$root" build --output "$site" --today 2026-11-23)
if [[ -n "${SAYWHEN:-}" ]]; then
  "$SAYWHEN" "${build_args[@]}"
elif command -v cargo >/dev/null; then
  (cd "$root" && cargo run --release --quiet -- "${build_args[@]}")
elif [[ -x "$root/target/release/saywhen" ]]; then
  "$root/target/release/saywhen" "${build_args[@]}"
else
  echo "screenshots: neither cargo nor target/release/saywhen found (set SAYWHEN)" >&2
  exit 2
fi

mkdir -p "$shots"

# shot NAME PAGE WIDTH HEIGHT: docs/screenshots/NAME.png of PAGE (relative to
# the site root, optionally with a ?query), the browser window WIDTH x HEIGHT.
shot() {
  local name="$1" page="$2" width="$3" height="$4"
  local out="$shots/$name.png"
  if [[ ! -f "$site/${page%%\?*}" ]]; then
    echo "screenshots: the built site has no $page" >&2
    exit 1
  fi
  rm -f "$out"
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d -p "$work")" --hide-scrollbars \
    --force-device-scale-factor=1 --virtual-time-budget=2000 \
    --window-size="$width,$height" --screenshot="$out" \
    "file://$site/$page" >/dev/null 2>&1 || true
  if [[ ! -s "$out" ]]; then
    echo "screenshots: Chromium wrote no $out" >&2
    exit 1
  fi
  echo "$(du -k "$out" | cut -f1) KB  docs/screenshots/$name.png  ($page, ${width}x$height)"
}

# A phone (360 x 640) and a desktop window (1280 x 800): an FAQ entry, a
# playbook and the search page with results, then the home page and the A–Z
# index on a desktop.
faq=faq/customer-threatens-to-sue.html
playbook=playbooks/taking-over-an-escalated-call.html
search="search/index.html?q=threatens+to+sue"
for width_height in 360x640 1280x800; do
  width="${width_height%x*}" height="${width_height#*x}"
  shot "faq-$width" "$faq" "$width" "$height"
  shot "playbook-$width" "$playbook" "$width" "$height"
  shot "search-$width" "$search" "$width" "$height"
done
shot home-1280 index.html 1280 800
shot situations-1280 situations/index.html 1280 800

#!/usr/bin/env bash
# Set up everything this project needs on a fresh Debian machine that has python3 and root:
# system packages (CJK and DejaVu fonts; with --test also Chromium and poppler for the browser and PDF tests),
# a virtual environment in .venv with the exact versions of requirements.lock, and the package itself.
# Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

need=()
# CJK fonts are embedded in PDF exports; DejaVu supplies the status symbols (✓ ✕ ↗) they lack
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
if [ "$want_test" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# pip's notes about configured local indexes that do not exist are noise here; errors still show.
pip_install() {
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  return "${PIPESTATUS[0]}"
}

stamp=".venv/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: creating .venv with the pinned packages of requirements.lock"
  python3 -m venv .venv
  pip_install "setuptools==80.9.0" "wheel==0.45.1"
  pip_install -r requirements.lock
  pip_install --no-deps --no-build-isolation -e .
  rm -f .venv/.installed-*
  touch "$stamp"
fi

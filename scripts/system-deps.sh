#!/usr/bin/env bash
# Install what the browser tests need from Debian: chromium and CJK fonts. Without them (and
# without root to install them) the browser tests skip and say why; nothing else depends on them.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${missing[*]} (for the browser tests)…"
  apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; } \
    || echo "could not install ${missing[*]}; browser tests will skip"
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || echo "could not install ${missing[*]}; browser tests will skip"
else
  echo "note: ${missing[*]} not installed (needs root: apt-get install ${missing[*]}); browser tests will skip"
fi
exit 0

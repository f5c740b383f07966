#!/usr/bin/env bash
# Set up reader on a Debian machine: system packages (speech engine, sound
# server, CJK font, tmux), a private Python venv in .venv and the package in it.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(espeak-ng libespeak-ng1 pulseaudio pulseaudio-utils sox fonts-wqy-zenhei tmux lame python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt=(apt-get); elif sudo -n true 2>/dev/null; then apt=(sudo apt-get);
  else apt=(); fi
  if [ ${#apt[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please run: sudo apt-get install ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null || true
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]' 2>&1 \
  | grep -v -e '^WARNING: Location' -e '^$' || true
.venv/bin/python -c "import reader, textual, rjieba, pypinyin" \
  || { echo "setup: the Python packages did not install; see the messages above" >&2; exit 1; }

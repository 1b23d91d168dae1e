#!/usr/bin/env bash
# Installs posecheck into a virtual environment, .venv in this checkout, with the system packages it needs
# (Debian/Ubuntu: as root or with sudo). Never touches the system Python's packages (PEP 668).
#   bash scripts/install.sh             the tool: .venv/bin/posecheck
#   bash scripts/install.sh --test      also what the tests need: pytest, ruff, Xvfb, Chromium
#   bash scripts/install.sh --render    also the sample renderer (samplegen): pyrender, OSMesa
# Flags combine. PYTHON=python3.12 picks the interpreter the environment is made from (default: python3).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,7s/^# \{0,1\}//p' "$0"; }
TEST=0
RENDER=0
for arg in "$@"; do
  case "$arg" in
    --test) TEST=1 ;;
    --render) RENDER=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $arg (use --test, --render)" >&2; exit 2 ;;
  esac
done

PYTHON="${PYTHON:-python3}"
VENV=.venv

# system packages: only the missing ones, so a second run needs no network for apt and no root.
# "a|b": either name (Ubuntu 24.04 and Debian 13 renamed libglib2.0-0 in the 64-bit time_t transition)
APT=(
  python3 python3-venv               # the interpreter and its venv module (Debian splits it off)
  libgl1 "libglib2.0-0t64|libglib2.0-0"  # OpenCV (the build mediapipe pulls) links against them
  espeak-ng                          # offline text-to-speech for spoken cues
)
[ "$TEST" = 1 ] && APT+=(xvfb)          # a virtual display for the live-window test
[ "$RENDER" = 1 ] && APT+=(libosmesa6)  # offscreen OpenGL for the sample renderer
installed() {  # any of the alternatives installed
  local alt
  for alt in ${1//|/ }; do
    dpkg-query -W -f='${Status}' "$alt" 2>/dev/null | grep -q "ok installed" && return 0
  done
  return 1
}
available() {  # the first alternative this system's apt knows, else the last
  local alt
  for alt in ${1//|/ }; do
    if apt-cache show "$alt" >/dev/null 2>&1; then echo "$alt"; return; fi
  done
  echo "$alt"
}
if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
  # headless screenshots of the HTML report (tests/test_browser.py skips without it): Debian's chromium only,
  # where apt has it (Ubuntu's chromium-browser is a snap, which containers often cannot run)
  if [ "$TEST" = 1 ] && apt-cache show chromium >/dev/null 2>&1; then APT+=(chromium); fi
  MISSING=()
  for pkg in "${APT[@]}"; do
    installed "$pkg" || MISSING+=("$pkg")
  done
  if [ "${#MISSING[@]}" -gt 0 ]; then
    SUDO=()
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null; then SUDO=(sudo); else
        echo "install.sh: not root and no sudo: install these system packages first: ${MISSING[*]}" >&2
        exit 1
      fi
    fi
    "${SUDO[@]}" apt-get update -qq
    NAMES=()
    for pkg in "${MISSING[@]}"; do NAMES+=("$(available "$pkg")"); done
    echo "install.sh: apt-get install ${NAMES[*]}"
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${NAMES[@]}" >/dev/null
  fi
else
  echo "install.sh: no apt-get here; the tool needs Python >= 3.10 with venv (and espeak-ng for speech on Linux)" >&2
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "install.sh: creating $VENV with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
EXTRAS=()
[ "$TEST" = 1 ] && EXTRAS+=(test)
[ "$RENDER" = 1 ] && EXTRAS+=(render)
SPEC="."
if [ "${#EXTRAS[@]}" -gt 0 ]; then SPEC=".[$(IFS=,; echo "${EXTRAS[*]}")]"; fi
# editable: the environment runs this checkout's code (a pull needs no reinstall, unless the dependencies change)
echo "install.sh: pip install -e $SPEC into $VENV (the first time takes a few minutes: mediapipe is large)"
if [ "$RENDER" = 1 ] && [ -d "$VENV"/lib/python3*/site-packages/pyrender ] 2>/dev/null; then
  echo "install.sh: (if pip says pyrender wants PyOpenGL 3.1.0: expected, 3.1.10 is the one that works)"
fi
"${PIP[@]}" -e "$SPEC"
if [ "$RENDER" = 1 ]; then
  # pyrender pins an old PyOpenGL that breaks on current Python; it goes in without its dependencies
  "${PIP[@]}" --no-deps "pyrender==0.1.45"
fi
echo "install.sh: done. Run $VENV/bin/posecheck (or 'source $VENV/bin/activate', then posecheck)"

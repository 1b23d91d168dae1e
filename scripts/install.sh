#!/usr/bin/env bash
# Installs posecheck and everything it needs on a fresh Debian/Ubuntu machine (run as root or with sudo).
#   bash scripts/install.sh            runtime + tests
#   bash scripts/install.sh --render   also the sample renderer (samplegen)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libgl1 libglib2.0-0   # OpenCV (the contrib build mediapipe pulls) links against them
  espeak-ng             # offline text-to-speech for spoken cues
  xvfb                  # a virtual display for the live-window test
  libosmesa6            # offscreen OpenGL for the sample renderer
)
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
if command -v apt-get >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
else
  echo "install.sh: no apt-get; install these system packages yourself: ${APT_PACKAGES[*]}" >&2
fi

python3 -m pip install -q --upgrade pip
python3 -m pip install -q ".[test,render]"
# pyrender pins an old PyOpenGL that breaks on current Python; install it without its deps
python3 -m pip install -q --no-deps "pyrender==0.1.45"
echo "posecheck installed: $(command -v posecheck)"

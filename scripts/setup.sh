#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine to play: speech and audio libraries from apt, then
# voice_rehab (what playing needs, nothing more) in a virtual environment at .venv (Debian's own
# Python refuses system-wide pip installs). The tests install their extras themselves
# (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
step "System packages: espeak-ng (the voice), PortAudio (sound in and out), flite (more test voices)"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends espeak-ng libespeak-ng1 libportaudio2 flite python3-venv >/dev/null

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  step "A Python virtual environment in .venv"
  "$python" -m venv .venv
fi
step "Python packages: voice_rehab and its speech models (about 2 minutes the first time)"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
step "voice_rehab is set up. Try:"
echo "  .venv/bin/voice-rehab play            # the default routine, spoken"
echo "  .venv/bin/voice-rehab check           # what works on this machine"
echo "  bash scripts/test.sh                  # the tests (installs their extras first)"

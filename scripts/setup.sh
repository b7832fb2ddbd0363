#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine: speech and audio libraries from apt, then voice_rehab
# with its test extras in a virtual environment at .venv (Debian's own Python refuses
# system-wide pip installs).
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# espeak-ng: the voice (pyttsx3 drives libespeak-ng1); libportaudio2: audio in and out through
# sounddevice; flite: more voices for the listener's tests and benchmarks.
$sudo apt-get install -y -qq --no-install-recommends espeak-ng libespeak-ng1 libportaudio2 flite python3-venv >/dev/null

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "voice_rehab is set up: .venv/bin/voice-rehab --help"

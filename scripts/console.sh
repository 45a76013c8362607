#!/usr/bin/env bash
# Install the bot into .venv and open the console on the bundled corpus
# (embedded defaults: data/bot.sqlite3, seeds/).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/python -m bot console "$@"

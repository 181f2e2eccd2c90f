#!/usr/bin/env bash
# One command: set up, then serve the app on the embedded default data (built on first start).
# Open http://localhost:8501 . PORT=NNNN to use another port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python scripts/serve.py app.py --server.port "${PORT:-8501}" "$@"

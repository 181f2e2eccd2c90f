#!/usr/bin/env bash
# A local team setup in one command: a throwaway PostgreSQL cluster (scripts/pg.sh, in /tmp/dabiao-team)
# with the catalog and the demo data, and two app servers over it, on ports 8501 and 8502 (PORTS="a b" for
# others). An upload on one server is seen on the other. Ctrl-C stops both servers and removes the cluster.
#
# DABIAO_DB=postgresql://user:password@host:5432/dbname bash scripts/team.sh  uses that existing server
# instead (nothing is started or removed there; the database must exist).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ports=(${PORTS:-8501 8502})
cluster=""
if [ -z "${DABIAO_DB:-}" ] || [[ "$DABIAO_DB" != postgres* ]]; then
  cluster=${DABIAO_TEAM_DIR:-/tmp/dabiao-team}
  bash scripts/pg.sh stop "$cluster"
  DABIAO_DB=$(bash scripts/pg.sh start "$cluster")
fi
export DABIAO_DB
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "$cluster" ] && bash scripts/pg.sh stop "$cluster"
}
trap cleanup EXIT INT TERM
.venv/bin/indicators demo  # catalog and demo data, once (idempotent)
for port in "${ports[@]}"; do
  .venv/bin/python scripts/serve.py app.py --server.port "$port" --server.headless true &
  pids+=($!)
  echo "team: app server on http://localhost:$port over $DABIAO_DB"
done
wait

#!/usr/bin/env bash
# Stop the daemons started by scripts/ceph-up.sh, by their pid files only.
#   usage: scripts/ceph-down.sh DIR [rgw]     "rgw" stops the gateway only (monitor and OSD stay up)
# The data stays in DIR; the next scripts/ceph-up.sh DIR starts a fresh cluster (or, after
# "rgw", restarts only the gateway).
set -uo pipefail
DIR=${1:?usage: $0 DIR [rgw]}
WHAT=${2:-all}
[ -d "$DIR/run" ] || exit 0
case "$WHAT" in
  rgw) pids=("$DIR/run/client.rgw.pid") ;;
  all) pids=("$DIR"/run/client.rgw.pid "$DIR"/run/osd.*.pid "$DIR"/run/mon.*.pid) ;;
  *) echo "usage: $0 DIR [rgw]" >&2; exit 2 ;;
esac
stop() {
  local p=$1 pid
  [ -f "$p" ] || return 0
  pid=$(cat "$p")
  kill "$pid" 2>/dev/null || { rm -f "$p"; return 0; }
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$p"
  echo "ceph-down: stopped $(basename "$p" .pid) (pid $pid)" >&2
}
for p in "${pids[@]}"; do stop "$p"; done
true

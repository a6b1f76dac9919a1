#!/usr/bin/env bash
# Start (or reuse) a single-node Ceph cluster with a RADOS Gateway on loopback: the real S3
# server that the storage tests and local trials run against.
#
#   usage: scripts/ceph-up.sh DIR            e.g. scripts/ceph-up.sh var/rgw
#   needs: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd curl openssl uuid-runtime
#
# One monitor, one OSD (bluestore on a sparse file, or memstore) and radosgw (beast) with HTTP on
# $RGW_PORT and HTTPS on $RGW_TLS_PORT, the TLS certificate issued by a CA generated here
# (DIR/ca.pem). Auth between the daemons is off; S3 clients authenticate with the access/secret key
# written to DIR/env. Everything lives under DIR; nothing is installed system-wide.
#
# Idempotent-ish:
#   - gateway already answering over HTTPS         -> reuse it, print DIR/env
#   - monitor and OSD alive but the gateway is down -> start the gateway only (what the fault test
#                                                      relies on after it stops radosgw)
#   - anything else                                 -> stop leftovers by pid file, wipe DIR, start fresh
#   CEPH_FRESH=1 forces a fresh cluster.
#
# env: RGW_PORT RGW_TLS_PORT MON_PORT MON_V2_PORT OSD_STORE=bluestore|memstore
#      S3_ACCESS_KEY S3_SECRET_KEY CEPH_FRESH
set -euo pipefail

DIR=${1:?usage: $0 DIR}
OSD_STORE=${OSD_STORE:-bluestore}
RGW_PORT=${RGW_PORT:-7480}
RGW_TLS_PORT=${RGW_TLS_PORT:-7443}
MON_PORT=${MON_PORT:-6789}
MON_V2_PORT=${MON_V2_PORT:-3300}
ACCESS_KEY=${S3_ACCESS_KEY:-paoyici-test-access}
SECRET_KEY=${S3_SECRET_KEY:-paoyici-test-secret-0123456789}

T0=$(date +%s%N)
log() {
  local ms=$((($(date +%s%N) - T0) / 1000000))
  printf "ceph-up: %4d.%03ds %s\n" $((ms / 1000)) $((ms % 1000)) "$*" >&2
}
die() { echo "ceph-up: $*" >&2; exit 1; }

for bin in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph uuidgen openssl curl; do
  command -v "$bin" >/dev/null || die "missing $bin (apt-get install radosgw ceph-mon ceph-osd curl openssl uuid-runtime)"
done

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd -P)
export CEPH_CONF=$DIR/ceph.conf

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

rgw_answers() {
  [ -f "$DIR/env" ] && [ -f "$DIR/ca.pem" ] || return 1
  curl -s -o /dev/null --max-time 3 --cacert "$DIR/ca.pem" "https://127.0.0.1:$RGW_TLS_PORT/"
}

wait_rgw() {
  for _ in $(seq 1 240); do
    rgw_answers && return 0
    alive "$DIR/run/client.rgw.pid" || [ ! -f "$DIR/run/client.rgw.pid" ] || break
    sleep 0.5
  done
  rgw_answers || { tail -30 "$DIR/log/client.rgw.log" >&2 || true; die "radosgw did not come up"; }
}

start_rgw() {
  rm -f "$DIR/run/client.rgw.pid"
  radosgw -n client.rgw
  wait_rgw
  log "radosgw answering on https://127.0.0.1:$RGW_TLS_PORT"
}

if [ "${CEPH_FRESH:-0}" != 1 ] && [ -f "$DIR/env" ]; then
  if rgw_answers; then
    log "reusing the running gateway in $DIR"
    cat "$DIR/env"
    exit 0
  fi
  if alive "$DIR/run/mon.a.pid" && alive "$DIR/run/osd.0.pid"; then
    log "monitor and OSD alive, restarting radosgw only"
    alive "$DIR/run/client.rgw.pid" && kill "$(cat "$DIR/run/client.rgw.pid")" && sleep 1
    start_rgw
    cat "$DIR/env"
    exit 0
  fi
fi

# Fresh start: stop whatever an earlier run left behind (by pid file only), then wipe. Only ever
# wipe a directory under the project, /tmp or /var/tmp, after resolving symlinks: a worktree whose
# DIR links to another checkout's cluster may reuse it or restart its gateway (above), never wipe it.
case "$DIR" in
  /tmp/?* | /var/tmp/?* | "$(pwd -P)"/?*) ;;
  *) die "refusing to wipe DIR=$DIR (must be under /tmp, /var/tmp or the current directory)" ;;
esac
killed=0
for p in "$DIR"/run/*.pid; do
  [ -f "$p" ] || continue
  kill "$(cat "$p")" 2>/dev/null && killed=1
done
[ $killed = 1 ] && sleep 2
for p in "$DIR"/run/*.pid; do [ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null; done
if [ -n "$(ls -A "$DIR")" ] && [ ! -f "$DIR/ceph.conf" ]; then
  die "$DIR is not empty and holds no ceph.conf: not wiping it"
fi
find "$DIR" -mindepth 1 -delete
mkdir -p "$DIR"/{mon,osd.0,run,log}

# TLS: a CA generated here, and a server certificate for 127.0.0.1/localhost issued by it.
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$DIR/ca.key" -out "$DIR/ca.pem" \
  -subj "/CN=Paoyici test S3 CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$DIR/rgw.key" -out "$DIR/rgw.csr" \
  -subj "/CN=127.0.0.1" 2>/dev/null
cat >"$DIR/rgw.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
EOF
openssl x509 -req -in "$DIR/rgw.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" -CAcreateserial \
  -days 825 -extfile "$DIR/rgw.ext" -out "$DIR/rgw.crt" 2>/dev/null
cat "$DIR/rgw.crt" "$DIR/rgw.key" >"$DIR/rgw.pem"
chmod 600 "$DIR"/*.key "$DIR/rgw.pem"

# A per-cluster KMS key for the "testing" KMS backend (SSE-KMS); 256 random bits.
KMS_KEY_ID=paoyici-test-key
KMS_KEY=$(openssl rand -base64 32)

FSID=$(uuidgen)
cat >"$CEPH_CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_V2_PORT,v1:127.0.0.1:$MON_PORT]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv4 = true
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
pid file = $DIR/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
osd objectstore = $OSD_STORE
osd data = $DIR/osd.\$id
osd max object name len = 460
osd max object namespace len = 64
osd memory target = 939524096
bluestore block create = true
bluestore block size = 10737418240
bluestore fsck on mount = false
bdev enable discard = false
memstore device bytes = 4294967296
osd op num shards = 2
osd op num threads per shard = 1
[mon]
mon data = $DIR/mon
mon cluster log file = $DIR/log/cluster.log
[client.rgw]
# radosgw defaults to cephx and secure mon mode; neither works with auth = none.
auth client required = none
ms mon client mode = crc
ms client mode = crc
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT ssl_endpoint=127.0.0.1:$RGW_TLS_PORT ssl_certificate=$DIR/rgw.pem
rgw data = $DIR/rgw
rgw dns name = localhost
# SSE needs TLS (the default); the "testing" KMS backend holds its keys in this file.
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = $KMS_KEY_ID=$KMS_KEY
rgw enable usage log = false
rgw thread pool size = 64
rgw init timeout = 120
EOF

monmaptool --create --clobber --fsid "$FSID" \
  --addv a "[v2:127.0.0.1:$MON_V2_PORT,v1:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$DIR/monmap" >"$DIR/log/mon-mkfs.log" 2>&1
ceph-mon -i a
ceph --connect-timeout 30 -s >/dev/null
log "monitor up"

OSD_UUID=$(uuidgen)
OSD_ID=$(ceph osd new "$OSD_UUID")
[ "$OSD_ID" = 0 ] || die "expected osd.0, got osd.$OSD_ID"
ceph-osd -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >"$DIR/log/osd-mkfs.log" 2>&1
ceph-osd -i "$OSD_ID" 2>>"$DIR/log/osd-start.log"
for _ in $(seq 1 120); do
  ceph osd dump 2>/dev/null | grep -q "^osd.$OSD_ID up" && break
  sleep 0.5
done
ceph osd dump 2>/dev/null | grep -q "^osd.$OSD_ID up" || die "osd.$OSD_ID did not come up"
log "osd.$OSD_ID up ($OSD_STORE)"

# The env file is written before the gateway starts so that rgw_answers() can find it.
cat >"$DIR/env" <<EOF
S3_ENDPOINT=127.0.0.1:$RGW_PORT
S3_TLS_ENDPOINT=127.0.0.1:$RGW_TLS_PORT
S3_CA_FILE=$DIR/ca.pem
S3_ACCESS_KEY=$ACCESS_KEY
S3_SECRET_KEY=$SECRET_KEY
S3_KMS_KEY_ID=$KMS_KEY_ID
S3_RGW_PID_FILE=$DIR/run/client.rgw.pid
CEPH_CONF=$CEPH_CONF
EOF
start_rgw
radosgw-admin user create --uid=paoyici --display-name=paoyici \
  --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >/dev/null
log "S3 user created"
cat "$DIR/env"

#!/usr/bin/env bash
# Print `export PAOYICI_STORAGE_...` lines that point the service at the gateway started by
# scripts/ceph-up.sh DIR (over HTTPS, with its CA):
#   eval "$(scripts/s3-env.sh var/rgw)" && paoyici serve
set -euo pipefail
DIR=${1:?usage: $0 DIR}
[ -f "$DIR/env" ] || { echo "s3-env: $DIR/env not found; run scripts/ceph-up.sh $DIR" >&2; exit 1; }
# shellcheck disable=SC1091
. "$DIR/env"
cat <<ENV
export PAOYICI_STORAGE_BACKEND=s3
export PAOYICI_STORAGE_S3_ENDPOINT=$S3_TLS_ENDPOINT
export PAOYICI_STORAGE_S3_SECURE=true
export PAOYICI_STORAGE_S3_CA_FILE=$S3_CA_FILE
export PAOYICI_STORAGE_S3_ACCESS_KEY=$S3_ACCESS_KEY
export PAOYICI_STORAGE_S3_SECRET_KEY=$S3_SECRET_KEY
export PAOYICI_STORAGE_SSE=kms
export PAOYICI_STORAGE_SSE_KMS_KEY_ID=$S3_KMS_KEY_ID
ENV

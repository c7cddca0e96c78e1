#!/usr/bin/env bash
# Creates what the load scripts need on a running mock server:
#   - raises the capacity quota of a location (PUT /_mock/config),
#   - an application (READY at the next request with the default 0 s delays),
#   - a stream group with MaximumCapacity=$CAPACITY in the primary location, the application
#     as its default (so associated), ACTIVE at the next request,
#   - one stream session for GetStreamSession to read (ACTIVE, 1 h connection timeout, so its
#     status does not change during a run).
#
# Usage: setup.sh [URL]      (URL default http://127.0.0.1:4580)
# Prints shell assignments on stdout (APP_ID, GROUP_ID, SESSION_ID, GROUP_ARN, SESSION_ARN):
#   eval "$(mock-server/load/setup.sh http://127.0.0.1:4580)"
# Environment: CAPACITY (default 5000000), STREAM_CLASS (default gen5n_ultra, tenancy 1, so
# that CAPACITY needs no rounding and AllocatedCapacity counts sessions).
set -euo pipefail

URL=${1:-http://127.0.0.1:4580}
CAPACITY=${CAPACITY:-5000000}
STREAM_CLASS=${STREAM_CLASS:-gen5n_ultra}
# The mock needs a well-formed SigV4 header but does not verify the signature; this key acts
# for the default account 123456789012.
AUTH='Authorization: AWS4-HMAC-SHA256 Credential=AKIDLOADTEST/20260101/us-west-2/gameliftstreams/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000'

die() { echo "setup.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 is required"; }
need curl
need jq

# call METHOD PATH [BODY] EXPECTED_STATUS: prints the body, fails on another status.
call() {
    local method=$1 path=$2 body=$3 expect=$4 out status
    out=$(curl -sS -w '\n%{http_code}' -X "$method" -H "$AUTH" -H 'Content-Type: application/json' \
        ${body:+--data-binary "$body"} "$URL$path") || die "$method $path: curl failed"
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    [[ $status == "$expect" ]] || die "$method $path: HTTP $status (expected $expect): $out"
    printf '%s' "$out"
}

curl -sSf "$URL/_mock/health" >/dev/null || die "no mock server at $URL"
call PUT /_mock/config "{\"Quotas\":{\"CapacityPerLocation\":$CAPACITY}}" 200 >/dev/null

app=$(call POST /applications '{
  "Description": "load test",
  "RuntimeEnvironment": {"Type": "PROTON", "Version": "20241007"},
  "ExecutablePath": "bin/game.exe",
  "ApplicationSourceUri": "s3://load-test/game"
}' 201)
APP_ID=$(jq -r .Id <<<"$app")
status=$(call GET "/applications/$APP_ID" "" 200 | jq -r .Status)
[[ $status == READY ]] || die "application $APP_ID is $status, not READY (are the delays 0?)"

group=$(call POST /streamgroups "{
  \"Description\": \"load test\",
  \"StreamClass\": \"$STREAM_CLASS\",
  \"DefaultApplicationIdentifier\": \"$APP_ID\",
  \"LocationConfigurations\": [{\"LocationName\": \"us-west-2\", \"MaximumCapacity\": $CAPACITY}]
}" 201)
GROUP_ID=$(jq -r .Id <<<"$group")
GROUP_ARN=$(jq -r .Arn <<<"$group")
status=$(call GET "/streamgroups/$GROUP_ID" "" 200 | jq -r .Status)
[[ $status == ACTIVE ]] || die "stream group $GROUP_ID is $status, not ACTIVE (are the delays 0?)"

session=$(call POST "/streamgroups/$GROUP_ID/streamsessions" "{
  \"Protocol\": \"WebRTC\",
  \"ApplicationIdentifier\": \"$APP_ID\",
  \"SignalRequest\": \"{\\\"type\\\":\\\"offer\\\",\\\"sdp\\\":\\\"v=0 setup\\\"}\",
  \"ConnectionTimeoutSeconds\": 3600
}" 201)
SESSION_ARN=$(jq -r .Arn <<<"$session")
SESSION_ID=${SESSION_ARN##*/}
status=$(call GET "/streamgroups/$GROUP_ID/streamsessions/$SESSION_ID" "" 200 | jq -r .Status)
[[ $status == ACTIVE ]] || die "stream session $SESSION_ID is $status, not ACTIVE"

echo "setup.sh: application $APP_ID READY, stream group $GROUP_ID ACTIVE (MaximumCapacity $CAPACITY), session $SESSION_ID ACTIVE" >&2
printf 'APP_ID=%q\nGROUP_ID=%q\nGROUP_ARN=%q\nSESSION_ID=%q\nSESSION_ARN=%q\n' \
    "$APP_ID" "$GROUP_ID" "$GROUP_ARN" "$SESSION_ID" "$SESSION_ARN"

#!/bin/sh
# docs/examples/curl_session.sh: the HTTP API by hand, as docs/http-api.md
# explains it. Needs a running letts-devserver (or dugdale) whose lane
# `default` runs the example mission `hello` (examples/c/missions), and:
#   LETTS_URL          e.g. http://127.0.0.1:40123
#   LETTS_TOKEN        a dispatch token
#   LETTS_ADMIN_TOKEN  an admin token
#   LETTS_MISSION_DIR  the folder of the example missions, as the server sees it
# The test docs-example-curl-session runs it against a fresh devserver.
set -eu
: "${LETTS_URL:?}" "${LETTS_TOKEN:?}" "${LETTS_ADMIN_TOKEN:?}" "${LETTS_MISSION_DIR:?}"

# A UUIDv7 for the Idempotency-Key header: 48 bits of milliseconds, version 7,
# random bits, variant 10. Resending a dispatch with the same key and body
# returns the same mission instead of starting a second one.
uuid7() {
    ms=$(printf '%012x' "$(($(date +%s) * 1000))")
    r=$(od -An -N10 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s-%s-7%s-8%s-%s\n' "$(echo "$ms" | cut -c1-8)" "$(echo "$ms" | cut -c9-12)" \
        "$(echo "$r" | cut -c1-3)" "$(echo "$r" | cut -c4-6)" "$(echo "$r" | cut -c7-18)"
}

echo "== health (no token)"
curl -sS "$LETTS_URL/v1/healthz"; echo

echo "== apply: the desired state of missions, lanes and runtime (admin token)"
curl -sS -X POST "$LETTS_URL/v1/admin/apply" \
    -H "Authorization: Bearer $LETTS_ADMIN_TOKEN" \
    -H "Content-Type: application/json" \
    -d '{"mission_dir":"'"$LETTS_MISSION_DIR"'",
         "lanes":{"default":{"concurrency":2},"slow":{"concurrency":1}},
         "runtime":{"mission_path_template":"{mission}","validate_mission_file":true}}'
echo

echo "== lanes (dispatch token)"
curl -sS -H "Authorization: Bearer $LETTS_TOKEN" "$LETTS_URL/v1/lanes"; echo

echo "== dispatch"
reply=$(curl -sS -X POST "$LETTS_URL/v1/dispatch" \
    -H "Authorization: Bearer $LETTS_TOKEN" \
    -H "Idempotency-Key: $(uuid7)" \
    -H "Content-Type: application/json" \
    -d '{"mission":"hello","lane":"default","input":{"name":"ada"}}')
echo "$reply"
id=$(echo "$reply" | sed -n 's/.*"mission_id":"\([^"]*\)".*/\1/p')

echo "== events, followed until the mission ends (NDJSON)"
curl -sS -N -H "Authorization: Bearer $LETTS_TOKEN" "$LETTS_URL/v1/missions/$id/events?follow=true"

echo "== the mission"
curl -sS -H "Authorization: Bearer $LETTS_TOKEN" "$LETTS_URL/v1/missions/$id"; echo

echo "== listing needs the admin token"
curl -sS -H "Authorization: Bearer $LETTS_ADMIN_TOKEN" "$LETTS_URL/v1/missions?limit=5"; echo

echo "== without a token: 401"
curl -sS -o /dev/null -w '%{http_code}\n' "$LETTS_URL/v1/missions/$id"

echo "== with the dispatch token where admin is needed: 403"
curl -sS -w '\n%{http_code}\n' -H "Authorization: Bearer $LETTS_TOKEN" "$LETTS_URL/v1/missions"

#!/usr/bin/env bash
# The OpenAPI document the server assembles passes the linter: Redocly CLI from npm, with the
# rules of api/redocly.yaml (the strict set: every warning is an error).
set -euo pipefail
bin="$1"
src="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" openapi --out "$dir/openapi.json"
cd "$src"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  node node_modules/@redocly/cli/bin/cli.js lint "$dir/openapi.json" --config api/redocly.yaml

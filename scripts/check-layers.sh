#!/usr/bin/env bash
# Checks that each folder of src/ includes only folders below it (docs/architecture.md).
set -euo pipefail
cd "$(dirname "$0")/../src"
declare -A allowed=(
  [core]="core"
  [storage]="core storage"
  [http]="core http"
  [notify]="core notify"
  [jobs]="core storage jobs"
  [web]="core http web"
  [audit]="core storage audit"
  [identity]="core storage jobs http notify web audit identity"
  [events]="core storage jobs http notify web audit identity events"
  [access]="core storage jobs http notify web audit identity events access"
  [directory]="core storage jobs http notify web audit identity events access directory"
  [console]="core storage jobs http notify web audit identity events access directory console"
  [app]="core storage jobs http notify web audit identity events access directory console app"
)
status=0
for dir in "${!allowed[@]}"; do
  [ -d "$dir" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^/"]+)\/.*/\1/' <<<"$line")
    if [[ " ${allowed[$dir]} " != *" $inc "* ]]; then
      echo "layer violation: $file includes $inc/ (allowed: ${allowed[$dir]})"
      status=1
    fi
  done < <(grep -rn '#include "[a-z_]*/' "$dir" || true)
done
[ $status -eq 0 ] && echo "layers ok"
exit $status

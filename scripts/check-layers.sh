#!/usr/bin/env bash
# Checks that each folder of src/ includes only folders below it (docs/architecture.md).
set -euo pipefail
cd "$(dirname "$0")/../src"
declare -A allowed=(
  [core]="core"
  [storage]="core storage"
  [files]="core storage files"
  [http]="core http"
  [pdf]="core pdf"
  [notify]="core notify"
  [jobs]="core storage jobs"
  [web]="core http web"
  [audit]="core storage audit"
  [identity]="core storage jobs http notify web audit identity"
  [events]="core storage jobs http notify web audit identity events"
  [integration]="core storage jobs http notify web audit identity events integration"
  [access]="core storage jobs http notify web audit identity events integration access"
  [directory]="core storage jobs http notify web audit identity events integration access directory"
  [modules]="core storage files pdf jobs http notify web audit identity events integration access directory"
  [console]="core storage files pdf jobs http notify web audit identity events integration access directory console"
  [app]="core storage files pdf jobs http notify web audit identity events integration access directory modules console app"
)
status=0
for dir in "${!allowed[@]}"; do
  [ -d "$dir" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^/"]+)\/.*/\1/' <<<"$line")
    if [[ " ${allowed[$dir]} " != *" $inc "* ]]; then
      # A business module includes the layers below it and itself, never another module.
      if [ "$dir" = modules ] && [ "$inc" = modules ]; then
        own=$(cut -d/ -f2 <<<"$file")
        target=$(sed -E 's/.*#include "modules\/([^/"]+)\/.*/\1/' <<<"$line")
        [ "$own" = "$target" ] && continue
        echo "layer violation: $file includes modules/$target/ (a module never includes another)"
      else
        echo "layer violation: $file includes $inc/ (allowed: ${allowed[$dir]})"
      fi
      status=1
    fi
  done < <(grep -rn '#include "[a-z_]*/' "$dir" || true)
done
[ $status -eq 0 ] && echo "layers ok"
exit $status

#!/usr/bin/env bash
# Files what `npm run pins:verify` found (pins.txt, its exit code in CODE) as one open issue labelled
# `pins`: a comment on it when one is open, a new issue otherwise. Fails the job either way.
set -euo pipefail
: "${CODE:?}" "${GITHUB_RUN_ID:?}" "${GITHUB_SERVER_URL:?}" "${GITHUB_REPOSITORY:?}"

case "$CODE" in
  1) what="a pin is no longer published upstream" ;;
  3) what="an upstream source could not be reached, so nothing was proven" ;;
  *) what="pins:verify exited $CODE" ;;
esac
fence='```'
body=$(printf '%s (run %s/%s/actions/runs/%s).\n\n%s\n%s\n%s\n' "$what" "$GITHUB_SERVER_URL" "$GITHUB_REPOSITORY" "$GITHUB_RUN_ID" "$fence" "$(cat pins.txt)" "$fence")
gh label create pins --description "pinned versions that need attention" --color B60205 2> /dev/null || true
open=$(gh issue list --label pins --state open --json number --jq '.[0].number // empty')
if [ -n "$open" ]; then
  gh issue comment "$open" --body "$body"
else
  gh issue create --label pins --title "Pins need attention: $what" --body "$body"
fi
exit 1

#!/usr/bin/env bash
# Releases $TAG to an Argo CD stack the GitOps way: a pull request that sets the stack's image tag and
# re-renders deploy/$STACK/ from the catalog. Merging it is the release; reverting it is the rollback.
# Inputs (env): STACK, TAG, PULUMI_STACK, GH_TOKEN (contents and pull-requests write).
set -euo pipefail
: "${STACK:?}" "${TAG:?}" "${PULUMI_STACK:?}" "${GH_TOKEN:?}"

pulumi config set --path gamemetrics:apps.imageTag "$TAG" --stack "$PULUMI_STACK"
npm run --silent render -- --stack "$STACK"
if git diff --quiet -- "Pulumi.$STACK.yaml" "deploy/$STACK" && [ -z "$(git ls-files --others --exclude-standard "deploy/$STACK")" ]; then
  echo "$STACK already runs $TAG"
  exit 0
fi
branch="release/$STACK/$TAG"
git switch --create "$branch"
git add "Pulumi.$STACK.yaml" "deploy/$STACK"
git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" commit --message "release: $STACK to $TAG"
# The token is given to this one push only; checkout did not store it where npm's scripts could read it.
git -c http.extraheader="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)" push origin "$branch"
gh pr create --head "$branch" --title "release: $STACK to $TAG" \
  --body "Sets \`gamemetrics:apps.imageTag\` of $STACK to \`$TAG\` (images promoted and signature-checked by run $GITHUB_RUN_ID) and re-renders \`deploy/$STACK/\`. Argo CD rolls it out once merged; ingestion goes through its canary."

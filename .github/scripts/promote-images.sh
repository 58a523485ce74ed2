#!/usr/bin/env bash
# Promotes the images built for this commit into $STACK's ECR registry: each app's image is checked to
# be signed by this repository's images workflow, copied by digest (so what runs here is byte for byte
# what ran before), and signed again in this registry. An app already built into this registry is left.
# Inputs (env): STACK, TAG, IMAGES ({"<app>": "<repo>@sha256:..."}), MATRIX (npm run delivery -- matrix),
# REGISTRY (this stack's), GITHUB_REPOSITORY. Docker is logged in to both registries.
set -euo pipefail
: "${STACK:?}" "${TAG:?}" "${IMAGES:?}" "${MATRIX:?}" "${REGISTRY:?}" "${GITHUB_REPOSITORY:?}"

signer="^https://github\.com/${GITHUB_REPOSITORY}/\.github/workflows/images\.yml@refs/(heads|tags)/"
for app in $(jq -r '.include[].app' <<< "$MATRIX"); do
  src=$(jq -er --arg app "$app" '.[$app]' <<< "$IMAGES") || { echo "no image was built for $app" >&2; exit 1; }
  digest="${src#*@}"
  dest="$REGISTRY/$(jq -r --arg app "$app" '.include[] | select(.app == $app) | .repository' <<< "$MATRIX")"
  if [ "${src%@*}" = "$dest" ]; then
    echo "$app: built in $STACK's registry"
    continue
  fi
  cosign verify --certificate-oidc-issuer https://token.actions.githubusercontent.com --certificate-identity-regexp "$signer" "$src" > /dev/null
  docker buildx imagetools create --prefer-index=false --tag "$dest:$TAG" "$src"
  copied=$(docker buildx imagetools inspect "$dest:$TAG" --format '{{json .Manifest}}' | jq -r .digest)
  if [ "$copied" != "$digest" ]; then
    echo "$app: $dest:$TAG has digest $copied, not the built $digest" >&2
    exit 1
  fi
  cosign sign --yes "$dest@$digest"
  echo "$app: $dest:$TAG = $digest"
done

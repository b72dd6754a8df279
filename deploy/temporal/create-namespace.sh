#!/bin/sh
# One-off job (temporalio/admin-tools): once the Temporal server answers, makes sure our
# namespace exists and carries the custom search attributes the workflows set, so the API can
# start workflows before any worker has run (the worker also adds missing ones at start).
set -eu

: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}"
RETENTION="${NAMESPACE_RETENTION:-168h}"
SEARCH_ATTRIBUTES="WaPhoneNumber WaMessageStatus"

# Runs "$@" until it succeeds, 30 tries 2 s apart: the server and a new namespace take a moment.
retry() {
  attempt=0
  until "$@"; do
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 30 ]; then
      echo "gave up after $attempt attempts: $*" >&2
      return 1
    fi
    sleep 2
  done
}

retry temporal operator cluster health --address "$TEMPORAL_ADDRESS"

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "Namespace $NAMESPACE exists"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
fi

for name in $SEARCH_ATTRIBUTES; do
  if temporal operator search-attribute list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" | grep -qw "$name"; then
    echo "Search attribute $name exists"
  else
    retry temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type Keyword --address "$TEMPORAL_ADDRESS"
  fi
done
echo "Namespace $NAMESPACE is ready"

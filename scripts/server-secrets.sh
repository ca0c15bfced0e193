#!/usr/bin/env bash
# Prints, as shell exports, the secrets a server refuses to start without outside Development.
# They are generated once per machine into .data/server-secrets.env (readable by this user only),
# so every server started on this machine shares them and none is ever published.
#
#   eval "$(scripts/server-secrets.sh)"
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secrets="$root/.data/server-secrets.env"
mkdir -p "$root/.data"
(umask 077 && touch "$secrets")
for key in Payments__WebhookSecret Sessions__SigningKey Accounts__LinkKey Cart__VisitorTokenKey TextMessages__WebhookSecret; do
  if ! grep -q "^export $key=" "$secrets"; then
    echo "export $key=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" >>"$secrets"
  fi
done
cat "$secrets"

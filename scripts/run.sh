#!/usr/bin/env bash
# Starts the product on this machine: PostgreSQL and Redis (installed and started when absent),
# migrations, demo data, and one server (Orleans silo + API). Prints the URL and the demo logins.
#
#   scripts/run.sh               # server 1: http://127.0.0.1:5080
#   scripts/run.sh --instance 2  # a second server in the same cluster: http://127.0.0.1:5081
#
# Ctrl+C stops the server; scripts/services.sh stop stops PostgreSQL, Redis and the dev-mail server.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
instance=1
if [ "${1:-}" = "--instance" ]; then instance="${2:?instance number}"; fi
offset=$((instance - 1))
http_port=$((${MC_HTTP_PORT:-5080} + offset))

"$root/scripts/services.sh" start
"$root/scripts/services.sh" start-mail
eval "$("$root/scripts/services.sh" env)"

echo "[run] building the server (Release)..."
dotnet build src/MestresCafe.Server -c Release -nologo -clp:ErrorsOnly -v quiet

# Secrets the server refuses to start without: generated once per machine, kept in .data/.
eval "$("$root/scripts/server-secrets.sh")"

export Urls="http://127.0.0.1:$http_port"
export Orleans__SiloPort=$((11111 + offset)) Orleans__GatewayPort=$((30000 + offset))
export Demo__Seed=true Demo__CredentialsFile="$root/.data/demo-credentials.txt"
# The simulated gateway confirms demo payments by itself, through this server's own webhook.
export Payments__AutoConfirm=true Payments__WebhookUrl="$Urls/api/payments/webhooks/simulated"
# Mail goes to the dev-mail SMTP server on loopback (plain SMTP, allowed to loopback only).
export Mail__Smtp__Host=127.0.0.1 Mail__Smtp__Port="$MC_MAIL_PORT" Mail__Smtp__Security=None Mail__PublicBaseUrl="$Urls"
# Texts (SMS/WhatsApp) go to the simulated provider, which records them in simulated_text_messages.
export TextMessages__Enabled=true
# Uploaded images (POST /api/admin/media) are kept here, by content hash.
export Media__RootPath="$root/.data/media"
export Logging__Console__FormatterName=simple
log="$root/.data/server-$instance.log"

# Started from its build folder so that its appsettings.json is the content root's.
(cd src/MestresCafe.Server/bin/Release/net10.0 && exec dotnet MestresCafe.Server.dll) > >(tee "$log") 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' INT TERM EXIT

for _ in $(seq 1 120); do
  if curl -fsS "$Urls/health/live" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "[run] the server exited; see $log" >&2; exit 1; fi
  sleep 0.5
done

cat <<INFO

  Mestres Café is running at $Urls
    Dashboard:      $Urls/admin/  (sign in as gerente@mestres.cafe or admin@mestres.cafe)
    API reference:  $Urls/docs
    OpenAPI:        $Urls/openapi/v1.json
    Health:         $Urls/health/ready
    Mail sent:      .data/mail/new (dev-mail SMTP server on 127.0.0.1:$MC_MAIL_PORT)

  Demo logins (generated for this machine, kept in .data/demo-credentials.txt):
$(sed 's/^/    /' "$root/.data/demo-credentials.txt")

  Ctrl+C stops this server. Another server in the same cluster: scripts/run.sh --instance 2

INFO
wait $server

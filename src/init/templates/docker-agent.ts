/**
 * A starting point for a Docker agent startup script, written for kasm-scale from the
 * token list in Kasm's documentation (Kasm 1.15's API, summarised in docs/kasm-api.md), not copied from Kasm's scripts.
 *
 * Kasm fills `{token}` placeholders with Python's str.format before the instance boots, so
 * every literal brace the shell needs is doubled here (`${{VAR}}` → `${VAR}`). Tokens used:
 * {server_id}, {provider_name}, {manager_token}, {upstream_auth_address}.
 *
 * The operator sets KASM_RELEASE_URL (Kasm's release tarball for the version the
 * deployment runs); the script stops with a clear message if it is left as is.
 */
export const DOCKER_AGENT_STARTUP_SCRIPT = `#!/bin/bash
# Kasm Workspaces Docker agent: install and register with the Kasm manager.
# Written by \`kasm-scale init\` as a starting point; review before production use.
# Kasm fills the {{token}} placeholders; a literal brace is written doubled.
set -euo pipefail
exec > >(tee -a /var/log/kasm-agent-startup.log) 2>&1

# The Kasm release to install: the same version as your Kasm manager.
KASM_RELEASE_URL="https://example.invalid/kasm_release_REPLACE_ME.tar.gz"
SWAP_SIZE_GB=2

if [[ "$KASM_RELEASE_URL" == *REPLACE_ME* ]]; then
  echo "startup script: set KASM_RELEASE_URL to your Kasm release tarball" >&2
  exit 1
fi

# Wait for the network (cloud-init may start this before the default route is up).
for _ in $(seq 1 60); do
  curl -fsS --max-time 5 -o /dev/null "https://{upstream_auth_address}" && break || sleep 5
done

# A little swap keeps the agent alive under memory pressure from sessions.
if [ ! -f /var/swap.1 ]; then
  fallocate -l "\${{SWAP_SIZE_GB}}G" /var/swap.1
  chmod 600 /var/swap.1
  mkswap /var/swap.1
  swapon /var/swap.1
  echo '/var/swap.1 swap swap defaults 0 0' >> /etc/fstab
fi

# The address Kasm reaches this agent on: the first private address.
AGENT_IP="$(hostname -I | awk '{{print $1}}')"

cd /tmp
curl -fsSL -o kasm_release.tar.gz "$KASM_RELEASE_URL"
tar -xf kasm_release.tar.gz

# -S agent: install a Docker agent; -i/-r/-M tell the manager which autoscaled
# server this is, so the agent registers under the server_id Kasm created for it.
bash kasm_release/install.sh -e -S agent \\
  -p "$AGENT_IP" \\
  -m "{upstream_auth_address}" \\
  -i "{server_id}" \\
  -r "{provider_name}" \\
  -M "{manager_token}"

echo "kasm agent {server_id} installed for provider {provider_name}"
`;

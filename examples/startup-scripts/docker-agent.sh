#!/bin/bash
# Kasm Workspaces Docker agent bootstrap for Ubuntu 22.04/24.04 (after
# kasmtech/workspaces-autoscale-startup-scripts, docker_agents/). Kasm fills the tokens
# server_id, provider_name, manager_token and upstream_auth_address (each written in single
# braces below) with Python's str.format before the instance starts, so every other brace
# in this file, comments included, is written doubled: "${{VAR}}" reaches the instance with
# single braces. `kasm-scale config validate` rejects any unknown token: it would break
# every launch.
set -euxo pipefail

KASM_BUILD_URL="https://kasm-static-content.s3.amazonaws.com/kasm_release_1.16.1.tar.gz"
MANAGER_ADDRESS="{upstream_auth_address}"
SERVER_ID="{server_id}"
PROVIDER_NAME="{provider_name}"
MANAGER_TOKEN="{manager_token}"
SWAP_SIZE_GB=4

# Swap keeps a busy agent alive when sessions briefly overcommit memory.
if [ ! -f /var/swap.1 ]; then
  fallocate -l "${{SWAP_SIZE_GB}}G" /var/swap.1
  chmod 600 /var/swap.1
  mkswap /var/swap.1
  swapon /var/swap.1
  echo '/var/swap.1 swap swap defaults 0 0' >> /etc/fstab
fi

# The address the manager reaches this agent on (first private address).
PRIVATE_IP=$(hostname -I | awk '{{print $1}}')

cd /tmp
curl -fsSL "${{KASM_BUILD_URL}}" -o kasm_release.tar.gz
tar -xf kasm_release.tar.gz
bash kasm_release/install.sh -e -S agent \
  -p "${{PRIVATE_IP}}" \
  -m "${{MANAGER_ADDRESS}}" \
  -i "${{SERVER_ID}}" \
  -r "${{PROVIDER_NAME}}" \
  -M "${{MANAGER_TOKEN}}"

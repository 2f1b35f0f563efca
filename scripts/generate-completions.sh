#!/usr/bin/env bash
# Regenerates completions/ from the built binary. Run after changing any command or option;
# the test suite fails while the checked-in scripts are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
crm="${CRM_BINARY:-$(swift build --show-bin-path)/crm}"
"$crm" --generate-completion-script bash > completions/crm.bash
"$crm" --generate-completion-script zsh > completions/_crm
"$crm" --generate-completion-script fish > completions/crm.fish
echo "completions/ regenerated from $crm"

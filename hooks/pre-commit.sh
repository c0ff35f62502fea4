#!/bin/sh
# djguard pre-commit hook (v1). Installed by 'djguard hook install';
# 'djguard hook uninstall' removes it and restores any hook it chained.
# It refuses a commit that would add a Django secret key.
hook_dir=$(dirname "$0")
chained="$hook_dir/pre-commit.djguard-chained"
if [ -x "$chained" ]; then
	"$chained" "$@" || exit $?
fi
djguard=@DJGUARD@
if [ -z "$djguard" ] || [ ! -x "$djguard" ]; then
	djguard=$(command -v djguard 2>/dev/null) || djguard=
fi
if [ -z "$djguard" ]; then
	echo "djguard pre-commit hook: djguard is neither at @DJGUARD_SHOWN@ nor on PATH." >&2
	echo "Install it (go install github.com/djguard/djguard/cmd/djguard@latest) or remove the hook (djguard hook uninstall)." >&2
	exit 1
fi
exec "$djguard" scan --staged

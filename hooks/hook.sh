#!/bin/sh
# djguard @HOOK@ hook (v2). Installed by 'djguard hook install@FLAG@';
# 'djguard hook uninstall@FLAG@' removes it and restores any hook it chained.
# It refuses @WHAT@ that would add a Django secret key.
hook_dir=$(dirname "$0")
chained="$hook_dir/@HOOK@.djguard-chained"

# git's lines on standard input (a pre-push hook's: the refs pushed) go to
# the chained hook and to djguard alike.
djguard_stdin=@STDIN@
if [ "$djguard_stdin" = 1 ]; then
	input=$(cat; echo .) || exit 1
	input=${input%.}
fi
feed() {
	if [ "$djguard_stdin" = 1 ]; then
		printf '%s' "$input" | "$@"
	else
		"$@"
	fi
}

# chained_shell sets shell, and shell_opt, when the chained hook is a shell
# script: its #! line names sh, ash, dash, bash, ksh, mksh or zsh, directly
# or through env, with at most one option such as -e.
chained_shell() {
	shell= shell_opt= line=
	IFS= read -r line < "$chained" || [ -n "$line" ] || return 0
	case $line in '#!'*) ;; *) return 0 ;; esac
	set -f
	set -- ${line#??}
	set +f
	if [ "${1##*/}" = env ]; then shift; fi
	case ${1##*/} in sh|ash|dash|bash|ksh|mksh|zsh) ;; *) return 0 ;; esac
	case $#:${2-} in
	1:) ;;
	2:-*[!a-zA-Z]*|2:-) return 0 ;;
	2:-*) shell_opt=$2 ;;
	*) return 0 ;;
	esac
	shell=$1
}

if [ -x "$chained" ]; then
	chained_shell
	if [ -n "$shell" ]; then
		# Run it as git would have, with $0 naming this hook's path: hook
		# managers such as Husky pick the user's script from the file name
		# in $0, which the renamed copy does not have.
		feed "$shell" $shell_opt -c 'djguard_chained=$1; shift; . "$djguard_chained"' "$0" "$chained" "$@" || exit $?
	else
		feed "$chained" "$@" || exit $?
	fi
fi
djguard=@DJGUARD@
if [ -z "$djguard" ] || [ ! -x "$djguard" ]; then
	djguard=$(command -v djguard 2>/dev/null) || djguard=
fi
if [ -z "$djguard" ]; then
	recorded=@DJGUARD_SHOWN@
	printf 'djguard @HOOK@ hook: djguard is neither at %s nor on PATH.\n' "$recorded" >&2
	echo "Install it (go install github.com/djguard/djguard/cmd/djguard@latest) or remove the hook (djguard hook uninstall@FLAG@)." >&2
	exit 1
fi
@RUN@

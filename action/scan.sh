#!/usr/bin/env bash
# The djguard action's scan step. It chooses what to audit from the event
# that started the job, runs djguard with SARIF to a file, and sets the
# sarif-file output only when djguard wrote that file.
#
# Read from the environment (action.yml sets each from an input or from
# the github context): DJGUARD_BIN, DJGUARD_PATH, DJGUARD_HISTORY (auto,
# true, false), DJGUARD_SARIF, DJGUARD_FAIL_ON, DJGUARD_CONFIG,
# DJGUARD_BASELINE, EVENT (github.event_name), BASE_REF (github.base_ref),
# BEFORE (github.event.before), DEFAULT_BRANCH
# (github.event.repository.default_branch), REF_NAME (github.ref_name),
# GITHUB_OUTPUT.
#
# history auto audits what the event brings: on a pull request the commits
# it adds to its base; on a push the commits pushed (BEFORE..HEAD), so a key
# added in one commit and removed in the next fails the job; on a new
# branch the commits not on the default branch; where BEFORE is not in the
# clone (a forced push, or a shallow checkout) it says so and audits the
# whole history. Other events scan the working tree.
set -uo pipefail

if [ "${EVENT:-}" = pull_request_target ]; then
  echo "djguard action: refusing pull_request_target: it runs with this repository's token and secrets, and auditing a pull request means checking out its code there, where that code can take them. Run djguard on pull_request." >&2
  exit 2
fi

# has_commit REV: whether the clone holds REV as a commit.
has_commit() { git rev-parse --verify --quiet "$1^{commit}" >/dev/null 2>&1; }

# push_range: the --history arguments that audit what a push brought.
push_range() {
  # A new branch's BEFORE is all zeros.
  local before=${BEFORE:-}
  if [ -n "${before//0/}" ]; then
    if has_commit "$before"; then
      echo "--history --since $before"
      return
    fi
    echo "::warning title=djguard::The commit before this push (${before:0:12}) is not in the clone (a forced push, or a shallow checkout: set fetch-depth: 0), so djguard audits the whole history." >&2
    echo "--history"
    return
  fi
  if [ -n "${DEFAULT_BRANCH:-}" ] && [ "${REF_NAME:-}" != "$DEFAULT_BRANCH" ] && has_commit "origin/$DEFAULT_BRANCH"; then
    echo "--history --since origin/$DEFAULT_BRANCH"
    return
  fi
  echo "--history"
}

args=(scan --format sarif --output "$DJGUARD_SARIF")
case "${DJGUARD_HISTORY:-auto}" in
true) args+=(--history) ;;
auto)
  case "${EVENT:-}" in
  pull_request) args+=(--history --since "origin/$BASE_REF") ;;
  push)
    # shellcheck disable=SC2207 # push_range prints words without spaces in them
    args+=($(push_range))
    ;;
  esac
  ;;
false) ;;
*)
  echo "djguard action: history must be auto, true or false" >&2
  exit 2
  ;;
esac
[ -n "${DJGUARD_FAIL_ON:-}" ] && args+=(--fail-on "$DJGUARD_FAIL_ON")
[ -n "${DJGUARD_CONFIG:-}" ] && args+=(--config "$DJGUARD_CONFIG")
[ -n "${DJGUARD_BASELINE:-}" ] && args+=(--baseline "$DJGUARD_BASELINE")

rm -f -- "$DJGUARD_SARIF"
"$DJGUARD_BIN" "${args[@]}" -- "${DJGUARD_PATH:-.}"
code=$?
# Set the output only for a report djguard wrote: on an error (exit 2)
# there is none, and an upload step given a missing file fails a second
# time over the first.
if [ -f "$DJGUARD_SARIF" ]; then
  echo "sarif-file=$DJGUARD_SARIF" >>"$GITHUB_OUTPUT"
fi
exit $code

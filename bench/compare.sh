#!/usr/bin/env bash
# Salon side by side with Prosody (Debian's 0.12) and ejabberd (Debian's 23.01) on this machine, in
# the same run: every scenario of bench/run.ts, the servers interleaved, REPS repetitions (default
# 3), a fresh server process per scenario, the server pinned to core 0 and the load generator to
# core 1. Prints the medians and Salon's ratio to each other server per scenario
# (bench/compare-table.ts) and keeps every JSON result line in $WORK/results.jsonl.
#
#   bash bench/compare.sh                      # everything, about 45 minutes
#   REPS=1 SCENARIOS=login,msg bash bench/compare.sh
#   TARGETS=salon,prosody bash bench/compare.sh   # leave a server out
#   WORK=/tmp/cmp bash bench/compare.sh        # reuse prepared accounts from an earlier run
#   WORK=/tmp/cmp APPEND=1 REPS=1 SCENARIOS=churn bash bench/compare.sh   # re-run a noisy scenario
#
# Results taken while other processes used more than MAX_OTHER cores (default 0.5) are left out
# of the table (the machine may be shared); the table says which, so they can be re-run (APPEND=1
# adds to the results instead of starting them afresh).
# Prosody and ejabberd are installed from Debian's packages when missing; their system services are
# never started: each runs in the foreground as a child of the load generator, with a config
# generated into $WORK (loopback only, a free high port). Without TARGETS, ejabberd is left out
# (with a warning) when it cannot be installed or its accounts cannot be loaded; named in TARGETS,
# that is an error.
set -euo pipefail
cd "$(dirname "$0")/.."

REPS="${REPS:-3}"
# Archives and stream management: Prosody with mod_mam, mod_smacks and mod_carbons, ejabberd with
# mod_mam, mod_stream_mgmt and mod_carbons (ejabberd has no prefilled archive: mam-page skips it).
ARCHIVE_SCENARIOS="msg-mam,mam-page,archive-bytes,sm-resume,sm-hibernated-memory"
SCENARIOS="${SCENARIOS:-login,login-tls,roster-100,msg,msg-latency,muc-10,muc-50,muc-200,muc-50-5senders,idle-1k,idle-5k,idle-1k-tls,idle-5k-tls,churn,$ARCHIVE_SCENARIOS}"
WORK="${WORK:-$(mktemp -d /tmp/salon-compare.XXXXXX)}"
MAX_OTHER="${MAX_OTHER:-0.5}"
TARGETS_GIVEN="${TARGETS:+1}"
TARGETS="${TARGETS:-salon,prosody,ejabberd}"
JITI=(node node_modules/jiti/lib/jiti-cli.mjs)

# install_from_debian PACKAGE COMMAND: apt-get install PACKAGE unless COMMAND is on the PATH.
install_from_debian() {
  command -v "$2" >/dev/null 2>&1 && return 0
  echo "installing $1 from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's system service from starting (invoke-rc.d honours policy-rc.d exit 101).
  local policy=/usr/sbin/policy-rc.d created=0 status=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
  fi
  apt-get update -qq || true
  apt-get install -y -qq "$1" || status=$?
  [ "$created" = 1 ] && rm -f "$policy"
  return "$status"
}

has_target() { [[ ",$TARGETS," == *",$1,"* ]]; }

# drop_target NAME WHY: leaves a server out when TARGETS was the default, fails when it was asked for.
drop_target() {
  if [ -n "$TARGETS_GIVEN" ]; then echo "$1: $2" >&2; exit 1; fi
  echo "warning: $1 left out of this run: $2" >&2
  TARGETS="$(tr ',' '\n' <<< "$TARGETS" | grep -vx "$1" | paste -sd, -)"
}

machine_facts() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r)"
  local servers="salon $(node -p "require('./package.json').version")"
  has_target prosody && servers+=", $(dpkg-query -W -f='prosody ${Version}' prosody)"
  has_target ejabberd && servers+=", $(dpkg-query -W -f='ejabberd ${Version}' ejabberd) on Erlang/OTP $(erl -noshell -eval 'io:put_chars(erlang:system_info(otp_release)), halt().')"
  echo "node $(node --version), $servers"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# prepare TARGET MARKER: makes TARGET's accounts in $WORK/TARGET unless MARKER shows they exist.
prepare() {
  [ -e "$2" ] && return 0
  "${JITI[@]}" bench/prepare.ts --target "$1" --dir "$WORK/$1" | tee -a "$WORK/prepare.jsonl"
}

has_target prosody && install_from_debian prosody prosody
if has_target ejabberd && ! install_from_debian ejabberd ejabberdctl; then drop_target ejabberd "apt-get install ejabberd failed"; fi
npm run build --silent
mkdir -p "$WORK"
has_target salon && prepare salon "$WORK/salon/data"
has_target prosody && prepare prosody "$WORK/prosody/data"
if has_target ejabberd && ! prepare ejabberd "$WORK/ejabberd/prepared.json"; then drop_target ejabberd "its accounts could not be loaded (see above)"; fi

RESULTS="$WORK/results.jsonl"
[ "${APPEND:-0}" = 1 ] || : > "$RESULTS"
status=0
run_one() { # target scenario rep
  local args=(bench/run.ts --target "$1" --scenarios "$2" --rep "$3" --key-cache "$WORK/$1-keys.json")
  case "$1" in
    salon) args+=(--data "$WORK/salon/data") ;;
    *) args+=("--$1-dir" "$WORK/$1") ;;
  esac
  "${JITI[@]}" "${args[@]}" >> "$RESULTS" 2>> "$WORK/stderr.log" || { echo "  $1 $2 (rep $3) failed: see $WORK/stderr.log" >&2; status=1; }
}

IFS=',' read -r -a scenario_list <<< "$SCENARIOS"
IFS=',' read -r -a target_list <<< "$TARGETS"
for rep in $(seq 1 "$REPS"); do
  for scenario in "${scenario_list[@]}"; do
    echo "rep $rep/$REPS: $scenario" >&2
    # Rotate which server goes first, so slow drift of the machine does not favour one.
    for i in "${!target_list[@]}"; do
      run_one "${target_list[$(( (i + rep - 1) % ${#target_list[@]} ))]}" "$scenario" "$rep"
    done
  done
done

echo
echo "## ${TARGETS//,/ vs }, medians of interleaved runs ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
"${JITI[@]}" bench/compare-table.ts --max-other "$MAX_OTHER" "$RESULTS"
echo
machine_facts
echo "Not comparable: Prosody and ejabberd store SCRAM-SHA-1 keys only (every server is logged in with SCRAM-SHA-1); neither"
echo "has a heap figure or a GC from outside (per-session memory is their RSS delta, Salon's after a full GC); both run as root."
if has_target ejabberd; then
  echo "ejabberd keeps accounts and rosters in Mnesia (its default dets tables) and runs +S 1:1 +SDcpu 1:1. It waits 100 ms for"
  echo "late messages before a closing session lets its socket go: where its server CPU stays well below 1.0 (logins, rosters),"
  echo "its figure is bound by that wait, not by its CPU."
fi
if [[ ",$SCENARIOS," == *",msg-mam,"* || ",$SCENARIOS," == *",archive-bytes,"* || ",$SCENARIOS," == *",mam-page,"* ]]; then
  echo "Archive scenarios: Prosody keeps archives in its default internal storage (append-only files, no fsync; emptied before"
  echo "each run, it refuses past 10,000 items per user), except mam-page: SQLite through mod_storage_sql, prefilled with"
  echo "1,000,000 rows by the sqlite3 shell; Salon's archive is its default embedded engine, prefilled through its storage driver."
fi
echo "CPU columns: fraction of one core used by the server / the load generator in the measured window;"
echo "a load generator near 1.0 means the figure is a lower bound for that server."
echo "Every result line: $RESULTS"
exit "$status"

#!/usr/bin/env bash
# Salon side by side with Prosody (Debian's 0.12) on this machine, in the same run: every scenario
# of bench/run.ts, Salon and Prosody interleaved, REPS repetitions (default 3), a fresh server
# process per scenario, the server pinned to core 0 and the load generator to core 1. Prints the
# medians and the Salon/Prosody ratio per scenario (bench/compare-table.ts) and keeps every JSON
# result line in $WORK/results.jsonl.
#
#   bash bench/compare.sh                      # everything, about 30 minutes
#   REPS=1 SCENARIOS=login,msg bash bench/compare.sh
#   WORK=/tmp/cmp bash bench/compare.sh        # reuse prepared accounts from an earlier run
#   WORK=/tmp/cmp APPEND=1 REPS=1 SCENARIOS=churn bash bench/compare.sh   # re-run a noisy scenario
#
# Results taken while other processes used more than MAX_OTHER cores (default 0.5) are left out
# of the table (the machine may be shared); the table says which, so they can be re-run (APPEND=1
# adds to the results instead of starting them afresh).
# Prosody is installed from Debian's packages when missing; its system service is never started:
# it runs in the foreground as a child of the load generator, with a config generated into $WORK
# (loopback only, a free high port). ejabberd is not compared: see docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

REPS="${REPS:-3}"
SCENARIOS="${SCENARIOS:-login,login-tls,roster-100,msg,msg-latency,muc-10,muc-50,muc-200,muc-50-5senders,idle-1k,idle-5k,idle-1k-tls,idle-5k-tls,churn}"
WORK="${WORK:-$(mktemp -d /tmp/salon-compare.XXXXXX)}"
MAX_OTHER="${MAX_OTHER:-0.5}"
JITI=(node node_modules/jiti/lib/jiti-cli.mjs)

install_prosody() {
  command -v prosody >/dev/null 2>&1 && return 0
  echo "installing prosody from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's system service from starting (invoke-rc.d honours policy-rc.d exit 101).
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
  fi
  apt-get update -qq || true
  apt-get install -y -qq prosody
  [ "$created" = 1 ] && rm -f "$policy"
  return 0
}

machine_facts() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r)"
  echo "node $(node --version), $(dpkg-query -W -f='prosody ${Version}' prosody), salon $(node -p "require('./package.json').version")"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

install_prosody
npm run build --silent
mkdir -p "$WORK"
if [ ! -d "$WORK/salon/data" ]; then
  "${JITI[@]}" bench/prepare.ts --target salon --dir "$WORK/salon" | tee -a "$WORK/prepare.jsonl"
fi
if [ ! -d "$WORK/prosody/data" ]; then
  "${JITI[@]}" bench/prepare.ts --target prosody --dir "$WORK/prosody" | tee -a "$WORK/prepare.jsonl"
fi

RESULTS="$WORK/results.jsonl"
[ "${APPEND:-0}" = 1 ] || : > "$RESULTS"
status=0
run_one() { # target scenario rep
  local args=(bench/run.ts --target "$1" --scenarios "$2" --rep "$3" --key-cache "$WORK/$1-keys.json")
  if [ "$1" = salon ]; then args+=(--data "$WORK/salon/data"); else args+=(--prosody-dir "$WORK/prosody"); fi
  "${JITI[@]}" "${args[@]}" >> "$RESULTS" 2>> "$WORK/stderr.log" || { echo "  $1 $2 (rep $3) failed: see $WORK/stderr.log" >&2; status=1; }
}

IFS=',' read -r -a scenario_list <<< "$SCENARIOS"
for rep in $(seq 1 "$REPS"); do
  for scenario in "${scenario_list[@]}"; do
    echo "rep $rep/$REPS: $scenario" >&2
    # Alternate which server goes first, so slow drift of the machine does not favour one.
    if [ $((rep % 2)) = 1 ]; then run_one salon "$scenario" "$rep"; run_one prosody "$scenario" "$rep"
    else run_one prosody "$scenario" "$rep"; run_one salon "$scenario" "$rep"; fi
  done
done

echo
echo "## Salon vs Prosody, medians of interleaved runs ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
"${JITI[@]}" bench/compare-table.ts --max-other "$MAX_OTHER" "$RESULTS"
echo
machine_facts
echo "Not comparable: Prosody stores SCRAM-SHA-1 keys only (both logged in with SCRAM-SHA-1); Prosody has no heap figure and"
echo "no GC from outside (per-session memory is its RSS delta, Salon's after a full GC); Prosody runs as root (run_as_root)."
echo "CPU columns: fraction of one core used by the server / the load generator in the measured window;"
echo "a load generator near 1.0 means the figure is a lower bound for that server."
echo "Every result line: $RESULTS"
exit "$status"

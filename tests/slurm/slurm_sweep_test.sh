#!/usr/bin/env bash
# The Slurm example of docs/sweeps.md, for real (registered by tests/CMakeLists.txt, label `slurm`):
#   tests/slurm/slurm_sweep_test.sh build/leasesim            # from the source folder; needs root
#   tests/slurm/slurm_sweep_test.sh --docs-only               # only: docs/sweeps.md quotes the files
# LEASESIM_SLURM_TEST_KEEP=1 keeps the temporary folder (logs, slurm.conf, results); the daemons
# are stopped in any case.
# 1. docs/sweeps.md quotes docs/examples/slurm-sweep.sbatch and slurm-submit.sh verbatim.
# 2. A private one-node Slurm in a temporary folder: its own MUNGE key and munged socket, a
#    slurm.conf (free ports, no accounting, no cgroups), slurmctld and slurmd run with -f it.
# 3. docs/examples/slurm-submit.sh submits slurm-sweep.sbatch as a 2-task array and the dependent
#    merge, twice: over scenarios/sweeps/ci-regression.json (4 points, 2 per shard), and over
#    tests/slurm/requeue-sweep.json (the same grid, slow points) where task 1 is requeued once it
#    has finished its first point (`scontrol requeue`: Slurm kills it mid-point); the requeued task
#    must resume (--resume), simulate only its missing point, and the merge must then run.
# 4. Each time, every file of the merged folder and the merge's CSV equal, byte for byte, those of
#    the unsharded sweep run here.
# Exit 0 pass, 1 fail, 77 skip (no root, no Slurm or MUNGE: the reason on one line).
set -uo pipefail

cd "$(dirname "$0")/../.."
SRC=$(pwd -P)

fail() { echo "slurm_sweep_test: FAIL: $*" >&2; exit 1; }
skip() { echo "slurm_sweep_test: SKIP: $*" >&2; exit 77; }
log() { echo "slurm_sweep_test: [$(( $(date +%s) - T0 ))s] $*"; }
T0=$(date +%s)

# --- 1. the docs quote the example files verbatim --------------------------------------------------
# The block after the line `<!-- verbatim: FILE -->` in docs/sweeps.md must equal FILE.
check_doc_quote() {
  local file=$1 quoted
  quoted=$(awk -v marker="<!-- verbatim: ${file} -->" '
    $0 == marker { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```/ { exit }
    found == 2 { print }' docs/sweeps.md)
  [ -n "$quoted" ] || fail "docs/sweeps.md has no block after '<!-- verbatim: ${file} -->'"
  diff -u "$file" <(printf '%s\n' "$quoted") >&2 || fail "docs/sweeps.md's block differs from ${file} (diff above: - file, + docs)"
}
check_doc_quote docs/examples/slurm-sweep.sbatch
check_doc_quote docs/examples/slurm-submit.sh
[ "${1:-}" = "--docs-only" ] && { echo "slurm_sweep_test: docs/sweeps.md quotes both example files verbatim"; exit 0; }

CLI=${1:?usage: slurm_sweep_test.sh PATH/TO/leasesim | --docs-only}
CLI=$(cd "$(dirname "$CLI")" && pwd -P)/$(basename "$CLI")
[ -x "$CLI" ] || fail "no leasesim binary at $CLI"

# --- 2. a private Slurm --------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || skip "needs root (slurmd runs as root); run ctest as root"
for tool in /usr/sbin/munged munge unmunge /usr/sbin/slurmctld /usr/sbin/slurmd sbatch squeue scontrol sinfo scancel; do
  command -v "$tool" >/dev/null || skip "$tool is missing: run tools/install-deps (Debian packages slurm-wlm, munge)"
done

# stop_cluster DIR: stop the private Slurm and munged whose files are in DIR. Each daemon by the pid
# in its pid file, and only if that process's command line names DIR (a reused pid is left alone):
# first its jobs are cancelled (with SLURM_CONF=DIR/slurm.conf, so only that cluster's), then
# `scontrol shutdown` stops slurmctld and slurmd, SIGTERM munged; SIGKILL after 5 s.
ours() { [ -n "$1" ] && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF "$2/"; }
stop_cluster() {
  local dir=$1 pidfile pid
  pid=$(cat "$dir/slurmctld.pid" 2>/dev/null)
  if ours "$pid" "$dir"; then
    SLURM_CONF=$dir/slurm.conf scancel --full --quiet --user=root 2>/dev/null
    for _ in $(seq 50); do [ -z "$(SLURM_CONF=$dir/slurm.conf squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
    SLURM_CONF=$dir/slurm.conf scontrol shutdown >/dev/null 2>&1
  fi
  for pidfile in "$dir/slurmctld.pid" "$dir/slurmd.pid" "$dir/munge/munged.pid"; do
    pid=$(cat "$pidfile" 2>/dev/null)
    ours "$pid" "$dir" || continue
    [ "$pidfile" = "$dir/munge/munged.pid" ] && kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  done
}

# A run killed before its trap ran (CTest's timeout kills) leaves its daemons behind: stop those of
# any earlier run whose test process is gone.
for old in "${TMPDIR:-/tmp}"/leasesim-slurm.*; do
  [ -f "$old/owner.pid" ] || continue
  kill -0 "$(cat "$old/owner.pid")" 2>/dev/null && continue
  echo "slurm_sweep_test: stopping what an earlier, killed run left in $old" >&2
  stop_cluster "$old"
  rm -rf "$old"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/leasesim-slurm.XXXXXX") || fail "mktemp"
echo $$ > "$T/owner.pid"
chmod 755 "$T"  # munged wants its socket's folders searchable by all
mkdir -p "$T/munge" "$T/munge-key" "$T/state" "$T/spool" "$T/log" "$T/work"
chmod 755 "$T/munge"
chmod 700 "$T/munge-key"
export SLURM_CONF=$T/slurm.conf

cleanup() {
  local code=$?
  stop_cluster "$T"
  if [ "$code" -ne 0 ] && [ "$code" -ne 77 ]; then
    for f in "$T"/log/*.log "$T"/work/*/slurm-*.out; do
      if [ -f "$f" ]; then echo "----- $f (last 30 lines)"; tail -n 30 "$f"; fi
    done >&2
  fi
  if [ -n "${LEASESIM_SLURM_TEST_KEEP:-}" ]; then
    echo "slurm_sweep_test: kept $T (LEASESIM_SLURM_TEST_KEEP is set)" >&2
  else
    rm -rf "$T"
  fi
  [ "$code" -eq 0 ] && log "daemons stopped"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

# Two free TCP ports (nothing listening) for slurmctld and slurmd, so that nothing clashes with a
# Slurm of the machine or another run of this test.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$(( 20000 + RANDOM % 20000 ))
    [ "$p" = "${1:-}" ] && continue
    if command -v ss >/dev/null; then
      ss -Hltn "sport = :$p" | grep -q . && continue
    else
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    fi
    echo "$p"
    return
  done
  fail "no free TCP port"
}
CTLD_PORT=$(free_port) || exit 1
SLURMD_PORT=$(free_port "$CTLD_PORT") || exit 1

dd if=/dev/urandom of="$T/munge-key/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge-key/munge.key"
/usr/sbin/munged --socket="$T/munge/munge.socket" --key-file="$T/munge-key/munge.key" \
  --pid-file="$T/munge/munged.pid" --log-file="$T/log/munged.log" --seed-file="$T/munge/munged.seed" \
  || fail "munged did not start (see $T/log/munged.log above)"
munge -n -S "$T/munge/munge.socket" | unmunge -S "$T/munge/munge.socket" >/dev/null || fail "the private munged does not answer"

HOST=$(hostname -s)
cat > "$SLURM_CONF" <<EOF
# A private one-node Slurm for tests/slurm/slurm_sweep_test.sh (everything under $T).
ClusterName=leasesim-test
SlurmctldHost=${HOST}(127.0.0.1)
SlurmctldPort=${CTLD_PORT}
SlurmdPort=${SLURMD_PORT}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire: a requeued job waits this long (default 120 s) before it may start again.
AuthInfo=socket=$T/munge/munge.socket,cred_expire=5
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool/%n
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Schedule at once (the defaults wait 3 s after a submission, and start a requeued job up to 30 s
# late): this cluster is idle but for the test.
SchedulerParameters=batch_sched_delay=0,sched_interval=1,bf_interval=1
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmdParameters=config_overrides
MailProg=/bin/true
KillWait=5
NodeName=leasesim-node NodeAddr=127.0.0.1 NodeHostname=${HOST} CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=sweep Nodes=leasesim-node Default=YES MaxTime=INFINITE State=UP
EOF

/usr/sbin/slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
/usr/sbin/slurmd -f "$SLURM_CONF" -N leasesim-node || fail "slurmd did not start"
state=""
deadline=$(( SECONDS + 30 ))
while [ "$SECONDS" -lt "$deadline" ]; do
  state=$(sinfo -h -n leasesim-node -o %t 2>/dev/null)
  [ "$state" = "idle" ] && break
  sleep 0.2
done
[ "$state" = "idle" ] || fail "the node is not idle after 30 s (sinfo: '${state}')"
log "private Slurm up (slurmctld :$CTLD_PORT, slurmd :$SLURMD_PORT, munged $T/munge/munge.socket)"

# --- 3. the documented array and merge; 4. merged == unsharded -----------------------------------
job_state() { scontrol show job "$1" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort -u | tr '\n' ' '; }
job_field() { scontrol show job "$1" -o 2>/dev/null | grep -o "$2=[^ ]*" | head -n 1 | cut -d= -f2; }

# pipeline NAME SWEEP_FILE POINTS REQUEUE: submit docs/examples/slurm-submit.sh (SHARDS=2) in
# $T/work/NAME; with REQUEUE=1, requeue task 1 once it has finished its first point (its second
# is then running) and check that its second run resumed; wait for the merge; compare every file of
# the merged folder and the merge's CSV with the unsharded sweep's, byte for byte.
pipeline() {
  local name=$1 sweep=$2 points=$3 requeue=$4
  local work=$T/work/$name ids array_id merge_id n st
  mkdir -p "$work"
  cd "$work" || fail "cd $work"
  # The documented scripts, as documented; what this 2-CPU node needs comes from the environment
  # (read by the scripts) and from sbatch options after the script's own (no 32-CPU task here).
  # --open-mode=append keeps the killed run's log and the requeued run's in one file.
  ids=$(LEASESIM=$CLI SWEEP=$sweep RESULTS=$work/results SHARDS=2 \
        "$SRC/docs/examples/slurm-submit.sh" --cpus-per-task=1 --open-mode=append) \
    || fail "$name: docs/examples/slurm-submit.sh failed"
  read -r array_id merge_id <<<"$ids"
  [[ "$array_id" =~ ^[0-9]+$ && "$merge_id" =~ ^[0-9]+$ ]] || fail "$name: slurm-submit.sh printed '$ids', expected two job ids"
  log "$name: submitted array $array_id (2 shards of ${sweep#"$SRC"/}) and merge $merge_id (afterok:$array_id)"

  if [ "$requeue" = 1 ]; then
    local done1=$work/results/shard-1/points
    n=0
    local deadline=$(( SECONDS + 120 ))
    while [ "$SECONDS" -lt "$deadline" ]; do
      n=$(find "$done1" -name '*.row.json' 2>/dev/null | wc -l)
      [ "$n" -ge 1 ] && break
      case "$(job_state "${array_id}_1")" in
        *RUNNING*|*PENDING*|*CONFIGURING*) ;;
        *) fail "$name: task 1 ended ($(job_state "${array_id}_1")) before its first point was seen" ;;
      esac
      sleep 0.1
    done
    [ "$n" -ge 1 ] || fail "$name: task 1 finished no point in 120 s"
    [ "$n" -lt 2 ] || fail "$name: task 1 finished both its points before it could be requeued; the test needs slower points"
    scontrol requeue "${array_id}_1" || fail "$name: scontrol requeue ${array_id}_1 failed"
    log "$name: requeued task ${array_id}_1 after its first point, while it ran its second"
  fi

  # The reference, meanwhile: the unsharded sweep, run here.
  "$CLI" sweep "$sweep" -j 2 --out "$work/whole" --format csv > "$work/whole.csv" || fail "$name: the unsharded sweep failed"
  log "$name: unsharded sweep done"

  # The merge runs only when both tasks succeeded.
  local deadline=$(( SECONDS + 300 ))
  while [ "$SECONDS" -lt "$deadline" ]; do
    st=$(job_state "$merge_id")
    case "$st" in
      "COMPLETED ") break ;;
      *PENDING*)
        [ "$(job_field "$merge_id" Reason)" = "DependencyNeverSatisfied" ] && fail "$name: a task failed, the merge can never run ($(job_state "$array_id"))" ;;
      *RUNNING*|*CONFIGURING*|*COMPLETING*) ;;
      *) fail "$name: merge job $merge_id ended $st" ;;
    esac
    sleep 0.2
  done
  [ "$(job_state "$merge_id")" = "COMPLETED " ] || fail "$name: the merge did not complete in 300 s (array: $(job_state "$array_id"), merge: $(job_state "$merge_id"))"
  log "$name: merge completed"

  local log1=$work/slurm-${array_id}_1.out
  [ -f "$log1" ] || fail "$name: no log of task 1 ($log1)"
  [ "$(job_field "${array_id}_2" Restarts)" = "0" ] || fail "$name: task 2 restarted, expected not"
  if [ "$requeue" = 1 ]; then
    # Killed mid-run, restarted once, and the second run resumed: 1 point simulated, 1 reused.
    [ "$(job_field "${array_id}_1" Restarts)" = "1" ] || fail "$name: task 1 restarted $(job_field "${array_id}_1" Restarts) times, expected 1"
    grep -q "CANCELLED AT .* DUE TO JOB REQUEUE" "$log1" || fail "$name: task 1's log shows no kill by the requeue"
    grep -qx "sweep: 1 points simulated, 1 already done" "$log1" \
      || fail "$name: task 1's requeued run did not resume with 1 point simulated and 1 already done: $(grep '^sweep:' "$log1")"
    log "$name: task 1 was killed by the requeue and resumed: $(grep '^sweep:' "$log1" | tr '\n' ' ')"
  else
    [ "$(job_field "${array_id}_1" Restarts)" = "0" ] || fail "$name: task 1 restarted, expected not"
  fi

  local merged=$work/results/all files
  [ -d "$merged" ] || fail "$name: the merge wrote no $merged"
  (cd "$work/whole" && find . -type f | sort) > "$work/whole.files"
  (cd "$merged" && find . -type f | sort) > "$work/merged.files"
  diff -u "$work/whole.files" "$work/merged.files" >&2 || fail "$name: the merged folder holds other files than the unsharded one"
  files=$(wc -l < "$work/whole.files")
  # sweep.json, results.csv, results.jsonl and per point its result and its row
  [ "$files" -eq $(( 3 + 2 * points )) ] || fail "$name: expected $(( 3 + 2 * points )) files in the unsharded folder, found $files"
  while read -r f; do
    cmp "$work/whole/$f" "$merged/$f" >&2 || fail "$name: merged $f differs from the unsharded sweep's"
  done < "$work/whole.files"
  cmp "$work/whole.csv" "$work/results/all.csv" >&2 || fail "$name: the merge's CSV differs from the unsharded sweep's"
  log "$name: the merged folder ($files files) and the merge's CSV equal the unsharded sweep's byte for byte"
}

# The sweep of the docs' worked example and of CI (4 points; a point takes milliseconds).
pipeline ci-regression "$SRC/scenarios/sweeps/ci-regression.json" 4 0
# The same grid with 100 replications a point (about 1.5 CPU-seconds each), slow enough to requeue
# task 1 while it runs its second point.
pipeline requeue "$SRC/tests/slurm/requeue-sweep.json" 4 1
log "PASS"

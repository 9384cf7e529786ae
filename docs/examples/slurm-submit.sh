#!/bin/bash
# slurm-submit.sh: submit the sweep's job array (slurm-sweep.sbatch, one task per shard), then a
# merge that starts once every task has succeeded. Prints the two job ids: ARRAY_ID MERGE_ID.
#   SHARDS=16 SWEEP=scenarios/sweeps/my-sweep.json docs/examples/slurm-submit.sh [SBATCH OPTION...]
# The options (e.g. --partition=gpu) go to both sbatch calls; results land in RESULTS/all and
# RESULTS/all.csv.
set -euo pipefail
SHARDS=${SHARDS:-16}
export LEASESIM=${LEASESIM:-leasesim} SWEEP=${SWEEP:-scenarios/sweeps/my-sweep.json} RESULTS=${RESULTS:-results}
jid=$(sbatch --parsable --array="1-${SHARDS}" "$@" "$(dirname "$0")/slurm-sweep.sbatch")
jid=${jid%%;*}
mid=$(sbatch --parsable --dependency="afterok:${jid}" --job-name=leasesim-merge "$@" \
  --wrap '"${LEASESIM}" merge "${RESULTS}"/shard-* --out "${RESULTS}/all" --format csv > "${RESULTS}/all.csv"')
echo "${jid} ${mid%%;*}"

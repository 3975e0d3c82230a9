#!/usr/bin/env bash
# `make plan`: plan the root stack, save the plan as text and JSON, print its cost diff against
# the applied state, run the plan guard on it.
# Usage: plan.sh PYTHON. The Makefile's variables arrive in the environment, never as shell text:
# PLAN_OUT (directory), PLAN_TFVARS (a file), PLAN_VARS, PLAN_GUARD and PLAN_COST (option lists,
# split with shell quoting rules by with-args.py, nothing in them expanded or run).
set -euo pipefail
py=$1
args="$(dirname "$0")/with-args.py"
out=${PLAN_OUT:-.local/plan}

mkdir -p -- "$out"
terraform init -input=false >/dev/null
plan=(terraform plan -input=false -no-color "-out=$out/root.tfplan")
if [[ -n ${PLAN_TFVARS:-} ]]; then
  plan+=("-var-file=$PLAN_TFVARS")
fi
"$py" "$args" PLAN_VARS "${plan[@]}" >"$out/root.txt"
grep -E '^(Plan:|No changes)' -- "$out/root.txt" || true
echo "full plan: $out/root.txt"
terraform show -json "$out/root.tfplan" >"$out/root.json"
# The monthly cost change against the plan's prior state (`cost diff`; PLAN_COST: --usage files,
# default the seeds' presets, --fail-above USD). The guard runs whatever it says; make plan
# fails with the guard's exit code, else with the cost diff's.
cost=0
"$py" "$args" PLAN_COST "$py" -m tooling cost diff --plan "$out/root.json" || cost=$?
guard=0
"$py" "$args" PLAN_GUARD "$py" -m tooling check-plan "$out/root.json" || guard=$?
if ((guard)); then exit "$guard"; fi
exit "$cost"

#!/usr/bin/env bash
# The intent classifier against a plain baseline on the same data: `orderbot eval-intents`
# (k-fold cross-validation over Intents/, then each held-out file with a model trained on all
# of it) beside TF-IDF + logistic regression (scikit-learn, Benchmarks/intent_baseline.py)
# trained on the same folds and measured on the same files.
#
#   Benchmarks/intents.sh [FILE…]     (default: the held-out files of Tests/NLUTests/Fixtures)
#
# Environment: FOLDS (default 5). Installs python3-venv if missing and scikit-learn into
# .build/bench-venv. Writes the report to Benchmarks/out/intents-<time>.txt.
set -euo pipefail

FOLDS=${FOLDS:-5}

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_venv sklearn:scikit-learn

build_release orderbot

files=("$@")
if ((${#files[@]} == 0)); then files=("$repo"/Tests/NLUTests/Fixtures/heldout*.tsv); fi

report="$out/intents-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
    echo
    "$bin/orderbot" eval-intents --folds "$FOLDS" "${files[@]}" | tee "$tmp/eval.txt"
    echo
    echo "== summary"
    awk '
        /-fold cross-validation over/ { name = "orderbot " $1 " cross-validation" }
        /^held-out file/ { n = split($3, parts, "/"); name = "orderbot " parts[n] }
        /^examples/ { accuracy = $4; f1 = $6 }
        /^out_of_scope +precision/ { printf "%-44s accuracy %s   macro-F1 %s   out_of_scope precision %s recall %s\n", name, accuracy, f1, $3, $5 }' "$tmp/eval.txt"
    "$bin/orderbot" export-intents --folds "$FOLDS" | "$venv/bin/python" "$bench/intent_baseline.py" "${files[@]}"
} | tee "$report"
say "report: $report"

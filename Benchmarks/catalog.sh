#!/usr/bin/env bash
# Catalog import speed: `orderbot import-catalog` on a 10,000-row CSV (1,000 products × 10
# variants), into a new database and again over it (every row an update), as users run it:
# whole process, open and migrate included. Median of RUNS runs each. See Benchmarks/README.md.
#
# Knobs (environment): ROWS (10000), RUNS (5).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build_release orderbot

rows=${ROWS:-10000}
runs=${RUNS:-5}
python3 - "$rows" >"$tmp/catalog.csv" <<'PY'
import sys
rows = int(sys.argv[1])
colors = ["black", "white", "red", "blue", "navy", "green", "grey", "brown", "beige", "pink"]
print("sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases")
for i in range(rows):
    product, variant = divmod(i, 10)
    print(f"P{product:05d}-{variant},p{product:05d},Buty testowe nr {product},Test shoes no. {product},sneakers,"
          f"{36 + variant},{colors[variant]},{100 + product % 400}.{product % 100:02d},PLN,{(i * 7) % 41},"
          f"model {product};model{product};modelu {product}")
PY

report="$out/catalog-$(date -u +%Y%m%dT%H%M%SZ).txt"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    for run in $(seq "$runs"); do
        rm -f "$tmp/shop.sqlite"*
        /usr/bin/time -f "%e" -o "$tmp/new.$run" "$bin/orderbot" import-catalog "$tmp/catalog.csv" --db "$tmp/shop.sqlite" >"$tmp/new.out"
        /usr/bin/time -f "%e" -o "$tmp/update.$run" "$bin/orderbot" import-catalog "$tmp/catalog.csv" --db "$tmp/shop.sqlite" >"$tmp/update.out"
    done
    echo "new database:  $(cat "$tmp/new.out")"
    echo "  median $(cat "$tmp"/new.[0-9]* | median) s wall over $runs runs (all: $(cat "$tmp"/new.[0-9]* | tr '\n' ' '))"
    echo "update:        $(cat "$tmp/update.out")"
    echo "  median $(cat "$tmp"/update.[0-9]* | median) s wall over $runs runs (all: $(cat "$tmp"/update.[0-9]* | tr '\n' ' '))"
} | tee "$report"
echo "==> summary written to $report" >&2

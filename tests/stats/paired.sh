#!/bin/sh
# paired.sh - compares the statistics engine's descriptives, paired t-test,
# Wilcoxon signed-rank test and effect sizes (src/stats/describe.c, paired.c)
# with R on generated data sets, printing TAP ("ok N - ...", "# pass N",
# "# fail N").
#
#   sh tests/stats/paired.sh BUILD_DIR
#   HEARTH_BUILD=BUILD_DIR sh tests/stats/paired.sh    (as tests/run-all.sh runs it)
#
# R (set.seed) writes 27 data sets: n = 2, 3, 5, 8, 20, 40, 49, 50, 200; integer
# scores with ties; zero differences; constant columns; every difference the
# same; every difference zero; missing values; one and no complete pairs.
# For each, BUILD_DIR/tests/stats/paired_driver and tests/stats/paired.R
# print JSON and tests/stats/compare_json.py compares them to 1e-9 relative,
# with no absolute floor (so p-values near 1e-100 are held to 1e-9 too).
set -u
build=${1:-${HEARTH_BUILD:?usage: sh tests/stats/paired.sh BUILD_DIR}}
here=$(cd "$(dirname "$0")" && pwd)
driver="$build/tests/stats/paired_driver"
[ -x "$driver" ] || { echo "not ok 1 - $driver is not built"; echo "# pass 0"; echo "# fail 1"; exit 1; }
command -v Rscript >/dev/null || { echo "not ok 1 - Rscript is not installed"; echo "# pass 0"; echo "# fail 1"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

Rscript - "$work" <<'R' || { echo "not ok 1 - generating the data sets failed"; echo "# pass 0"; echo "# fail 1"; exit 1; }
dir <- commandArgs(trailingOnly = TRUE)[1]
set.seed(20261126)
put <- function(name, x1, x2)
  write.table(data.frame(x1 = x1, x2 = x2), file.path(dir, paste0(name, ".csv")),
              sep = ",", row.names = FALSE, na = "NA", quote = FALSE)
normal_pairs <- function(n, shift) { x1 <- rnorm(n, 15, 4); list(x1, x1 + rnorm(n, shift, 3)) }
score <- function(n, lo, hi) sample(lo:hi, n, replace = TRUE)
for (n in c(2, 3, 5, 20, 49, 50, 200)) {
  p <- normal_pairs(n, 1.5); put(sprintf("normal_n%03d", n), p[[1]], p[[2]])
}
p <- normal_pairs(10, -6); put("large_negative_n010", p[[1]], p[[2]])
x1 <- rnorm(200, 10, 4); put("huge_effect_n200", x1, x1 + rnorm(200, 9, 3))   # ncp beyond the series: R's normal approximation
x1 <- rnorm(40, 10, 4); put("strong_n040", x1, x1 + rnorm(40, 6, 2.5))      # p near 1e-15
for (k in 1:4) { p <- normal_pairs(8, k / 2); put(sprintf("small_n008_%d", k), p[[1]], p[[2]]) }
x1 <- 1:12; put("all_up_n012", x1, x1 + (1:12) / 7)                    # V at its maximum
x1 <- score(20, 0, 30); put("rses_ties_n020", x1, pmin(30, x1 + score(20, -3, 6)))
x1 <- score(49, 0, 30); put("rses_ties_n049", x1, pmin(30, x1 + score(49, -4, 8)))
x1 <- score(200, 0, 10); put("ons_ties_n200", x1, pmin(10, pmax(0, x1 + score(200, -2, 3))))
x1 <- rnorm(20, 10, 2); x2 <- x1 + rnorm(20, 1, 2); x2[c(3, 7, 11)] <- x1[c(3, 7, 11)]
put("zeros_n020", x1, x2)                                             # zeros, no ties
x1 <- rnorm(8); x2 <- x1; x2[2] <- x2[2] + 0.5
put("one_nonzero_n008", x1, x2)
put("constant_columns_n010", rep(5, 10), rep(7, 10))
x1 <- score(10, 0, 20); put("same_change_n010", x1, x1 + 3)
x1 <- score(15, 0, 20); put("no_change_n015", x1, x1)
x1 <- rnorm(30, 20, 5); x2 <- x1 + rnorm(30, 2, 4)
x1[c(2, 9, 17)] <- NA; x2[c(5, 9, 23, 28)] <- NA
put("missing_n030", x1, x2)
put("one_pair_n001", c(3, NA, 4), c(5, 6, NA))
put("no_pairs_n000", c(NA, 2), c(1, NA))
put("ties_n002", c(1, 4), c(3, 2))              # |d| tied
R

for csv in "$work"/*.csv; do
	name=${csv%.csv}
	"$driver" "$csv" > "$name.c.json" 2> "$name.c.err"
	Rscript "$here/paired.R" "$csv" > "$name.r.json" 2> "$name.r.err"
done
python3 "$here/compare_json.py" "$work" 1e-9 0

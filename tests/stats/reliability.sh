#!/bin/sh
# Compares the engine's reliability figures (src/stats/reliability.c, through
# tests/stats/reliability_driver) with R's psych on seeded data sets: 2, 5, 30
# and 200 people; 4 to 12 items; answers 0-3 and 0-10 (so with ties); plain,
# with missing answers, with reverse-worded items reversed, and with a
# constant column. Prints "ok N - ..." / "not ok N - ..." and ends with
# "# pass N" and "# fail N"; exits non-zero when anything failed.
#
#   sh tests/stats/reliability.sh BUILD_DIR
#   HEARTH_BUILD=BUILD_DIR sh tests/stats/reliability.sh    (as tests/run-all.sh runs it)
#
# Tolerances (docs/statistics.md): alpha, standardised alpha, alpha if dropped
# and r.drop to 1e-9 relative (plus 1e-12 absolute, for figures near 0), as R
# computes them exactly. Minres is iterative: the engine's loadings and omega
# must be within 1e-8 of the exact minimum of psych's criterion (psych's
# answer iterated to its fixed point with R's eigen()), must fit at least as
# well as psych's own answer, and must be within 1e-4 of psych::fa's loadings
# and omega, since psych's optim stops once the fit improves by less than a
# relative 2.2e-9, which leaves its loadings up to about 1e-5 from the minimum.
set -u
build=${1:-${HEARTH_BUILD:?usage: sh tests/stats/reliability.sh BUILD_DIR}}
here=$(cd "$(dirname "$0")" && pwd)
driver="$build/tests/stats/reliability_driver"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$driver" ] || { echo "not ok 1 - $driver is missing"; echo "# pass 0"; echo "# fail 1"; exit 1; }
command -v Rscript >/dev/null || { echo "not ok 1 - Rscript is not installed"; echo "# pass 0"; echo "# fail 1"; exit 1; }
if ! Rscript "$here/reliability.R" generate "$work" >"$work/r.log" 2>&1 ||
   ! Rscript "$here/reliability.R" psych "$work" >>"$work/r.log" 2>&1; then
	echo "not ok 1 - R failed:"; sed 's/^/# /' "$work/r.log" | tail -20
	echo "# pass 0"; echo "# fail 1"; exit 1
fi
for csv in "$work"/*.csv; do
	"$driver" "$csv" >"${csv%.csv}.c.json" 2>"${csv%.csv}.c.err" ||
		echo "{\"crashed\": true}" >"${csv%.csv}.c.json"
done

python3 - "$work" <<'EOF'
import glob, json, math, os, sys

REL, ABS = 1e-9, 1e-12          # R is exact
EXACT = 1e-8                    # the exact minres minimum
PSYCH = 1e-4                    # psych::fa's early stop
n = passed = 0

def report(ok, what, detail=""):
    global n, passed
    n += 1
    passed += ok
    print(("ok" if ok else "not ok") + " %d - %s%s" % (n, what, "" if ok else " # " + detail))

def close(a, b, rel=REL, abs_=ABS):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= rel * abs(b) + abs_

def all_close(xs, ys, rel=REL, abs_=ABS):
    bad = [(i, x, y) for i, (x, y) in enumerate(zip(xs, ys)) if not close(x, y, rel, abs_)]
    return not bad and len(xs) == len(ys), str(bad[:3])

def fit(R, L):
    """psych's minres criterion: the squared residuals below the diagonal."""
    return sum((R[i][j] - L[i] * L[j]) ** 2 for i in range(len(L)) for j in range(i))

for cj in sorted(glob.glob(os.path.join(sys.argv[1], "*.c.json"))):
    name = os.path.basename(cj)[:-7]
    c = json.load(open(cj))
    r = json.load(open(cj[:-7] + ".r.json"))
    if c.get("crashed"):
        report(False, name + ": the driver ran", open(cj[:-7] + ".c.err").read())
        continue
    items = c["item"]
    field = lambda f: [it[f] for it in items]
    report([not it["dropped"] for it in items] == r["kept"],
           name + ": the same items dropped as psych::alpha")
    if "alpha_error" in r:
        report(c["alpha_raw"] is None and "alpha_cannot" in c,
               name + ": alpha cannot be computed, as in psych", r["alpha_error"])
    else:
        for mine, theirs in (("alpha_raw", "alpha_raw"), ("alpha_std", "alpha_std")):
            report(close(c[mine], r[theirs]) and (c[mine] is not None or "alpha_cannot" in c),
                   name + ": " + mine, "%r vs %r" % (c[mine], r[theirs]))
        ok, bad = all_close(field("r_drop"), r["r_drop"])
        report(ok, name + ": r.drop of every item", bad)
        if "drop_raw" in r:
            ok1, bad1 = all_close(field("alpha_raw_if_dropped"), r["drop_raw"])
            ok2, bad2 = all_close(field("alpha_std_if_dropped"), r["drop_std"])
            report(ok1 and ok2, name + ": alpha if each item is dropped", bad1 + bad2)
        else:
            report(all(it["alpha_raw_if_dropped"] is None and it["if_dropped_cannot"]
                       for it in items), name + ": alpha if dropped needs three items")
    heywood = "Heywood" in (c.get("omega_cannot") or "")
    if "loadings" in r and heywood:
        top = max(l * l for l in r["loadings"] if l is not None)
        report(top >= 0.99, name + ": a Heywood case for psych::fa too (communality %.4f)" % top)
    elif "loadings" in r:
        kept = [i for i, k in enumerate(r["kept"]) if k]
        ok, bad = all_close(field("loading"), r["exact_loadings"], 0, EXACT)
        report(ok and close(c["omega_total"], r["exact_omega"], 0, EXACT),
               name + ": minres loadings and omega at the exact minimum (1e-8)", bad)
        ok, bad = all_close(field("loading"), r["loadings"], 0, PSYCH)
        report(ok and close(c["omega_total"], r["omega"], 0, PSYCH),
               name + ": loadings and omega within 1e-4 of psych::fa",
               "%s omega %r vs %r" % (bad, c["omega_total"], r["omega"]))
        mine = fit(r["R"], [c["item"][i]["loading"] for i in kept])
        theirs = fit(r["R"], [r["loadings"][i] for i in kept])
        report(mine <= theirs * (1 + 1e-12) + 1e-15,
               name + ": the engine's minres fits at least as well as psych's",
               "%r vs %r" % (mine, theirs))
    else:
        report(c["omega_total"] is None and "omega_cannot" in c,
               name + ": omega cannot be computed (fewer than three items or pairs, "
               "or psych::fa fails)",
               json.dumps(r.get("fa_error")))

print("# pass %d" % passed)
print("# fail %d" % (n - passed))
sys.exit(0 if passed == n else 1)
EOF

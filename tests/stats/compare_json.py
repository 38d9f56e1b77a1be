#!/usr/bin/env python3
"""compare_json.py - compares the statistics engine's JSON with R's.

    python3 compare_json.py DIR [REL_TOL [ABS_TOL]]

For every DIR/NAME.r.json (R, the reference) there must be DIR/NAME.c.json
(the C engine). Each top-level key of R's object gives one TAP line
"ok N - NAME: key" or "not ok N - NAME: key" with what differed, then
"# pass N" and "# fail N". Numbers agree when |c - r| <= REL_TOL * max(|c|,
|r|) + ABS_TOL (defaults 1e-9 and 1e-12). A null from R (R refused or gave
NaN) needs a null from C and, inside an object, a "..._cannot" reason beside
it. Keys only C prints (its reasons) are not compared."""
import json
import math
import pathlib
import sys


def differences(r, c, rel, absol, where, obj=None):
    """Yields a description of each way c fails to match r."""
    if r is None:
        if c is not None:
            yield f"{where}: R cannot compute it, C gave {c!r}"
        elif obj is not None and not any(k.endswith("_cannot") for k in obj):
            yield f"{where}: null without a cannot-be-computed reason"
    elif isinstance(r, dict):
        if not isinstance(c, dict):
            yield f"{where}: C gave {c!r}"
            return
        for key, value in r.items():
            if key not in c:
                yield f"{where}.{key}: missing from C"
            else:
                yield from differences(value, c[key], rel, absol, f"{where}.{key}", c)
    elif isinstance(r, bool) or isinstance(c, bool):
        if r != c:
            yield f"{where}: R {r!r}, C {c!r}"
    elif isinstance(r, (int, float)):
        if not isinstance(c, (int, float)) or isinstance(c, bool):
            yield f"{where}: R {r!r}, C {c!r}"
        elif abs(c - r) > rel * max(abs(c), abs(r)) + absol or math.isnan(c):
            yield f"{where}: R {r!r}, C {c!r} (off by {abs(c - r):.3g})"
    elif r != c:
        yield f"{where}: R {r!r}, C {c!r}"


def main():
    folder = pathlib.Path(sys.argv[1])
    rel = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-9
    absol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-12
    count = passed = failed = 0
    for ref in sorted(folder.glob("*.r.json")):
        name = ref.name[: -len(".r.json")]
        mine = folder / f"{name}.c.json"
        try:
            r = json.loads(ref.read_text())
            c = json.loads(mine.read_text())
        except (OSError, ValueError) as e:
            count += 1
            failed += 1
            print(f"not ok {count} - {name}: output unreadable ({e})")
            continue
        for key in r:
            count += 1
            problems = list(differences(r[key], c.get(key), rel, absol, key, c))
            if key not in c:
                problems = [f"{key}: missing from C"]
            if problems:
                failed += 1
                print(f"not ok {count} - {name}: {key}")
                for p in problems:
                    print(f"#   {p}")
            else:
                passed += 1
                print(f"ok {count} - {name}: {key}")
    print(f"1..{count}")
    print(f"# pass {passed}")
    print(f"# fail {failed}")
    return 1 if failed or not count else 0


if __name__ == "__main__":
    sys.exit(main())

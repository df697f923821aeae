#!/usr/bin/env bash
# Run in the checkout's root: fills .devbench/ (ignored by git) with what a quiet, offline, many-core
# machine needs to measure scaling: wheels for its Python 3.12 (less the large ones its image already
# has: the carried folder is capped at 64 MiB), wrk and its LuaJIT library, these scripts, and the
# baseline tree BASE (a commit) to measure side by side. Then, on that machine: `bash .devbench/run.sh`.
set -euo pipefail
base="${BASE:?set BASE to the commit to compare against}"
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf .devbench && mkdir -p .devbench/bin .devbench/lib .devbench/base .devbench/extra
grep -qx '/.devbench/' .git/info/exclude 2>/dev/null || echo '/.devbench/' >> .git/info/exclude
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cp "$(command -v wrk)" .devbench/bin/
cp "$(ldd "$(command -v wrk)" | awk '/libluajit/ {print $3}')" .devbench/lib/
on_image='^(pyarrow|numpy|scipy|matplotlib|contourpy|cycler|fonttools|kiwisolver|pillow|packaging|pyparsing|python-dateutil|tzdata|pyyaml)=='
grep -E '^[a-z0-9_.-]+==' requirements.txt | grep -viE "$on_image" > .devbench/req.txt
echo requests >> .devbench/req.txt
wheels=(-q --only-binary=:all: --python-version 3.12 --implementation cp --platform manylinux2014_x86_64
        --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64)
python3 -m pip download "${wheels[@]}" -d .devbench/wheels -r .devbench/req.txt
python3 -m pip download "${wheels[@]}" --no-deps -d .devbench/extra "$(grep -i '^pyyaml==' requirements.txt)"
git archive "$base" | tar -x -C .devbench/base
cp "$here/run.sh" "$here/scale.py" "$here/population_scaling.py" .devbench/
du -sh .devbench

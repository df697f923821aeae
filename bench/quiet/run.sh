#!/usr/bin/env bash
# On the quiet machine, from the checkout root with .devbench/ carried (bench/quiet/prepare.sh fills it):
# the pinned wheels onto the image's Python, then the service against its floor (the baseline tree and
# this one, side by side) and population scoring at 1..8 workers. Figures under $OUT (or /tmp).
# Knobs: WORKERS ("1 4 12"), ROUNDS (1), SECS (6), POPULATION=0 to leave population out.
set -u
OUT="${OUT:-/tmp}"
here="$(pwd)/.devbench"
export LD_LIBRARY_PATH="$here/lib"
extra=""; python3 -c "import yaml" 2>/dev/null || extra="$here/extra/*.whl"
python3 -m pip install -q --no-index --no-deps --target /tmp/site $here/wheels/*.whl $extra 2>&1 | tail -3
export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1
nproc; python3 -V; python3 -c "import pyarrow, numpy, yaml, flask; print(pyarrow.__version__, numpy.__version__, flask.__version__)"
mkdir -p "$OUT/base" "$OUT/now"
(cd "$here/base" && WORKERS="${WORKERS:-1 4 12}" ROUNDS="${ROUNDS:-1}" SECS="${SECS:-6}" OUT="$OUT/base" APP="$here/base" timeout 170 python3 "$here/scale.py") 2>&1 | tail -12
WORKERS="${WORKERS:-1 4 12}" ROUNDS="${ROUNDS:-1}" SECS="${SECS:-6}" OUT="$OUT/now" APP="$(pwd)" timeout 170 python3 "$here/scale.py" 2>&1 | tail -12
[ "${POPULATION:-1}" = 0 ] || timeout 200 python3 "$here/population_scaling.py" 2>&1 | tail -10

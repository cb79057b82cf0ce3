#!/bin/bash
# `make run` from a fresh clone: wall and CPU seconds to the server's first answer, and the size of
# the virtual environment. No pip or uv cache, so the downloads count too. Usage:
#   evaluation/measure_start.sh [REPO]   (default: this repository; clones into a temporary folder)
set -e
repo=${1:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}
work=$(mktemp -d /tmp/zb-lean.XXXXXX)
git clone -q "$repo" "$work/clone"
cd "$work/clone"
port=$((20000 + RANDOM % 20000))
export PIP_NO_CACHE_DIR=1 UV_NO_CACHE=1
start=$(date +%s.%N)
( time make install >/dev/null 2>&1 ) 2> "$work/install-time.txt"
installed=$(date +%s.%N)
ZHIBIAO_HOME="$work/home" ZHIBIAO_PORT=$port .venv/bin/zhibiao serve > "$work/serve.log" 2>&1 &
pid=$!
until curl -sf "127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
# the first answer a user waits for: a recommendation from the page's API, not only the readiness probe
curl -sf -H 'Content-Type: application/json' -o "$work/first.json" "127.0.0.1:$port/v1/recommendations" \
  -d '{"project_name":"区图书馆全民阅读推广","description":"全年举办读书讲座不少于48场，服务读者20万人次。"}'
answered=$(date +%s.%N)
rows=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['indicators']))" "$work/first.json")
cpu=$(awk '{print ($14 + $15) / 100}' "/proc/$pid/stat")
kill "$pid"
echo "install wall $(echo "$installed - $start" | bc) s ($(grep -E 'user|sys' "$work/install-time.txt" | tr '\n\t' '  '));" \
     "server start wall $(echo "$answered - $installed" | bc) s, cpu $cpu s;" \
     "first recommendation ($rows rows) $(echo "$answered - $start" | bc) s after the clone; venv $(du -sm .venv | cut -f1) MB;" \
     "load average $(cut -d' ' -f1 /proc/loadavg)"
rm -rf "$work"

# Shared by scripts/load, scripts/soak and scripts/crash-test: builds the release binaries,
# finds free loopback ports, starts share-sandbox and share-gateway, waits until they answer,
# samples a process's memory and descriptors, and stops everything it started on exit.
# Source it from a script that has `set -euo pipefail` and has cd'ed to the repository root.

HARDENING_PIDS=()

hardening_cleanup() {
    local pid
    for pid in "${HARDENING_PIDS[@]:-}"; do
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    done
    for pid in "${HARDENING_PIDS[@]:-}"; do
        [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true
    done
}
trap hardening_cleanup EXIT

# Builds the products and sets BIN to their folder: release by default; SHAREKIT_BUILD=debug
# reuses the debug build (CI's short passes, where the figures do not matter but the behaviour does).
# SHAREKIT_SCRATCH_PATH names another build folder (`--scratch-path`).
build_release() {
    local configuration="${SHAREKIT_BUILD:-release}"
    local scratch=()
    # Release builds share .build-release with the bench scripts; debug ones use .build.
    if [[ -n "${SHAREKIT_SCRATCH_PATH:-}" ]]; then
        scratch=(--scratch-path "$SHAREKIT_SCRATCH_PATH")
    elif [[ "$configuration" == release ]]; then
        scratch=(--scratch-path .build-release)
    fi
    echo "==> swift build -c $configuration (share-sandbox, share-gateway, share-bench)"
    swift build -c "$configuration" "${scratch[@]}" --product share-sandbox
    swift build -c "$configuration" "${scratch[@]}" --product share-gateway
    swift build -c "$configuration" "${scratch[@]}" --product share-bench
    BIN="$(swift build -c "$configuration" "${scratch[@]}" --show-bin-path)"
}

# Installs wrk from Debian when it is missing.
require_wrk() {
    command -v wrk >/dev/null && return
    echo "==> apt-get install wrk"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_healthy URL [SECONDS]: polls URL/healthz until it answers 200.
wait_healthy() {
    local url="$1" limit="${2:-30}" waited=0
    until curl -fsS -o /dev/null "$url/healthz" 2>/dev/null; do
        sleep 0.1
        waited=$((waited + 1))
        if (( waited > limit * 10 )); then echo "no answer from $url/healthz after ${limit}s" >&2; return 1; fi
    done
}

# start_sandbox PORT LOG [EXTRA ARGS…]: starts share-sandbox with the load client; sets SANDBOX_PID.
LOAD_CLIENT_ID=load-client
LOAD_CLIENT_SECRET=load-secret-7Hq2
start_sandbox() {
    local port="$1" log="$2"
    shift 2
    "$BIN/share-sandbox" --port "$port" --client "$LOAD_CLIENT_ID:$LOAD_CLIENT_SECRET" --log-level warning "$@" >>"$log" 2>&1 &
    SANDBOX_PID=$!
    HARDENING_PIDS+=("$SANDBOX_PID")
    wait_healthy "http://127.0.0.1:$port"
}

# start_gateway PORT UPSTREAM_PORT LOG: share-gateway in front of the sandbox, no rate limit, no
# access log, injecting the load client's credentials; sets GATEWAY_PID.
start_gateway() {
    local port="$1" upstream="$2" log="$3"
    PLAID_CLIENT_ID="$LOAD_CLIENT_ID" PLAID_SECRET="$LOAD_CLIENT_SECRET" \
        "$BIN/share-gateway" --port "$port" --upstream "http://127.0.0.1:$upstream" --rate-limit 0 --no-access-log \
        --log-level warning >>"$log" 2>&1 &
    GATEWAY_PID=$!
    HARDENING_PIDS+=("$GATEWAY_PID")
    wait_healthy "http://127.0.0.1:$port"
}

# rss_kib PID: resident memory in KiB. fd_count PID: open file descriptors.
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

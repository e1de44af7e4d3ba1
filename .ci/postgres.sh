# A throwaway PostgreSQL for the test suite. Source it (as root) before the tests:
#
#   . .ci/postgres.sh && npm test
#
# It installs Debian's postgresql if it is missing, starts a private server on 127.0.0.1 (its own
# data folder and socket folder under /tmp, trust authentication, no fsync), creates the database
# ringfence_test, and exports
#   DATABASE_URL=postgres://postgres@127.0.0.1:$RINGFENCE_PGPORT/ringfence_test
#   RINGFENCE_REQUIRE_POSTGRES=1   (so the PostgreSQL half of the suite fails rather than skips)
# An EXIT trap stops the server and deletes its folder when the sourcing shell exits (any EXIT trap
# already set is kept and run after). Set RINGFENCE_PGPORT to use another port (default 5433).
# Written for bash; safe to source under `set -euo pipefail`.

ringfence_pg_start() {
  local port="${RINGFENCE_PGPORT:-5433}" bin dir
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "postgres.sh: installing postgresql" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null || return 1
  fi
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
  dir="$(mktemp -d /tmp/pgci.XXXXXX)" || return 1
  chown postgres:postgres "$dir" && chmod 700 "$dir" || return 1
  # The server refuses to run as root: run it as the postgres user.
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1; }
  # fsync=off: a throwaway server needs no crash safety, and tests run faster without it.
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null \
    || { cat "$dir/server.log" >&2; rm -rf "$dir"; return 1; }
  RINGFENCE_PG_BIN="$bin"
  RINGFENCE_PG_DIR="$dir"
  local previous
  previous="$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")"
  # shellcheck disable=SC2064 # expand the paths now, so later changes to the variables do not matter
  trap "runuser -u postgres -- '$bin/pg_ctl' -D '$dir/data' -m fast stop >/dev/null 2>&1; rm -rf '$dir'; ${previous:-:}" EXIT
  psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE ringfence_test" || return 1
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/ringfence_test"
  export RINGFENCE_REQUIRE_POSTGRES=1
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, DATABASE_URL exported" >&2
}

ringfence_pg_start || { echo "postgres.sh: could not start PostgreSQL" >&2; return 1 2>/dev/null || exit 1; }

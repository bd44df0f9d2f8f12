# Sourced by scripts/start and scripts/test. Makes sure a PostgreSQL is reachable and exports the
# connection string the hosts and tests read (ConnectionStrings__techtransfer).
#  - If ConnectionStrings__techtransfer is already set, it is used as is.
#  - As root: the machine's PostgreSQL service (installed from Debian if missing), role "techtransfer".
#  - As a normal user: a private cluster under .data/pg on port 5433, owned by that user.
# The role's password is generated on first use and never kept in the repository: as root in
# ~/.config/techtransfer/pg-password, shared by every checkout on the machine (they share the service's role, and a
# per-checkout password would make one checkout's run lock out another's); a private cluster keeps its own in .data/.

# Server settings for this write-heavy workload (every match enters a dozen inboxes): the defaults (1 GB of WAL
# between checkpoints, full-page images uncompressed) made PostgreSQL checkpoint every 25 s under bench-push, and
# the full-page images that follow each checkpoint were most of its WAL. Kept equal to docker-compose.yml.
TECHTRANSFER_PG_SETTINGS=(max_wal_size=4GB checkpoint_timeout=15min wal_compression=lz4)

ensure_postgres() {
  if [ -n "${ConnectionStrings__techtransfer:-}" ]; then return 0; fi
  local root data port password bin pwfile
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  data="$root/.data"
  mkdir -p "$data"
  pwfile="$data/pg-password"
  [ "$(id -u)" = 0 ] && pwfile="${XDG_CONFIG_HOME:-$HOME/.config}/techtransfer/pg-password"
  if [ ! -s "$pwfile" ]; then
    mkdir -p "$(dirname "$pwfile")"
    (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$pwfile")
  fi
  password="$(cat "$pwfile")"

  if [ "$(id -u)" = 0 ]; then
    port="${TECHTRANSFER_PG_PORT:-5432}"
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
      echo "postgres: installing PostgreSQL from Debian" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
      echo "postgres: starting the PostgreSQL service" >&2
      service postgresql start >/dev/null
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
    fi
    runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 -v pw="$password" >/dev/null <<'SQL'
SELECT format('CREATE ROLE techtransfer LOGIN CREATEDB PASSWORD %L', :'pw')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'techtransfer') \gexec
SELECT format('ALTER ROLE techtransfer LOGIN CREATEDB PASSWORD %L', :'pw') \gexec
SQL
    # The write-heavy settings of docker-compose.yml, on the machine's server too (reloadable, no restart).
    runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<SQL
$(for setting in "${TECHTRANSFER_PG_SETTINGS[@]}"; do echo "ALTER SYSTEM SET ${setting%%=*} = '${setting#*=}';"; done)
SELECT pg_reload_conf();
SQL
  else
    port="${TECHTRANSFER_PG_PORT:-5433}"
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    if [ -z "$bin" ]; then echo "postgres: PostgreSQL is not installed; run as root once, or set ConnectionStrings__techtransfer" >&2; return 1; fi
    if [ ! -d "$data/pg" ]; then
      echo "postgres: creating a private cluster in $data/pg" >&2
      "$bin/initdb" -D "$data/pg" -U techtransfer --auth=scram-sha-256 --pwfile="$data/pg-password" -E UTF8 >/dev/null
    fi
    if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
      "$bin/pg_ctl" -D "$data/pg" -l "$data/pg.log" -w \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 $(printf -- '-c %s ' "${TECHTRANSFER_PG_SETTINGS[@]}")" start >/dev/null
    fi
  fi
  export ConnectionStrings__techtransfer="Host=127.0.0.1;Port=$port;Database=${TECHTRANSFER_DB:-techtransfer};Username=techtransfer;Password=$password"
}

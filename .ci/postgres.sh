#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback for the store tests and print its SQLAlchemy URL.
#
# Usage (root, Debian):  export BEREIKWIJZER_TEST_POSTGRES_URL="$(.ci/postgres.sh)"
# Everything but the URL goes to stderr. Safe to run twice: it reuses the cluster.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PORT="${BEREIKWIJZER_PG_PORT:-5433}"
CLUSTER="bereikwijzer"
DB="bereikwijzer_test"
ROLE="bereikwijzer"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "postgres.sh: apt-get install postgresql" >&2
  apt-get install -y -qq postgresql >&2
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"

if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$VERSION/$CLUSTER"; then
  echo "postgres.sh: creating cluster $VERSION/$CLUSTER on 127.0.0.1:$PORT" >&2
  pg_createcluster "$VERSION" "$CLUSTER" -p "$PORT" \
    -- --auth-local=peer --auth-host=scram-sha-256 >&2
  # Loopback only; a test server need not survive a power cut.
  cat > "/etc/postgresql/$VERSION/$CLUSTER/conf.d/bereikwijzer.conf" <<CONF
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi
if ! pg_lsclusters -h | awk -v c="$VERSION/$CLUSTER" '$1"/"$2==c {print $4}' | grep -qx online; then
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }
for _ in $(seq 1 30); do psql_admin -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
psql_admin <<SQL >&2
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN;
  END IF;
END \$\$;
ALTER ROLE $ROLE PASSWORD '$PASSWORD';
SQL
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"

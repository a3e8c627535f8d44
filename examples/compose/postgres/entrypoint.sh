#!/bin/sh
# Creates the database cluster on the first start (an empty data directory), with a login
# role and a database for the application (POSTGRES_USER, POSTGRES_DB; POSTGRES_PASSWORD is
# required: the names of the official postgres image's variables), then runs PostgreSQL in
# the foreground, listening on every address with password (SCRAM) authentication.
set -eu
: "${POSTGRES_PASSWORD:?is required: the password of the application role}"
user=${POSTGRES_USER:-app}
db=${POSTGRES_DB:-$user}
bin=$(echo /usr/lib/postgresql/*/bin)
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "postgres-entrypoint: creating the cluster in $PGDATA, role $user, database $db" >&2
  "$bin/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  "$bin/pg_ctl" -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=/tmp" start >/dev/null
  # psql quotes :"name" as an identifier and :'value' as a literal: no injection.
  "$bin/psql" -h /tmp -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -v user="$user" -v db="$db" -v password="$POSTGRES_PASSWORD" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
  "$bin/pg_ctl" -D "$PGDATA" -w stop >/dev/null
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp

#!/usr/bin/env bash
# Makes a local PostgreSQL server available on 127.0.0.1:5432 with a `confidant` superuser, and
# prints its DATABASE_URL. Installs Debian's postgresql package when it is missing (needs root).
# Used by .ci/run (the db and api suites run on PostgreSQL too) and by the benchmarks.
set -euo pipefail
password=confidant
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing PostgreSQL (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep "^$version main" | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'confidant') THEN CREATE ROLE confidant LOGIN SUPERUSER PASSWORD '$password'; END IF; END \\\$\\\$;\"" >&2
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'confidant'\"" | grep -q 1; then
  su postgres -c "createdb -O confidant confidant" >&2
fi
echo "postgres://confidant:$password@127.0.0.1:5432/confidant"

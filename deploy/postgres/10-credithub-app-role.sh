#!/bin/sh
# Runs once, when the compose PostgreSQL volume is initialised: creates the
# serving role with its password, so that the hub never connects as the
# superuser. Migration 00005 finds the role and grants it what it may do.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pw="$CREDITHUB_APP_PASSWORD" <<'SQL'
CREATE ROLE credithub_app LOGIN PASSWORD :'pw';
SQL

#!/usr/bin/env bash
# Restores a backup made by pg-backup.sh, then rebuilds the leaderboards in Redis from it.
#
#   deploy/backup/pg-restore.sh [OPTIONS] DUMP_FILE [POSTGRES_URI]
#
# The database is POSTGRES_URI, else the one in --stores-env FILE, else $QUIZ_STORAGE_POSTGRES_URI;
# Redis (for the rebuild) is --redis-uri, else the one in --stores-env, else $QUIZ_STORAGE_REDIS_URI.
#   --yes              replace what the database holds: without it a database that has tables is refused
#   --stores-env FILE  a stores.env written by StoresMain (local cluster: data/local-cluster/stores.env)
#   --redis-uri URI    the Redis whose boards are rebuilt
#   --keep-sessions    do not revoke the restored sessions (by default every one is revoked: sign in again)
#   --no-rebuild       restore only; rebuild later (RebuildBoardsMain, or POST /api/v1/admin/leaderboards/rebuild)
#   --classpath CP     the node's classes for the rebuild (default: engine/target/quiz-node.jar of this checkout)
#   -h, --help         this text
#
# Stop the nodes first. In one transaction, every table, view and sequence of the schema public is
# dropped, the dump is restored (owned by the user of the URI) and, unless --keep-sessions, every
# session is revoked; any error rolls it all back. Then org.quizengine.engine.RebuildBoardsMain
# rebuilds every board from the restored matches. Start the nodes after it. deploy/README.md says
# what a restore loses. Needs pg_restore and psql (Debian: postgresql-client) and java.
set -euo pipefail

script_dir="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=deploy/backup/common.sh
. "$script_dir/common.sh"

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

yes=false
keep_sessions=false
rebuild=true
stores_env=""
redis_uri=""
classpath="$script_dir/../../engine/target/quiz-node.jar"
positional=()
while (($#)); do
  case "$1" in
    --yes) yes=true; shift ;;
    --keep-sessions) keep_sessions=true; shift ;;
    --no-rebuild) rebuild=false; shift ;;
    --stores-env) [[ $# -ge 2 ]] || usage; stores_env="$2"; shift 2 ;;
    --redis-uri) [[ $# -ge 2 ]] || usage; redis_uri="$2"; shift 2 ;;
    --classpath) [[ $# -ge 2 ]] || usage; classpath="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "Unknown option $1" >&2; usage ;;
    *) positional+=("$1"); shift ;;
  esac
done
((${#positional[@]} >= 1 && ${#positional[@]} <= 2)) || usage
dump="${positional[0]}"
uri="${positional[1]:-}"
if [[ -n "$stores_env" ]]; then
  [[ -n "$uri" ]] || uri="$(env_file_value "$stores_env" QUIZ_STORAGE_POSTGRES_URI)"
  [[ -n "$redis_uri" ]] || redis_uri="$(env_file_value "$stores_env" QUIZ_STORAGE_REDIS_URI)"
fi
uri="${uri:-${QUIZ_STORAGE_POSTGRES_URI:-}}"
redis_uri="${redis_uri:-${QUIZ_STORAGE_REDIS_URI:-}}"
[[ -n "$uri" ]] || die "which database? Give a URI, --stores-env FILE or QUIZ_STORAGE_POSTGRES_URI"
need_command pg_restore
need_command psql
[[ -f "$dump" && -r "$dump" ]] || die "no backup at $dump"
if $rebuild; then
  [[ -n "$redis_uri" ]] || die "which Redis to rebuild the boards in? Give --redis-uri, --stores-env FILE or QUIZ_STORAGE_REDIS_URI (or --no-rebuild)"
  command -v java >/dev/null 2>&1 || die "java not found; it runs the leaderboard rebuild (or use --no-rebuild)"
  [[ "$classpath" == *:* || -e "$classpath" ]] || die "no node jar at $classpath: build it (mvn -B -q -DskipTests package) or give --classpath"
fi
parse_postgres_uri "$uri"
use_postgres_password

pg_restore --list "$dump" > /dev/null || die "$dump is not a backup pg_restore can read"

psql_query() {
  psql -X -q -A -t --no-password -v ON_ERROR_STOP=1 --dbname="$pg_uri" -c "$1"
}
tables="$(psql_query "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")" \
  || die "cannot reach $pg_shown"
if ((tables > 0)) && ! $yes; then
  echo "$(basename "$0"): $pg_shown holds $tables tables; the restore replaces them. Stop the nodes, then run again with --yes." >&2
  exit 3
fi
others="$(psql_query "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")" \
  || die "cannot reach $pg_shown"
if ((others > 0)); then
  echo "Warning: $others other connections to the database: are nodes still running? They would see the restore happen." >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sql="$work/restore.sql"
{
  cat <<'SQL'
SET client_min_messages = warning;
\o /dev/null
DO $$
DECLARE
  object record;
BEGIN
  -- Tables first (their own sequences and the views on them go with them), then what is left.
  FOR object IN
    SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                     WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
    ORDER BY c.relkind IN ('r', 'p') DESC
  LOOP
    EXECUTE format('DROP %s IF EXISTS public.%I CASCADE', object.kind, object.relname);
  END LOOP;
END $$;
SQL
} > "$sql"
server="$(psql_query "SHOW server_version_num")" || die "cannot reach $pg_shown"
if ((server < 170000)); then
  # A client from PostgreSQL 17 on writes this setting, which an older server does not know.
  pg_restore --no-owner --no-acl --file=- "$dump" | sed '/^SET transaction_timeout = 0;$/d' >> "$sql" \
    || die "pg_restore could not read $dump"
else
  pg_restore --no-owner --no-acl --file=- "$dump" >> "$sql" || die "pg_restore could not read $dump"
fi
{
  echo '\o'
  if $keep_sessions; then
    echo "SELECT 'sessions kept as they were in the backup';"
  else
    cat <<'SQL'
WITH revoked AS (
  UPDATE public.sessions SET revoked_at = now(), revoked_reason = 'restore' WHERE revoked_at IS NULL RETURNING 1
) SELECT 'sessions revoked: ' || count(*) FROM revoked;
SQL
  fi
} >> "$sql"

echo "Restoring $dump into $pg_shown ..."
started=$SECONDS
psql -X -q -A -t --no-password -v ON_ERROR_STOP=1 --single-transaction --dbname="$pg_uri" -f "$sql" \
  || die "the restore failed and was rolled back; $pg_shown is as it was"
echo "Restored $dump into $pg_shown in $((SECONDS - started)) s"

if ! $rebuild; then
  echo "Leaderboards not rebuilt (--no-rebuild): rebuild them before players look (deploy/README.md)."
  exit 0
fi
echo "Rebuilding the leaderboards from PostgreSQL ..."
QUIZ_STORAGE_POSTGRES_URI="$uri" QUIZ_STORAGE_REDIS_URI="$redis_uri" \
  java -cp "$classpath" org.quizengine.engine.RebuildBoardsMain \
  || die "the database is restored, but the leaderboard rebuild failed: run it again (deploy/README.md, Backup and restore)"
echo "Done: start the nodes."

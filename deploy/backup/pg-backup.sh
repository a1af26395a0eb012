#!/usr/bin/env bash
# Backs up the quiz database with pg_dump (custom format), keeping the newest N backups.
#
#   deploy/backup/pg-backup.sh [OPTIONS] [POSTGRES_URI]
#
# The database is POSTGRES_URI, else the one in --stores-env FILE, else $QUIZ_STORAGE_POSTGRES_URI.
#   --dir DIR          where backups go (default: backups); created if missing
#   --keep N           keep the newest N backups in DIR, delete older ones (default 14; 0 keeps all)
#   --stores-env FILE  a stores.env written by StoresMain (local cluster: data/local-cluster/stores.env)
#   -h, --help         this text
#
# Each backup is DIR/quiz-<UTC time>.dump, written to a temporary file, checked with pg_restore --list,
# then renamed, so a file with that name is always whole. Only the newest N quiz-*.dump files stay.
# Restore one with deploy/backup/pg-restore.sh. Needs pg_dump and pg_restore of the server's major
# version or newer (Debian: postgresql-client). Exits non-zero, with the reason, on any failure.
set -euo pipefail

# shellcheck source=deploy/backup/common.sh
. "$(dirname "$0")/common.sh"

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

dir=backups
keep=14
uri=""
stores_env=""
while (($#)); do
  case "$1" in
    --dir) [[ $# -ge 2 ]] || usage; dir="$2"; shift 2 ;;
    --keep) [[ $# -ge 2 ]] || usage; keep="$2"; shift 2 ;;
    --stores-env) [[ $# -ge 2 ]] || usage; stores_env="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "Unknown option $1" >&2; usage ;;
    *) [[ -z "$uri" ]] || usage; uri="$1"; shift ;;
  esac
done
[[ "$keep" =~ ^[0-9]+$ ]] || die "--keep takes a whole number, not '$keep'"
keep=$((10#$keep)) # 08 is eight, not a bad octal number
if [[ -z "$uri" && -n "$stores_env" ]]; then
  uri="$(env_file_value "$stores_env" QUIZ_STORAGE_POSTGRES_URI)"
  [[ -n "$uri" ]] || die "no QUIZ_STORAGE_POSTGRES_URI in $stores_env"
fi
uri="${uri:-${QUIZ_STORAGE_POSTGRES_URI:-}}"
[[ -n "$uri" ]] || die "which database? Give a URI, --stores-env FILE or QUIZ_STORAGE_POSTGRES_URI"
need_command pg_dump
need_command pg_restore
parse_postgres_uri "$uri"
use_postgres_password

umask 077 # a dump holds password hashes and e-mail addresses
mkdir -p "$dir" || die "cannot create $dir"
stamp="$(date -u +%Y%m%dT%H%M%S.%3NZ)"
[[ "$stamp" =~ ^[0-9]{8}T[0-9]{6}\.[0-9]{3}Z$ ]] || stamp="$(date -u +%Y%m%dT%H%M%S.000Z)"
target="$dir/quiz-$stamp.dump"
[[ ! -e "$target" ]] || die "$target exists already"
partial="$dir/.quiz-$stamp.dump.partial"
trap 'rm -f "$partial"' EXIT

echo "Backing up $pg_shown ..."
started=$SECONDS
pg_dump --format=custom --no-password --file="$partial" --dbname="$pg_uri" \
  || die "pg_dump of $pg_shown failed; no backup written"
listing="$(pg_restore --list "$partial")" \
  || die "the dump of $pg_shown does not read back (pg_restore --list failed); no backup written"
entries="$(grep -c -v '^;' <<< "$listing" || true)"
mv "$partial" "$target"
bytes="$(wc -c < "$target" | tr -d ' ')"
echo "Wrote $target ($bytes bytes, $entries entries) in $((SECONDS - started)) s"

if ((keep > 0)); then
  # Only this script's own names (quiz-<UTC stamp>.dump): a hand-named dump is neither counted nor removed.
  mapfile -t old < <(find "$dir" -maxdepth 1 -type f -name 'quiz-*.dump' \
    | grep -E '/quiz-[0-9]{8}T[0-9]{6}\.[0-9]{3}Z\.dump$' | LC_ALL=C sort -r | tail -n +"$((keep + 1))")
  for file in "${old[@]}"; do
    rm -f -- "$file"
    echo "Removed $file (keeping the newest $keep)"
  done
fi

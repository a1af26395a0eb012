# Shared by pg-backup.sh and pg-restore.sh (sourced, not run): where the database is, and how to
# reach it without a password on any command line or in any output.

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

need_command() {
  command -v "$1" >/dev/null 2>&1 \
    || die "$1 not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)"
}

# The value of VARIABLE in FILE (a stores.env written by StoresMain: VARIABLE=value lines). The file
# is read, never sourced.
env_file_value() {
  local file="$1" variable="$2"
  [[ -r "$file" ]] || die "cannot read $file"
  sed -n "s/^${variable}=//p" "$file" | tail -n 1
}

# Splits a postgresql:// URI into pg_uri (the same URI without its password), pg_password (decoded,
# or empty) and pg_shown (pg_uri, safe to print). libpq reads the password from PGPASSWORD, so it is
# neither in the process list nor in any message.
parse_postgres_uri() {
  local uri="$1" scheme rest userinfo hostpart user password
  [[ "$uri" =~ ^(postgres|postgresql)://(.*)$ ]] || die "not a PostgreSQL URI (postgresql://user@host:port/db): ${uri%%://*}://..."
  scheme="${BASH_REMATCH[1]}"
  rest="${BASH_REMATCH[2]}"
  password=""
  if [[ "$rest" == *@* ]]; then
    hostpart="${rest##*@}"
    userinfo="${rest%@*}"
    user="${userinfo%%:*}"
    if [[ "$userinfo" == *:* ]]; then
      password="${userinfo#*:}"
    fi
    pg_uri="$scheme://$user@$hostpart"
  else
    pg_uri="$uri"
  fi
  if [[ "$pg_uri" == *password=* ]]; then
    die "give the password in the URI's user part (postgresql://user:password@host/db), not as a password= parameter"
  fi
  # Percent-decoding, as libpq would have done with the password inside the URI.
  pg_password="$(printf '%b' "${password//%/\\x}")"
  pg_shown="$pg_uri"
}

# Exports what libpq needs to reach the database parsed by parse_postgres_uri.
use_postgres_password() {
  if [[ -n "$pg_password" ]]; then
    export PGPASSWORD="$pg_password"
  fi
}

# Sourced by bin/fieldbook, bin/fieldbook-backup and bin/fieldbook-restore: reads the settings of an env file.

# read_env_file FILE: exports each KEY=VALUE line of FILE as systemd's EnvironmentFile= reads it: blank lines and
# lines starting with # or ; are skipped, one pair of surrounding quotes is removed, nothing is expanded.
read_env_file() {
    local file="$1" line name value
    [ -r "$file" ] || { echo "$(basename "$0"): cannot read the env file $file" >&2; exit 1; }
    while IFS= read -r line || [ -n "$line" ]; do
        line="${line#"${line%%[![:space:]]*}"}"
        case "$line" in ''|'#'*|';'*) continue ;; esac
        if [[ ! "$line" =~ ^(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
            echo "$(basename "$0"): $file: not a KEY=VALUE line: $line" >&2
            exit 1
        fi
        name="${BASH_REMATCH[2]}"
        value="${BASH_REMATCH[3]}"
        if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
            value="${BASH_REMATCH[1]}"
        fi
        export "$name=$value"
    done < "$file"
}

# env_file_from_arguments "$@": the env file named by --env-file FILE (the first arguments), else
# FIELDBOOK_ENV_FILE, else /etc/fieldbook/fieldbook.env; reads it when it exists (a named one must). Sets
# ENV_FILE_SHIFT to the number of arguments it took.
env_file_from_arguments() {
    local file="${FIELDBOOK_ENV_FILE:-/etc/fieldbook/fieldbook.env}" named="${FIELDBOOK_ENV_FILE:-}"
    ENV_FILE_SHIFT=0
    if [ "${1:-}" = "--env-file" ]; then
        [ $# -ge 2 ] || { echo "$(basename "$0"): --env-file needs a file" >&2; exit 2; }
        file="$2"
        named="$2"
        ENV_FILE_SHIFT=2
    fi
    if [ -e "$file" ]; then
        read_env_file "$file"
    elif [ -n "$named" ]; then
        echo "$(basename "$0"): the env file $file does not exist" >&2
        exit 1
    fi
}

# database_from_settings: the server's database for pg_dump, pg_restore and psql: DATABASE_URI from
# FIELDBOOK_BACKUP_DATABASE (a libpq connection URI) or else SPRING_DATASOURCE_URL (jdbc:postgresql://… with the
# jdbc: taken off), PGUSER and PGPASSWORD from the datasource's unless set.
database_from_settings() {
    local url="${FIELDBOOK_BACKUP_DATABASE:-}"
    if [ -z "$url" ]; then
        case "${SPRING_DATASOURCE_URL:-}" in
            jdbc:postgresql://*) url="${SPRING_DATASOURCE_URL#jdbc:}" ;;
            '') echo "$(basename "$0"): SPRING_DATASOURCE_URL is not set (nor FIELDBOOK_BACKUP_DATABASE)" >&2; exit 1 ;;
            *) echo "$(basename "$0"): only PostgreSQL is backed up by this script; SPRING_DATASOURCE_URL is ${SPRING_DATASOURCE_URL%%;*}" >&2; exit 1 ;;
        esac
    fi
    DATABASE_URI="$url"
    export PGUSER="${PGUSER:-${SPRING_DATASOURCE_USERNAME:-}}"
    export PGPASSWORD="${PGPASSWORD:-${SPRING_DATASOURCE_PASSWORD:-}}"
    [ -n "$PGUSER" ] || unset PGUSER
    [ -n "$PGPASSWORD" ] || unset PGPASSWORD
}

# postgres_tool NAME: the path of a PostgreSQL client program, from FIELDBOOK_PG_BIN when set, else the PATH.
postgres_tool() {
    local tool
    if [ -n "${FIELDBOOK_PG_BIN:-}" ]; then tool="$FIELDBOOK_PG_BIN/$1"; else tool="$(command -v "$1" || true)"; fi
    [ -n "$tool" ] && [ -x "$tool" ] || { echo "$(basename "$0"): $1 not found (install the PostgreSQL client, or set FIELDBOOK_PG_BIN)" >&2; exit 1; }
    echo "$tool"
}

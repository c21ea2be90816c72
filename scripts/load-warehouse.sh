#!/usr/bin/env bash
# load-warehouse.sh: (re)create the reference warehouse and fill it with synthetic children.
# Applies sql/warehouse/*.sql in name order (this DROPS and recreates schemas cms,
# cms_history and cms_asof), pipes `yj-gen` into psql in one transaction, then ANALYZEs.
# Everything after `--` is passed to psql as connection arguments.
set -euo pipefail

usage() {
    cat <<EOF
usage: $0 --gen PATH/TO/yj-gen --seed S --children N [--board-shares] [--dirty [--unmapped]] -- PSQL_CONNECTION_ARGS...

Recreates schemas cms, cms_history, cms_asof (sql/warehouse/*.sql, in name order), creates
the role yj_extract if missing, loads N synthetic children from yj-gen in one transaction,
then runs ANALYZE. Example:
  $0 --gen build/bin/yj-gen --seed 42 --children 300 -- -h /tmp/pg -U yj -d yj
Exit codes: 0 ok, 64 bad command line, otherwise psql's or yj-gen's exit status.
EOF
}

die_usage() {
    echo "load-warehouse: $*" >&2
    usage >&2
    exit 64
}

gen=""
seed=""
children=""
gen_opts=() # passed on to yj-gen
while (($# > 0)); do
    case "$1" in
    -h | --help) usage; exit 0 ;;
    --gen) (($# >= 2)) || die_usage "--gen needs a path"; gen="$2"; shift 2 ;;
    --seed) (($# >= 2)) || die_usage "--seed needs a value"; seed="$2"; shift 2 ;;
    --children) (($# >= 2)) || die_usage "--children needs a value"; children="$2"; shift 2 ;;
    --board-shares) gen_opts+=(--board-shares); shift ;;
    --dirty) gen_opts+=(--dirty); shift ;;
    --unmapped) gen_opts+=(--unmapped); shift ;;
    --) shift; break ;;
    *) die_usage "unknown option '$1'" ;;
    esac
done
[[ -n "$gen" && -n "$seed" && -n "$children" ]] || die_usage "--gen, --seed and --children are required"
[[ -x "$gen" ]] || die_usage "generator '$gen' is not an executable file"
psql_args=("$@")

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sqldir="$here/../sql/warehouse"
shopt -s nullglob
ddl=("$sqldir"/*.sql)
((${#ddl[@]} > 0)) || { echo "load-warehouse: no SQL files in $sqldir" >&2; exit 66; }

start=$SECONDS
for f in "${ddl[@]}"; do
    echo "load-warehouse: applying $(basename "$f")" >&2
    psql -X -v ON_ERROR_STOP=1 -q "${psql_args[@]}" -f "$f"
done

echo "load-warehouse: loading $children children (seed $seed${gen_opts[*]:+, ${gen_opts[*]}})" >&2
"$gen" --seed "$seed" --children "$children" "${gen_opts[@]}" |
    psql -X -v ON_ERROR_STOP=1 -1 -q "${psql_args[@]}"

echo "load-warehouse: analyzing" >&2
psql -X -v ON_ERROR_STOP=1 -q "${psql_args[@]}" -c 'ANALYZE'
echo "load-warehouse: done in $((SECONDS - start)) s" >&2

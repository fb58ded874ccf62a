# Sourced by scripts/bench and scripts/bench-policy-first: sqlite3's own `.import` of the three
# export files (registry, licences, merchants) as issue 16's reference, into tables with primary
# keys. `import_reference DB REGISTRY LICENCES MERCHANTS` makes the tables in DB (a new file) and
# leaves the `.import` commands in the array `import_args`; the caller runs and times
# `sqlite3 DB .mode csv "${import_args[@]}"` its own way.
import_reference() {
    local db=$1 f t cols first key
    shift
    rm -f "$db"
    import_args=()
    for f in "$@"; do
        t=$(basename "$f" .csv | cut -d- -f1)
        cols=$(head -1 "$f" | sed 's/^\xEF\xBB\xBF//' | python3 -c "import sys,csv; print(','.join('\"%s\"'%c for c in next(csv.reader(sys.stdin))))")
        first=$(echo "$cols" | cut -d, -f1)
        # A licence is keyed as the agent keys it: merchant, type and number (with the first two
        # alone, .import refused 6,104 of the 152,083 rows as duplicates and did less than the agent;
        # now it refuses the 696 that list the same licence twice, which the agent stores once).
        [ "$t" = licences ] && key="PRIMARY KEY($first, $(echo "$cols" | cut -d, -f2-3))" || key="PRIMARY KEY($first)"
        sqlite3 "$db" "CREATE TABLE $t($(echo "$cols" | sed 's/,/ TEXT,/g') TEXT, $key);"
        import_args+=(".import --skip 1 '$f' $t")
    done
}

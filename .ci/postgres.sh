# Sourced by .ci/run: a throwaway PostgreSQL cluster for the storage conformance tests (every store test runs on
# SQLite and on PostgreSQL), unless VIGIL_TEST_POSTGRES already names a server. initdb refuses root, so as root the
# cluster runs as the 'postgres' user (the Debian package creates it) or a 'vigil-ci' user made here. It listens on
# a free loopback port with trust auth, in a mktemp folder; an EXIT trap stops it and removes the folder.
if [ -z "${VIGIL_TEST_POSTGRES:-}" ]; then
    pg_bin=""
    for d in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV || true); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then pg_bin=$d; break; fi
    done
    if [ -z "$pg_bin" ]; then
        echo "no initdb/pg_ctl found (apt-get install postgresql): the PostgreSQL store tests will fail" >&2
    else
        pg_dir=$(mktemp -d /tmp/vigil-ci-pg.XXXXXX)
        chmod 700 "$pg_dir"
        if [ "$(id -u)" -eq 0 ]; then
            pg_user=postgres
            if ! id -u "$pg_user" >/dev/null 2>&1; then
                pg_user=vigil-ci
                id -u "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
            fi
            chown "$pg_user" "$pg_dir"
            as_pg() { if command -v runuser >/dev/null 2>&1; then runuser -u "$pg_user" -- "$@"; else su -s /bin/sh "$pg_user" -c "$(printf '%q ' "$@")"; fi; }
        else
            as_pg() { "$@"; }
        fi
        pg_stop() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
        trap pg_stop EXIT
        as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U vigil --auth=trust -E UTF8 --locale=C >"$pg_dir/initdb.log" 2>&1 \
            || { cat "$pg_dir/initdb.log" >&2; echo "initdb failed: the PostgreSQL store tests will fail" >&2; }
        pg_port=""
        for _ in 1 2 3 4 5; do
            port=$((20000 + RANDOM % 40000))
            # Nothing may listen there yet (a refused connect means free).
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
            if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 \
                -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
                start >/dev/null; then
                pg_port=$port
                break
            fi
        done
        if [ -n "$pg_port" ]; then
            export VIGIL_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=vigil;Database=postgres"
            echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the store tests: 127.0.0.1:$pg_port ($pg_dir)"
        else
            tail -n 20 "$pg_dir/log" >&2 2>/dev/null || true
            echo "could not start PostgreSQL: the PostgreSQL store tests will fail" >&2
        fi
    fi
fi

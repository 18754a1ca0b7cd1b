// Checks run by pgx v5 against Eddy (EDDY_URL) and, where a check compares, a real PostgreSQL
// (PG_URL): `pgx-check NAME`. Each prints one JSON line as its result, which
// test/drivers/go.test.ts asserts on; any failure exits non-zero.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

var ctx = context.Background()

func connect(url string) *pgx.Conn {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		fail(err)
	}
	return conn
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// The values one column decoded to, as Go values (type and Go syntax), or the error reading it.
func readColumn(conn *pgx.Conn, column string) []string {
	rows, err := conn.Query(ctx, fmt.Sprintf("SELECT %s FROM fidelity ORDER BY id", column))
	if err != nil {
		return []string{"error: " + err.Error()}
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			return []string{"error: " + err.Error()}
		}
		out = append(out, fmt.Sprintf("%T %#v", values[0], values[0]))
	}
	if err := rows.Err(); err != nil {
		return []string{"error: " + err.Error()}
	}
	return out
}

type mismatch struct {
	Column   string   `json:"column"`
	Eddy     []string `json:"eddy"`
	Postgres []string `json:"postgres"`
}

// Every fidelity column read by pgx's default (binary) decoding from both servers.
func fidelity() any {
	eddy, pg := connect(os.Getenv("EDDY_URL")), connect(os.Getenv("PG_URL"))
	compared, mismatches := 0, []mismatch{}
	for _, column := range strings.Split(os.Getenv("FIDELITY_COLUMNS"), ",") {
		e, p := readColumn(eddy, column), readColumn(pg, column)
		if strings.Join(e, "\n") != strings.Join(p, "\n") {
			mismatches = append(mismatches, mismatch{column, e, p})
		} else if !strings.HasPrefix(e[0], "error: ") {
			compared += len(e)
		}
	}
	return map[string]any{"compared": compared, "mismatches": mismatches}
}

// Scans into pgtype's own types, the ones applications use for exactness.
func pgtypeScan() any {
	conn := connect(os.Getenv("EDDY_URL"))
	var n, n2 pgtype.Numeric
	var iv pgtype.Interval
	var tstz pgtype.Timestamptz
	var jb map[string]any
	var by []byte
	var ai []pgtype.Int4
	var at pgtype.FlatArray[pgtype.Text]
	row := conn.QueryRow(ctx, "SELECT n, n2, iv, tstz, jb, by, ai, at FROM fidelity WHERE id = 1")
	if err := row.Scan(&n, &n2, &iv, &tstz, &jb, &by, &ai, &at); err != nil {
		fail(err)
	}
	var n4 pgtype.Numeric
	var d2 pgtype.Date
	var tstz4 pgtype.Timestamptz
	if err := conn.QueryRow(ctx, "SELECT n, d, tstz FROM fidelity WHERE id = 4").Scan(&n4, &d2, &tstz4); err != nil {
		fail(err)
	}
	n2f, _ := n2.Float64Value()
	return map[string]any{
		"n_nan":    n.NaN,
		"n2":       n2f.Float64,
		"n4":       fmt.Sprintf("%se%d", n4.Int.String(), n4.Exp),
		"iv":       []any{iv.Months, iv.Days, iv.Microseconds},
		"tstz_inf": tstz.InfinityModifier == pgtype.Infinity,
		"tstz4":    tstz4.Time.UTC().Format(time.RFC3339Nano),
		"d4_bc":    d2.Time.Year(),
		"jb":       jb,
		"by":       fmt.Sprintf("%x", by),
		"ai":       fmt.Sprint(ai),
		"at":       fmt.Sprint(at),
	}
}

// CopyFrom (COPY ... FROM STDIN in binary), then the rows read back.
func copyFrom() any {
	conn := connect(os.Getenv("EDDY_URL"))
	if _, err := conn.Exec(ctx, "CREATE TABLE pgx_copy (id int8, name text, amount numeric, at timestamptz, tags text[])"); err != nil {
		fail(err)
	}
	at := time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)
	var rows [][]any
	for i := 0; i < 1000; i++ {
		rows = append(rows, []any{int64(i), fmt.Sprintf("name %d", i), pgtype.Numeric{Int: bigInt(int64(i)*25 + 1), Exp: -2, Valid: true}, at, []string{"a", fmt.Sprint(i)}})
	}
	rows = append(rows, []any{int64(1000), nil, nil, nil, nil})
	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"pgx_copy"}, []string{"id", "name", "amount", "at", "tags"}, pgx.CopyFromRows(rows))
	if err != nil {
		fail(err)
	}
	var count int64
	var sum, last string
	if err := conn.QueryRow(ctx, "SELECT count(*), sum(amount)::text, max(at)::text FROM pgx_copy").Scan(&count, &sum, &last); err != nil {
		fail(err)
	}
	var tags []string
	if err := conn.QueryRow(ctx, "SELECT tags FROM pgx_copy WHERE id = 7").Scan(&tags); err != nil {
		fail(err)
	}
	return map[string]any{"copied": copied, "count": count, "sum": sum, "max_at": last, "tags7": tags}
}

// SendBatch: several statements in one round trip, each with its own result.
func sendBatch() any {
	conn := connect(os.Getenv("EDDY_URL"))
	// pgx prepares every statement of a batch before running any, so the table exists first.
	if _, err := conn.Exec(ctx, "CREATE TABLE pgx_batch (id int, v text)"); err != nil {
		fail(err)
	}
	batch := &pgx.Batch{}
	for i := 1; i <= 3; i++ {
		batch.Queue("INSERT INTO pgx_batch VALUES ($1, $2)", i, fmt.Sprintf("v%d", i))
	}
	batch.Queue("SELECT count(*) FROM pgx_batch")
	batch.Queue("SELECT v FROM pgx_batch WHERE id = $1", 2)
	results := conn.SendBatch(ctx, batch)
	var tags []string
	for i := 0; i < 3; i++ {
		tag, err := results.Exec()
		if err != nil {
			fail(err)
		}
		tags = append(tags, tag.String())
	}
	var count int64
	var v string
	if err := results.QueryRow().Scan(&count); err != nil {
		fail(err)
	}
	if err := results.QueryRow().Scan(&v); err != nil {
		fail(err)
	}
	if err := results.Close(); err != nil {
		fail(err)
	}
	return map[string]any{"tags": tags, "count": count, "v": v}
}

// A statement that waits (a bare SUBSCRIBE) cancelled with pgconn's CancelRequest from another
// goroutine: it ends with 57014 and the connection goes on.
func cancel() any {
	conn := connect(os.Getenv("EDDY_URL"))
	if _, err := conn.Exec(ctx, "CREATE TABLE pgx_cancel (x int)"); err != nil {
		fail(err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		if err := conn.PgConn().CancelRequest(ctx); err != nil {
			fail(err)
		}
	}()
	started := time.Now()
	rows, err := conn.Query(ctx, "SUBSCRIBE pgx_cancel")
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
	}
	elapsed := time.Since(started)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		fail(fmt.Errorf("expected a server error, got %v", err))
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		fail(err)
	}
	return map[string]any{"code": pgErr.Code, "message": pgErr.Message, "elapsed_ms": elapsed.Milliseconds(), "after": one}
}

// Connects with whatever the URL asks (a password for SCRAM, sslmode for TLS) and reports what it got.
func connectOnly() any {
	conn := connect(os.Getenv("EDDY_URL"))
	var v int
	if err := conn.QueryRow(ctx, "SELECT $1::int + 1", 41).Scan(&v); err != nil {
		fail(err)
	}
	_, encrypted := conn.PgConn().Conn().(*tls.Conn)
	return map[string]any{"value": v, "tls": encrypted}
}

func bigInt(v int64) *big.Int { return big.NewInt(v) }

func main() {
	checks := map[string]func() any{
		"fidelity": fidelity, "pgtype": pgtypeScan, "copy-from": copyFrom, "batch": sendBatch, "cancel": cancel, "connect": connectOnly,
	}
	check, ok := checks[os.Args[len(os.Args)-1]]
	if !ok {
		fail(fmt.Errorf("unknown check %q", os.Args[len(os.Args)-1]))
	}
	out, err := json.Marshal(check())
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

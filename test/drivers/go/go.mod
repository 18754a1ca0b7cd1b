module eddy.dev/drivercheck

// go 1.19 so that Debian 12's golang-go builds it too (.ci/run installs that where Go is missing);
// pgx v5.5 is the newest v5 that asks for no newer Go.
go 1.19

require github.com/jackc/pgx/v5 v5.5.5

require (
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20221227161230-091c0ba34f0a // indirect
	golang.org/x/crypto v0.17.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)

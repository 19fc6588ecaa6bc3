package main

// FerretDB 1.24's SQLite backend looks a document up by `_id` with
//
//	WHERE _ferretdb_sjson->'$._id' = ?
//
// but indexes `_id` under another expression (`_ferretdb_sjson->"_id"`), so
// SQLite cannot use that index and every lookup, update or delete by `_id`
// scans the whole table: the cost of a write grows with the collection. The
// indexer adds an index on exactly the expression the lookups use to every
// collection table of every database file, at start and then every few seconds
// (collections are created as documents arrive). It only ever adds indexes;
// FerretDB's own metadata and indexes are untouched.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses
)

const idLookupSuffix = "__thidua_id_lookup"

// indexIDLookups adds the missing lookup indexes in every *.sqlite file of dir
// and returns how many it created.
func indexIDLookups(ctx context.Context, dir string) (int, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return 0, err
	}
	created := 0
	for _, file := range files {
		n, err := indexFile(ctx, file)
		created += n
		if err != nil {
			return created, fmt.Errorf("%s: %w", filepath.Base(file), err)
		}
	}
	return created, nil
}

func indexFile(ctx context.Context, file string) (int, error) {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT t.name FROM sqlite_master t
		WHERE t.type = 'table' AND t.name NOT LIKE '\_ferretdb\_%' ESCAPE '\' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = t.name || ?)`, idLookupSuffix)
	if err != nil {
		return 0, err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return 0, err
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	created := 0
	for _, table := range tables {
		if strings.ContainsRune(table, '"') {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s%s" ON "%s" (_ferretdb_sjson->'$._id')`, table, idLookupSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			if strings.Contains(err.Error(), "no such table") { // dropped meanwhile
				continue
			}
			return created, err
		}
		created++
	}
	return created, nil
}

// keepIDLookupsIndexed runs the indexer now and then every `every` until ctx ends.
func keepIDLookupsIndexed(ctx context.Context, dir string, every time.Duration, logger *slog.Logger) {
	for {
		if n, err := indexIDLookups(ctx, dir); err != nil && ctx.Err() == nil {
			logger.Warn("id lookup indexes", "error", err)
		} else if n > 0 {
			logger.Info("id lookup indexes created", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

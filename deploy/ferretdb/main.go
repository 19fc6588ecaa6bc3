// Command thidua-ferretdb runs an embedded FerretDB 1.x (PostgreSQL or SQLite
// backend) as a MongoDB-wire server for local development and CI, plus a small
// HTTP health endpoint.
//
// Configuration (flags override environment variables):
//
//	-listen  / THIDUA_FERRETDB_ADDR         MongoDB wire address (default 127.0.0.1:27027)
//	-postgresql-url / THIDUA_FERRETDB_POSTGRESQL_URL
//	                                        PostgreSQL backend (postgres://...); when empty, SQLite:
//	-data    / THIDUA_FERRETDB_DATA         SQLite data directory (created if missing)
//	-health  / THIDUA_FERRETDB_HEALTH_ADDR  HTTP health address (default 127.0.0.1:27028; "off" disables)
//	-log-level / THIDUA_FERRETDB_LOG_LEVEL  debug, info, warn or error (default info)
//
// Health endpoints:
//
//	GET /health/live   200 while the process serves HTTP
//	GET /health/ready  200 when the embedded instance is running and its
//	                   wire listener accepts TCP connections, else 503
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

const (
	defaultListenAddr = "127.0.0.1:27027"
	defaultHealthAddr = "127.0.0.1:27028"
)

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func parseLevel(s string) (slog.Level, error) {
	var lvl slog.Level
	err := lvl.UnmarshalText([]byte(strings.TrimSpace(s)))
	return lvl, err
}

// sqliteURL turns a directory into the "file:<abs dir>/" URI FerretDB expects.
func sqliteURL(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	// These characters would be read as URI syntax (query, fragment, escape).
	if strings.ContainsAny(abs, "?#%") {
		return "", fmt.Errorf("data dir %q must not contain '?', '#' or '%%'", abs)
	}
	return "file:" + strings.TrimSuffix(abs, "/") + "/", nil
}

// quietConns lowers FerretDB's per-connection "Connection started/stopped"
// records to DEBUG: every readiness probe and pooled client connection would
// otherwise add two INFO lines.
type quietConns struct{ slog.Handler }

func (h quietConns) Enabled(ctx context.Context, lvl slog.Level) bool {
	// INFO must reach Handle so it can be demoted (or kept) there.
	return h.Handler.Enabled(ctx, lvl) || lvl == slog.LevelInfo
}

func (h quietConns) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelInfo && (r.Message == "Connection started" || r.Message == "Connection stopped") {
		r.Level = slog.LevelDebug
	}
	if !h.Handler.Enabled(ctx, r.Level) {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietConns) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietConns{h.Handler.WithAttrs(attrs)}
}

func (h quietConns) WithGroup(name string) slog.Handler {
	return quietConns{h.Handler.WithGroup(name)}
}

func main() {
	os.Exit(run())
}

func run() int {
	listen := flag.String("listen", envOr("THIDUA_FERRETDB_ADDR", defaultListenAddr), "MongoDB wire listen address (env THIDUA_FERRETDB_ADDR)")
	pgURL := flag.String("postgresql-url", os.Getenv("THIDUA_FERRETDB_POSTGRESQL_URL"), "PostgreSQL backend URL; SQLite when empty (env THIDUA_FERRETDB_POSTGRESQL_URL)")
	dataDir := flag.String("data", os.Getenv("THIDUA_FERRETDB_DATA"), "SQLite data directory, created if missing (env THIDUA_FERRETDB_DATA, required for SQLite)")
	healthAddr := flag.String("health", envOr("THIDUA_FERRETDB_HEALTH_ADDR", defaultHealthAddr), `HTTP health listen address, "off" to disable (env THIDUA_FERRETDB_HEALTH_ADDR)`)
	logLevel := flag.String("log-level", envOr("THIDUA_FERRETDB_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env THIDUA_FERRETDB_LOG_LEVEL)")
	flag.Parse()

	lvl, err := parseLevel(*logLevel)
	if err != nil {
		fmt.Fprintf(os.Stderr, "thidua-ferretdb: bad log level %q: %v\n", *logLevel, err)
		return 2
	}
	logger := slog.New(quietConns{slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl})})
	slog.SetDefault(logger)

	config := ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: *pgURL,
	}
	if *pgURL == "" {
		if *dataDir == "" {
			logger.Error("a backend is required: set THIDUA_FERRETDB_POSTGRESQL_URL or THIDUA_FERRETDB_DATA")
			return 2
		}
		if err := os.MkdirAll(*dataDir, 0o755); err != nil {
			logger.Error("cannot create data directory", "dir", *dataDir, "error", err)
			return 1
		}
		dbURL, err := sqliteURL(*dataDir)
		if err != nil {
			logger.Error("bad data directory", "error", err)
			return 2
		}
		config = ferretdb.Config{Listener: config.Listener, Logger: logger, Handler: "sqlite", SQLiteURL: dbURL}
	}
	sqliteDir := ""
	if config.Handler == "sqlite" {
		sqliteDir = *dataDir
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// Binds the wire listener and opens the backend; fails fast on a busy port.
	fdb, err := ferretdb.New(&config)
	if err != nil {
		logger.Error("cannot start FerretDB", "error", err)
		return 1
	}

	uri := fdb.MongoDBURI()
	wireAddr := *listen
	if u, err := url.Parse(uri); err == nil && u.Host != "" {
		wireAddr = u.Host // the actually bound address (matters for port 0)
	}

	if sqliteDir != "" {
		go keepIDLookupsIndexed(ctx, sqliteDir, 3*time.Second, logger)
	}

	var running atomic.Bool
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		running.Store(true)
		defer running.Store(false)
		if err := fdb.Run(ctx); err != nil {
			logger.Error("FerretDB stopped with error", "error", err)
		}
	}()

	var healthSrv *http.Server
	healthErr := make(chan error, 1)
	if *healthAddr != "" && *healthAddr != "off" {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /health/live", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = fmt.Fprintln(w, "ok")
		})
		mux.HandleFunc("GET /health/ready", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			if !running.Load() || ctx.Err() != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = fmt.Fprintln(w, "not running")
				return
			}
			d := net.Dialer{Timeout: time.Second}
			c, err := d.DialContext(r.Context(), "tcp", wireAddr)
			if err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = fmt.Fprintf(w, "wire listener unreachable: %v\n", err)
				return
			}
			_ = c.Close()
			_, _ = fmt.Fprintln(w, "ready")
		})

		ln, err := net.Listen("tcp", *healthAddr)
		if err != nil {
			logger.Error("cannot listen for health endpoint", "addr", *healthAddr, "error", err)
			stop()
			<-runDone
			return 1
		}
		healthSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := healthSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				healthErr <- err
			}
		}()
		logger.Info("health endpoint listening", "addr", ln.Addr().String())
	}

	logger.Info("FerretDB listening", "uri", uri, "backend", config.Handler)

	code := 0
	select {
	case <-ctx.Done():
		logger.Info("shutdown signal received, stopping")
	case err := <-healthErr:
		logger.Error("health endpoint failed", "error", err)
		code = 1
	case <-runDone:
		logger.Error("FerretDB stopped unexpectedly")
		code = 1
	}
	stop() // a second SIGINT/SIGTERM now kills the process the default way

	if healthSrv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = healthSrv.Shutdown(sctx)
		cancel()
	}
	<-runDone // waits for connections to drain and the SQLite backend to close
	logger.Info("stopped")
	return code
}

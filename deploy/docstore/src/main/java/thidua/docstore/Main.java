package thidua.docstore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Starts thidua-docstore: replays the journal into memory, compacts it, serves the MongoDB wire protocol and a
 * health endpoint ({@code /health/live}, {@code /health/ready}: ready once the data is back).
 *
 * <p>Configured by environment: THIDUA_DOCSTORE_DATA (the data directory, required), THIDUA_DOCSTORE_ADDR
 * (127.0.0.1:27027), THIDUA_DOCSTORE_HEALTH_ADDR (127.0.0.1:27028). {@code GET /scans} on the health port lists the
 * queries answered by reading a whole collection (see {@link Scans}); {@code DELETE /scans} also forgets them. {@code GET
 * /reads} counts the documents read to answer the queries indexes served.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        try {
            start();
        } catch (Exception | Error e) {
            // the health server's threads would keep a failed process alive, answering "not ready" for ever
            System.err.println("thidua-docstore: could not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void start() throws Exception {
        String data = System.getenv("THIDUA_DOCSTORE_DATA");
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("THIDUA_DOCSTORE_DATA must name the data directory");
        }
        InetSocketAddress address = address(System.getenv().getOrDefault("THIDUA_DOCSTORE_ADDR", "127.0.0.1:27027"));
        InetSocketAddress health = address(
            System.getenv().getOrDefault("THIDUA_DOCSTORE_HEALTH_ADDR", "127.0.0.1:27028"));

        AtomicBoolean ready = new AtomicBoolean(false);
        HttpServer probe = HttpServer.create(health, 0);
        probe.createContext("/health/live", exchange -> answer(exchange, 200, "live"));
        probe.createContext("/health/ready", exchange -> answer(exchange, ready.get() ? 200 : 503,
            ready.get() ? "ready" : "restoring"));
        probe.createContext("/scans", exchange -> {
            if ("DELETE".equals(exchange.getRequestMethod())) {
                Scans.clear();
            }
            answer(exchange, 200, Scans.json());
        });
        probe.createContext("/reads", exchange -> answer(exchange, 200, Scans.readsJson()));
        probe.start();

        long began = System.nanoTime();
        Path journalPath = Path.of(data).resolve("journal.bin");
        Journal.State state = Journal.replay(journalPath, Main::keyOf);
        long records = state.records;
        long documents = state.databases.values().stream()
            .flatMap(database -> database.values().stream()).mapToLong(c -> c.size()).sum();
        Journal journal = new Journal(journalPath);
        journal.suspend(true);
        DurableBackend backend = new DurableBackend(journal);
        backend.restore(state);
        boolean compacting = state.records > 2 * documents + 10_000 || state.cutShortBytes > 0;
        if (compacting) { // most records are superseded: rewrite the journal as one record per live document
            journal.compact(state);
        }
        journal.suspend(false);
        state = null;
        MongoServer server = new MongoServer(backend);
        server.bind(address);
        ready.set(true);
        System.out.printf("thidua-docstore: %d documents in %d databases restored from %d journal records%s in %d ms; "
                + "serving mongodb://%s:%d/, health on http://%s:%d/health/ready%n",
            documents, backend.listDatabaseNamesForHealth(), records, compacting ? " (compacted)" : "",
            (System.nanoTime() - began) / 1_000_000,
            address.getHostString(), address.getPort(), health.getHostString(), health.getPort());

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ready.set(false);
            server.shutdown();
            try {
                journal.close();
            } catch (IOException e) {
                System.err.println("thidua-docstore: closing the journal: " + e.getMessage());
            }
            probe.stop(0);
        }, "shutdown"));
    }

    /** Documents of the catalogue's index collection have no id: they are told apart whole. */
    static Object keyOf(String collection, Document document) {
        if (collection.equals("system.indexes")) {
            return document;
        }
        if (collection.equals("system.namespaces")) {
            return document.get("name");
        }
        return document.get("_id");
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
        throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }
}

package thidua.docstore;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Every query the server answered by reading a whole collection, by namespace and shape (the filter with its values
 * left out), with how often and how many documents it read. Served as JSON on the health port at {@code /scans}, so
 * that tests can show that each query shape the services issue has an index, as MongoDB would need it.
 */
final class Scans {

    private static final Map<String, LongAdder[]> SEEN = new ConcurrentHashMap<>();
    /** Documents read to answer queries that an index served (a scan's are in its record): {@code /reads}. */
    private static final LongAdder READ = new LongAdder();
    /** Which client is asking, for the command running on this thread (see DurableBackend). */
    static final ThreadLocal<String> APPLICATION = new ThreadLocal<>();
    private static final char SEPARATOR = '\t';

    private Scans() {
    }

    static void record(String namespace, Document query, int documentsRead) {
        String application = APPLICATION.get() == null ? "" : APPLICATION.get();
        LongAdder[] counters = SEEN.computeIfAbsent(namespace + SEPARATOR + application + SEPARATOR + shape(query),
            key -> new LongAdder[] {new LongAdder(), new LongAdder()});
        counters[0].increment();
        counters[1].add(documentsRead);
    }

    /** The filter's fields and operators, values replaced by 1, keys in a stable order. */
    static String shape(Object query) {
        if (query instanceof Document document) {
            StringBuilder out = new StringBuilder("{");
            Map<String, Object> sorted = new TreeMap<>(document);
            for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append('"').append(entry.getKey()).append("\": ").append(shape(entry.getValue()));
            }
            return out.append('}').toString();
        }
        if (query instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(item instanceof Document || item instanceof List<?> ? shape(item) : "1");
            }
            return out.append(']').toString();
        }
        return "1";
    }

    static String json() {
        StringBuilder out = new StringBuilder("[");
        new TreeMap<>(SEEN).forEach((key, counters) -> {
            if (out.length() > 1) {
                out.append(",\n");
            }
            int space = key.indexOf(SEPARATOR);
            int second = key.indexOf(SEPARATOR, space + 1);
            out.append("{\"namespace\": \"").append(escape(key.substring(0, space)))
                .append("\", \"application\": \"").append(escape(key.substring(space + 1, second)))
                .append("\", \"shape\": \"").append(escape(key.substring(second + 1)))
                .append("\", \"count\": ").append(counters[0].sum())
                .append(", \"documents_read\": ").append(counters[1].sum()).append('}');
        });
        return out.append("]\n").toString();
    }

    static void read(long documents) {
        READ.add(documents);
    }

    static String readsJson() {
        return "{\"documents_read\": " + READ.sum() + "}\n";
    }

    static void clear() {
        SEEN.clear();
        READ.reset();
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

package thidua.docstore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.bson.Document;

/** What a query filter fixes by equality, read the way the server's matcher reads it. */
final class Queries {

    /** A field that may hold any of these values ({@code {f: {$in: [...]}}}). */
    record In(List<Object> values) {
    }

    private Queries() {
    }

    /**
     * Field → value for every condition of the filter that is a plain equality ({@code {f: v}} or
     * {@code {f: {$eq: v}}}), or {@link In} for {@code {f: {$in: [plain values]}}}, at the top level or inside a
     * top-level {@code $and}. Regular expressions and other operators are not equalities; a sub-document without
     * operators is (it must match whole).
     */
    static Map<String, Object> equalities(Document query) {
        Map<String, Object> found = new LinkedHashMap<>();
        collect(query, found);
        return found;
    }

    private static void collect(Document query, Map<String, Object> found) {
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            String field = condition.getKey();
            Object value = condition.getValue();
            if (field.equals("$and") && value instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof Document document) {
                        collect(document, found);
                    }
                }
            } else if (!field.startsWith("$")) {
                Object equal = equalValue(value);
                if (equal != NOT_EQUALITY) {
                    found.putIfAbsent(field, equal);
                }
            }
        }
    }

    private static final Object NOT_EQUALITY = new Object();

    private static Object equalValue(Object value) {
        if (value instanceof Pattern || (value != null && value.getClass().getSimpleName().contains("RegularExpression"))) {
            return NOT_EQUALITY;
        }
        if (value instanceof Document document) {
            if (document.keySet().stream().noneMatch(key -> key.startsWith("$"))) {
                return document;
            }
            if (document.size() == 1 && document.containsKey("$eq")) {
                return equalValue(document.get("$eq"));
            }
            if (document.size() == 1 && document.get("$in") instanceof List<?> values && !values.isEmpty()
                && values.stream().allMatch(v -> v != null && !(v instanceof Document) && !(v instanceof List<?>)
                    && !(v instanceof Pattern) && !v.getClass().getSimpleName().contains("RegularExpression"))) {
                return new In(new java.util.ArrayList<>(values));
            }
            return NOT_EQUALITY;
        }
        if (value instanceof List<?>) {
            return NOT_EQUALITY; // an array equality matches arrays and elements alike: leave it to the scan
        }
        return value;
    }

    /**
     * The filter's conditions when every one is a top-level, undotted field equal to a string, a boolean or null
     * (directly or in a top-level {@code $and}); null when any condition is anything else.
     */
    static List<Map.Entry<String, Object>> plainEqualities(Document query) {
        List<Map.Entry<String, Object>> found = new java.util.ArrayList<>();
        return plain(query, found) ? found : null;
    }

    private static boolean plain(Document query, List<Map.Entry<String, Object>> found) {
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            String field = condition.getKey();
            Object value = condition.getValue();
            if (field.equals("$and") && value instanceof List<?> parts) {
                for (Object part : parts) {
                    if (!(part instanceof Document document) || !plain(document, found)) {
                        return false;
                    }
                }
            } else if (field.startsWith("$") || field.contains(".")
                || !(value == null || value instanceof String || value instanceof Boolean)) {
                return false;
            } else {
                found.add(Map.entry(field, value == null ? NULL : value));
            }
        }
        return true;
    }

    /**
     * The equalities of a filter whose every condition is a field (dotted or not) equal to a string, a boolean or
     * null ({@code {f: v}} or {@code {f: {$eq: v}}}, directly or in a top-level {@code $and}): field → value, null
     * given as {@link #NULL}; null when any condition is anything else, or a field is fixed twice.
     */
    static Map<String, Object> equalityFields(Document query) {
        Map<String, Object> fields = new LinkedHashMap<>();
        return equalityFields(query, fields) ? fields : null;
    }

    private static boolean equalityFields(Document query, Map<String, Object> fields) {
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            String field = condition.getKey();
            Object value = condition.getValue();
            if (field.equals("$and") && value instanceof List<?> parts) {
                for (Object part : parts) {
                    if (!(part instanceof Document document) || !equalityFields(document, fields)) {
                        return false;
                    }
                }
                continue;
            }
            if (value instanceof Document operators && operators.size() == 1 && operators.containsKey("$eq")) {
                value = operators.get("$eq");
            }
            if (field.startsWith("$") || !(value == null || value instanceof String || value instanceof Boolean)
                || fields.putIfAbsent(field, value == null ? NULL : value) != null) {
                return false; // another operator, another value, or a field fixed twice (perhaps to two values)
            }
        }
        return true;
    }

    static final Object NULL = new Object();

    /**
     * Whether the document meets every plain equality, as MongoDB's matcher decides it; null when a field holds an
     * array or a sub-document (an element may match, or null may mean "missing inside"): the matcher decides those.
     */
    static Boolean matchesPlain(Document document, List<Map.Entry<String, Object>> conditions) {
        for (Map.Entry<String, Object> condition : conditions) {
            Object held = document.get(condition.getKey());
            if (held instanceof List<?> || held instanceof Document) {
                return null;
            }
            Object wanted = condition.getValue();
            boolean equal = wanted == NULL ? held == null : wanted.equals(held);
            if (!equal) {
                return false;
            }
        }
        return true;
    }

    /** Puts {@code value} at a dotted path, making the sub-documents on the way. */
    static void putPath(Document document, String path, Object value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            document.put(path, value);
            return;
        }
        String head = path.substring(0, dot);
        Object inner = document.get(head);
        if (!(inner instanceof Document)) {
            inner = new Document();
            document.put(head, inner);
        }
        putPath((Document) inner, path.substring(dot + 1), value);
    }
}

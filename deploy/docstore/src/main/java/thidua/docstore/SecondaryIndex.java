package thidua.docstore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique (compound) index: for each leading run of its keys, which documents hold which values. It serves a
 * query whose filter fixes its first key by equality (directly or inside a top-level {@code $and}), and returns the
 * documents that match the longest leading run of keys the query fixes; the query's other conditions, sort, skip and
 * limit are then applied to those documents only. So {@code {tenant, period}} reads one commune's period, whatever the
 * province holds. Range conditions are not served from the index (the documents of the equality prefix are filtered in
 * memory), which keeps the index a map of sets. A sort on the keys that follow the fixed ones is served from the
 * index ({@link #ordered}): the slice is ordered by the values the index holds, without reading a document, and its
 * documents are then read in that order until the page is full, as MongoDB walks an index.
 */
final class SecondaryIndex extends Index<Integer> {

    /** prefix length (1..n) → values of the first keys → positions, ordered so reads are in insertion order. */
    private final List<Map<KeyValue, Set<Integer>>> prefixes = new ArrayList<>();
    private final Map<Integer, Set<KeyValue>> keysOfPosition = new HashMap<>();
    /** The keys some document held an array on the way to, ever (as MongoDB marks an index's multikey paths). */
    private final Set<String> multikey = new HashSet<>();

    SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        for (int i = 0; i < keys.size(); i++) {
            prefixes.add(new HashMap<>());
        }
    }

    @Override
    public Integer getPosition(Document document) {
        return null; // not unique: a document is found by its id index
    }

    /** What an empty array is held as, in place of the elements it has not (MongoDB indexes it as undefined). */
    static final Object EMPTY_ARRAY = new Object() {
        @Override
        public String toString() {
            return "[]";
        }
    };

    /**
     * The document's entries: one per element of an array it holds in a key, as the server's index gives them, and
     * one with {@link #EMPTY_ARRAY} where the array is empty (the server's index gives no entry at all then, which
     * would leave the document out of every slice, even of the keys before it, and unfound when it is removed).
     */
    @Override
    public Set<KeyValue> getKeyValues(Document document) {
        Set<KeyValue> values = super.getKeyValues(document);
        return values.isEmpty() ? super.getKeyValues(withEmptyArraysMarked(document)) : values;
    }

    private Document withEmptyArraysMarked(Document document) {
        Document marked = document.clone();
        for (String key : keys()) {
            String[] path = key.split("\\.");
            Document at = marked;
            for (int i = 0; i < path.length && at != null; i++) {
                Object value = at.get(path[i]);
                if (value instanceof java.util.Collection<?> array && array.isEmpty()) {
                    at.put(path[i], EMPTY_ARRAY);
                    break;
                }
                if (value instanceof Document inner && i < path.length - 1) {
                    Document copy = inner.clone();
                    at.put(path[i], copy);
                    at = copy;
                } else {
                    at = null;
                }
            }
        }
        return marked;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Integer> collection) {
        // values may repeat; but keys the index cannot hold (parallel arrays) must refuse the write before it is made
        getKeyValues(document);
    }

    @Override
    public void add(Document document, Integer position, MongoCollection<Integer> collection) {
        Set<KeyValue> values = getKeyValues(document);
        markArrays(document);
        keysOfPosition.put(position, values);
        for (KeyValue value : values) {
            for (int length = 1; length <= value.size(); length++) {
                prefixes.get(length - 1).computeIfAbsent(prefix(value, length), k -> new TreeSet<>()).add(position);
            }
        }
    }

    @Override
    public Integer remove(Document document) {
        // The collection asks every index for the document's position; ours is found by the values it was added with.
        Set<KeyValue> values = getKeyValues(document);
        Integer position = positionOf(values, document);
        if (position == null) {
            return null;
        }
        forget(position);
        return position;
    }

    /**
     * The position holding this document among those with the same index values: the collection removes the very
     * instance it stores, so a first pass compares references only (cheap, where a whole commune's period may share
     * the values); a second pass compares contents, for a caller that passed a copy.
     */
    private Integer positionOf(Set<KeyValue> values, Document document) {
        for (Identity test : new Identity[] {identical, identity}) {
            for (KeyValue value : values) {
                Set<Integer> candidates = prefixes.get(value.size() - 1).get(value);
                if (candidates == null) {
                    continue;
                }
                for (Integer position : candidates) {
                    if (test.at(position, document) && values.equals(keysOfPosition.get(position))) {
                        return position;
                    }
                }
            }
        }
        return null;
    }

    /** Set by the collection: whether the document stored at a position is this one. */
    interface Identity {
        boolean at(Integer position, Document document);
    }

    private Identity identity = (position, document) -> true;
    private Identity identical = (position, document) -> false;

    void identifiedBy(Identity identical, Identity identity) {
        this.identical = identical;
        this.identity = identity;
    }

    private void forget(Integer position) {
        Set<KeyValue> values = keysOfPosition.remove(position);
        if (values == null) {
            return;
        }
        for (KeyValue value : values) {
            for (int length = 1; length <= value.size(); length++) {
                KeyValue key = prefix(value, length);
                Set<Integer> positions = prefixes.get(length - 1).get(key);
                if (positions != null) {
                    positions.remove(position);
                    if (positions.isEmpty()) {
                        prefixes.get(length - 1).remove(key);
                    }
                }
            }
        }
    }

    @Override
    public boolean canHandle(Document query) {
        return !fixedPrefixes(query).isEmpty();
    }

    @Override
    public Iterable<Integer> getPositions(Document query) {
        List<KeyValue> fixed = fixedPrefixes(query);
        if (fixed.isEmpty()) {
            throw new IllegalStateException("the index cannot serve " + query);
        }
        Set<Integer> positions = new TreeSet<>();
        for (KeyValue prefix : fixed) {
            Set<Integer> found = prefixes.get(prefix.size() - 1).get(prefix);
            if (found != null) {
                positions.addAll(found);
            }
        }
        return new ArrayList<>(positions);
    }

    /** How many documents hold the values the query fixes: the size of the slice this index would read. */
    int sliceSize(Document query) {
        int size = 0;
        for (KeyValue prefix : fixedPrefixes(query)) {
            Set<Integer> found = prefixes.get(prefix.size() - 1).get(prefix);
            size += found == null ? 0 : found.size();
        }
        return size;
    }

    /**
     * The positions of the slice the query fixes, ordered as {@code orderBy} asks; null when the index cannot give
     * that order: the sort's keys must be the index's keys right after the fixed ones, in the index's directions or
     * all reversed, and each document must hold one value of them (an array would sort by its least or greatest
     * element). Documents equal in every sort key keep the index's order of positions, which is the insertion order.
     */
    List<Integer> ordered(Document query, Document orderBy) {
        Boolean reversed = direction(query, orderBy);
        if (reversed == null) {
            return null;
        }
        List<KeyValue> fixed = fixedPrefixes(query);
        int length = fixed.get(0).size();
        List<IndexKey> keys = getKeys();
        int sortKeys = orderBy.size();
        Set<Integer> slice = new HashSet<>();
        for (KeyValue prefix : fixed) {
            Set<Integer> found = prefixes.get(prefix.size() - 1).get(prefix);
            if (found != null) {
                slice.addAll(found);
            }
        }
        Integer[] positions = slice.toArray(new Integer[0]);
        java.util.Arrays.sort(positions); // the index's order among equal keys: insertion order
        int from = length;
        int to = length + sortKeys;
        Object[][] values = new Object[to - from][positions.length];
        for (int i = 0; i < positions.length; i++) {
            KeyValue value = sortedBy(keysOfPosition.get(positions[i]), fixed, length);
            if (value == null) {
                return null;
            }
            for (int k = from; k < to; k++) {
                if (value.get(k) == EMPTY_ARRAY) {
                    return null; // MongoDB sorts an empty array before null: leave that order to the server's sort
                }
                values[k - from][i] = value.get(k);
            }
        }
        List<Comparator<Object>> comparators = new ArrayList<>();
        for (int k = from; k < to; k++) {
            Comparator<Object> comparator = comparatorOf(values[k - from]);
            comparators.add(keys.get(k).isAscending() ? comparator : comparator.reversed());
        }
        Integer[] order = new Integer[positions.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Comparator<Integer> byIndex = (a, b) -> {
            for (int k = 0; k < comparators.size(); k++) {
                int c = comparators.get(k).compare(values[k][a], values[k][b]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        java.util.Arrays.sort(order, reversed ? byIndex.reversed() : byIndex);
        List<Integer> result = new ArrayList<>(order.length);
        for (Integer i : order) {
            result.add(positions[i]);
        }
        return result;
    }

    /**
     * The one entry of a document's index entries that lies in the fixed slice (a document holding an array in a fixed
     * key has one entry per element, of which the query fixes one); null if none or several do, as when the array is
     * in a sort key, whose order MongoDB takes from the least or greatest element.
     */
    private static KeyValue sortedBy(Set<KeyValue> held, List<KeyValue> fixed, int length) {
        if (held == null) {
            return null;
        }
        if (held.size() == 1) {
            return held.iterator().next();
        }
        KeyValue found = null;
        for (KeyValue value : held) {
            if (fixed.contains(prefix(value, length))) {
                if (found != null) {
                    return null;
                }
                found = value;
            }
        }
        return found;
    }

    /**
     * MongoDB's order of values; the values' own order when they are all of one class that has one (dates, strings,
     * integers: what sort keys hold), which is the same order, several times faster than the general comparison.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Object> comparatorOf(Object[] values) {
        Class<?> kind = values.length == 0 || values[0] == null ? null : values[0].getClass();
        boolean natural = kind != null && (kind == String.class || kind == java.util.Date.class
            || kind == java.time.Instant.class || kind == Integer.class || kind == Long.class);
        for (Object value : values) {
            if (!natural || value == null || value.getClass() != kind) {
                return ValueComparator.asc();
            }
        }
        return (a, b) -> ((Comparable) a).compareTo(b);
    }

    /**
     * Whether the index walks the query's slice in the order {@code orderBy} asks, read from the keys alone: false
     * (not reversed), true (reversed), or null when it cannot.
     */
    Boolean direction(Document query, Document orderBy) {
        if (orderBy == null || orderBy.isEmpty()) {
            return null;
        }
        int length = fixedKeys(query);
        List<IndexKey> keys = getKeys();
        List<String> sortKeys = new ArrayList<>(orderBy.keySet());
        if (length == 0 || length + sortKeys.size() > keys.size()) {
            return null;
        }
        Boolean reversed = null;
        for (int i = 0; i < sortKeys.size(); i++) {
            IndexKey key = keys.get(length + i);
            if (!key.getKey().equals(sortKeys.get(i)) || !(orderBy.get(sortKeys.get(i)) instanceof Number direction)
                || direction.intValue() == 0) {
                return null;
            }
            boolean same = (direction.intValue() > 0) == key.isAscending();
            if (reversed == null) {
                reversed = !same;
            } else if (reversed == same) {
                return null;
            }
        }
        return reversed;
    }

    /** How many leading keys the query fixes (0: none); the collection picks the index that fixes the most. */
    /**
     * Whether these equalities (field → a string, a boolean, or null: see {@link Queries#equalityFields}) are on
     * exactly the index's leading keys, so that the slice holds exactly the documents that match and its size is their
     * count. The index holds a document under each element of an array, as the matcher matches any element, so a
     * string or a boolean is covered on any key; null is covered only on a key no document ever held an array on
     * (null matches a missing field, which the index holds as null, but also an array holding null, and not an empty
     * one).
     */
    boolean covers(Map<String, Object> equalities) {
        List<String> keys = keys();
        int length = 0;
        while (length < keys.size() && equalities.containsKey(keys.get(length))) {
            String key = keys.get(length);
            if (equalities.get(key) == Queries.NULL && multikey.contains(key)) {
                return false;
            }
            length++;
        }
        return length > 0 && length == equalities.size();
    }

    int fixedKeys(Document query) {
        List<KeyValue> fixed = fixedPrefixes(query);
        return fixed.isEmpty() ? 0 : fixed.get(0).size();
    }

    /**
     * The values the query fixes for the index's leading keys, normalised as the index stores them: one prefix for
     * equalities, one per combination where a key is given a few values ({@code $in}); none if the first key is not
     * fixed.
     */
    private List<KeyValue> fixedPrefixes(Document query) {
        Map<String, Object> equalities = Queries.equalities(query);
        List<String> keys = keys();
        List<List<Object>> combinations = new ArrayList<>();
        combinations.add(new ArrayList<>());
        int length = 0;
        while (length < keys.size() && equalities.containsKey(keys.get(length))) {
            Object fixed = equalities.get(keys.get(length));
            List<Object> values = fixed instanceof Queries.In in ? in.values() : List.of(nullable(fixed));
            if (combinations.size() * values.size() > MAX_COMBINATIONS) {
                break;
            }
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> combination : combinations) {
                for (Object value : values) {
                    List<Object> longer = new ArrayList<>(combination);
                    longer.add(value);
                    next.add(longer);
                }
            }
            combinations = next;
            length++;
        }
        if (length == 0) {
            return List.of();
        }
        List<KeyValue> prefixes = new ArrayList<>(combinations.size());
        for (List<Object> combination : combinations) {
            // normalise through the index's own key extraction: a document holding just the fixed values
            Document probe = new Document();
            for (int i = 0; i < keys.size(); i++) {
                Queries.putPath(probe, keys.get(i), i < length ? denull(combination.get(i)) : null);
            }
            Set<KeyValue> values = getKeyValues(probe);
            if (values.size() != 1) {
                return List.of(); // an array given as a value: leave it to the full scan
            }
            prefixes.add(prefix(values.iterator().next(), length));
        }
        return prefixes;
    }

    private static final int MAX_COMBINATIONS = 1000;
    private static final Object NULL = new Object();

    private static Object nullable(Object value) {
        return value == null ? NULL : value;
    }

    private static Object denull(Object value) {
        return value == NULL ? null : value;
    }

    private static KeyValue prefix(KeyValue value, int length) {
        if (length == value.size()) {
            return value;
        }
        List<Object> head = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            head.add(value.get(i));
        }
        return new KeyValue(head);
    }

    @Override
    public long getCount() {
        return keysOfPosition.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Integer> collection) {
        getKeyValues(newDocument); // as checkAdd
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Integer position,
                              MongoCollection<Integer> collection) {
        Set<KeyValue> before = keysOfPosition.get(position);
        Set<KeyValue> after = getKeyValues(newDocument);
        markArrays(newDocument);
        if (after.equals(before)) {
            return;
        }
        forget(position);
        keysOfPosition.put(position, after);
        for (KeyValue value : after) {
            for (int length = 1; length <= value.size(); length++) {
                prefixes.get(length - 1).computeIfAbsent(prefix(value, length), k -> new TreeSet<>()).add(position);
            }
        }
    }

    @Override
    public void drop() {
        prefixes.forEach(Map::clear);
        keysOfPosition.clear();
        multikey.clear();
    }

    /** Marks each key whose path in the document passes through or ends at an array. */
    private void markArrays(Document document) {
        for (String key : keys()) {
            if (multikey.contains(key)) {
                continue;
            }
            Object value = document;
            for (String part : key.split("\\.")) {
                value = value instanceof Document inner ? inner.get(part) : null;
                if (value instanceof java.util.Collection<?>) {
                    multikey.add(key);
                    break;
                }
            }
        }
    }
}

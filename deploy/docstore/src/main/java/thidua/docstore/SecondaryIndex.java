package thidua.docstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique (compound) index: for each leading run of its keys, which documents hold which values. It serves a
 * query whose filter fixes its first key by equality (directly or inside a top-level {@code $and}), and returns the
 * documents that match the longest leading run of keys the query fixes; the query's other conditions, sort, skip and
 * limit are then applied to those documents only. So {@code {tenant, period}} reads one commune's period, whatever the
 * province holds. Range conditions and sorts are not served from the index (the documents of the equality prefix are
 * filtered and sorted in memory), which keeps the index a map of hash sets.
 */
final class SecondaryIndex extends Index<Integer> {

    /** prefix length (1..n) → values of the first keys → positions, ordered so reads are in insertion order. */
    private final List<Map<KeyValue, Set<Integer>>> prefixes = new ArrayList<>();
    private final Map<Integer, Set<KeyValue>> keysOfPosition = new HashMap<>();

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

    @Override
    public void checkAdd(Document document, MongoCollection<Integer> collection) {
        // values may repeat; but keys the index cannot hold (parallel arrays) must refuse the write before it is made
        getKeyValues(document);
    }

    @Override
    public void add(Document document, Integer position, MongoCollection<Integer> collection) {
        Set<KeyValue> values = getKeyValues(document);
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

    private Integer positionOf(Set<KeyValue> values, Document document) {
        for (KeyValue value : values) {
            Set<Integer> candidates = prefixes.get(value.size() - 1).get(value);
            if (candidates == null) {
                continue;
            }
            for (Integer position : candidates) {
                if (values.equals(keysOfPosition.get(position)) && identity.at(position, document)) {
                    return position;
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

    void identifiedBy(Identity identity) {
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

    /** How many leading keys the query fixes (0: none); the collection picks the index that fixes the most. */
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
    }
}

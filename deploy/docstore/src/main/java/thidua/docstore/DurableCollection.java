package thidua.docstore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A collection kept in memory whose every change is journaled before it is acknowledged, and whose queries are served
 * by the index that fixes the most leading keys (the id index for a lone id), so that a query within one commune and
 * period reads that slice only.
 *
 * <p>Each document is kept encoded, as the BSON it arrives in: one byte array a document, decoded when it is read. The
 * superclass's list of documents stays empty (every method that reads it is overridden here). Kept as object graphs
 * (a map a document, an object a value), a 50,000-dossier province was ~100 million objects, which the garbage
 * collector's young collections had to scan from their old-generation references: pauses of tens to hundreds of
 * milliseconds that grew with the province's data and met whatever query was running (ADR 0016).
 */
final class DurableCollection extends MemoryCollection {

    private final Journal journal;
    private String databaseName;
    /** The documents, encoded, by position; null where one was removed (its position is then in {@link #free}). */
    private final ArrayList<byte[]> stored = new ArrayList<>();
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    /** The last document {@link #encodedForComparison} encoded, and its bytes: a removal compares one many times. */
    private Document comparing;
    private byte[] comparingBytes;

    DurableCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                      CursorRegistry cursorRegistry, Journal journal) {
        super(database, collectionName, options, cursorRegistry);
        this.journal = journal;
        this.databaseName = database.getDatabaseName();
    }

    static byte[] encode(Document document) {
        ByteBuf buffer = Unpooled.buffer(512);
        try {
            BsonEncoder.encodeDocument(document, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }

    static Document decode(byte[] bytes) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
        journal.put(databaseName, getCollectionName(), document);
        byte[] bytes = encode(document);
        Integer position = free.poll();
        if (position == null) {
            position = stored.size();
            stored.add(bytes);
        } else {
            stored.set(position, bytes);
        }
        return position;
    }

    /** A fresh copy of the document at the position (what a caller changes is not stored until it is written). */
    @Override
    protected Document getDocument(Integer position) {
        byte[] bytes = position < stored.size() ? stored.get(position) : null;
        return bytes == null ? null : decode(bytes);
    }

    @Override
    protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
        Document oldKey = keyOf(oldDocument);
        if (!oldKey.equals(keyOf(newDocument))) {
            // the journal keys documents by id, or whole where there is none (index descriptions): the old key goes
            journal.delete(databaseName, getCollectionName(), oldKey);
        }
        journal.put(databaseName, getCollectionName(), newDocument);
        stored.set(position, encode(newDocument));
    }

    @Override
    protected void removeDocument(Integer position) {
        journal.delete(databaseName, getCollectionName(), keyOf(getDocument(position)));
        stored.set(position, null);
        free.add(position);
    }

    @Override
    public synchronized int count() {
        return stored.size() - free.size();
    }

    @Override
    public synchronized boolean isEmpty() {
        return count() == 0;
    }

    @Override
    protected Integer findDocumentPosition(Document document) {
        for (int position = 0; position < stored.size(); position++) {
            if (holds(position, document)) {
                return position;
            }
        }
        return null;
    }

    @Override
    protected Stream<DocumentWithPosition<Integer>> streamAllDocumentsWithPosition() {
        return IntStream.range(0, stored.size()).filter(position -> stored.get(position) != null)
            .mapToObj(position -> new DocumentWithPosition<>(decode(stored.get(position)), position));
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        // a scan of the whole collection, in insertion order ($natural: -1 reverses it)
        boolean descending = orderBy != null && orderBy.get("$natural") instanceof Number natural
            && natural.intValue() < 0;
        int size = stored.size();
        Stream<Document> documents = IntStream.range(0, size).map(i -> descending ? size - 1 - i : i)
            .mapToObj(stored::get).filter(java.util.Objects::nonNull).map(DurableCollection::decode);
        return matchDocumentsFromStream(documents, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** Whether the document stored at the position is this one: the same bytes, or else the same contents. */
    private boolean holds(Integer position, Document document) {
        byte[] bytes = position < stored.size() ? stored.get(position) : null;
        if (bytes == null) {
            return false;
        }
        return Arrays.equals(bytes, encodedForComparison(document)) || decode(bytes).equals(document);
    }

    private byte[] encodedForComparison(Document document) {
        if (comparing != document) {
            comparingBytes = encode(document);
            comparing = document;
        }
        return comparingBytes;
    }

    @Override
    public synchronized void drop() {
        journal.dropCollection(databaseName, getCollectionName());
        super.drop();
    }

    @Override
    public synchronized int count(Document query, int skip, int limit) {
        // the superclass reads the indexes here without the collection's lock; ours are plain maps
        return super.count(query, skip, limit);
    }

    @Override
    public synchronized void renameTo(MongoDatabase newDatabase, String newCollectionName) {
        // the documents are journaled under their new name before the old name's are dropped
        String oldDatabase = databaseName;
        String oldName = getCollectionName();
        queryAllAsStream().forEach(document -> journal.put(newDatabase.getDatabaseName(), newCollectionName, document));
        journal.dropCollection(oldDatabase, oldName);
        super.renameTo(newDatabase, newCollectionName);
        databaseName = newDatabase.getDatabaseName();
    }

    @Override
    public synchronized void dropIndex(String indexName) {
        super.dropIndex(indexName); // under the lock: a query may be reading the index's maps
    }

    @Override
    public synchronized void addIndex(Index<Integer> index) {
        if (index instanceof SecondaryIndex secondary) {
            // a document being removed was read from its position, so its bytes are those stored there
            secondary.identifiedBy((position, document) -> {
                byte[] bytes = position < stored.size() ? stored.get(position) : null;
                return bytes != null && Arrays.equals(bytes, encodedForComparison(document));
            }, this::holds);
        }
        super.addIndex(index);
    }

    /** The document's key in the journal: its id, or the whole document where the collection has no ids. */
    private Document keyOf(Document document) {
        String idField = getIdField();
        return idField == null ? document : new Document(idField, document.get(idField));
    }

    /**
     * How many documents match the filter, read through the index whose slice is smallest; -1 when no index serves
     * it (the aggregation then reads the collection, and the scan is reported). A filter made only of equalities of
     * fields to strings, booleans or null (how scoped queries are written) that are all the index's leading keys is
     * counted without reading a document (see {@link SecondaryIndex#covers}); one of top-level equalities to strings, booleans or null is tested on each document of
     * the slice directly; any other is tested by the server's matcher.
     */
    synchronized long countMatching(Document query) {
        if (query.isEmpty()) {
            return count(); // every document: none is read
        }
        Map<String, Object> equal = Queries.equalityFields(query);
        SecondaryIndex best = null;
        long smallest = Long.MAX_VALUE;
        for (Index<Integer> index : getIndexes()) {
            if (index instanceof SecondaryIndex secondary && secondary.fixedKeys(query) > 0) {
                if (equal != null && secondary.covers(equal)) {
                    return secondary.sliceSize(query); // every condition fixes one of its leading keys: the count
                }
                long size = secondary.sliceSize(query);
                if (size < smallest) {
                    best = secondary;
                    smallest = size;
                }
            }
        }
        if (best == null) {
            return -1;
        }
        List<Map.Entry<String, Object>> plain = Queries.plainEqualities(query);
        long matching = 0;
        for (Integer position : best.getPositions(query)) {
            Document document = getDocument(position);
            if (document == null) {
                continue;
            }
            Scans.read(1);
            Boolean fast = plain == null ? null : Queries.matchesPlain(document, plain);
            if (fast != null ? fast : documentMatchesQuery(document, query)) {
                matching++;
            }
        }
        return matching;
    }

    /** The leading {@code $match} of an aggregation running on this thread, by collection (see DurableDatabase). */
    static final ThreadLocal<Document> AGGREGATING = new ThreadLocal<>();

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        Document aggregating = AGGREGATING.get();
        if (query.isEmpty() && aggregating != null && getCollectionName().equals(aggregating.get("collection"))) {
            AGGREGATING.remove(); // only the pipeline's own first read: a $lookup of the same collection reads it all
            // An aggregation reads the whole collection and then applies its $match: give it the documents that
            // match already (its $match filters them again, to the same result), read through the indexes.
            query = (Document) aggregating.get("match");
        }
        List<Index<Integer>> indexes = getIndexes();
        Object id = getIdField() == null ? null : Queries.equalities(query).get(getIdField());
        if (id != null && !(id instanceof Document)) {
            // documents fixed by their ids, whatever else the filter says ({_id, tenant}): lookups, then the filter
            for (Index<Integer> index : indexes) {
                if (index.isUnique() && index.getKeys().size() == 1
                    && index.getKeys().get(0).getKey().equals(getIdField())) {
                    List<Object> ids = id instanceof Queries.In in ? in.values() : List.of(id);
                    java.util.Set<Integer> positions = new java.util.TreeSet<>();
                    for (Object one : ids) {
                        index.getPositions(new Document(getIdField(), one)).forEach(positions::add);
                    }
                    return matchDocuments(query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
                }
            }
        }
        for (Index<Integer> index : indexes) {
            if (index.isUnique() && index.canHandle(query)) {
                return matchDocuments(query, index.getPositions(query), orderBy, numberToSkip, limit, batchSize,
                    fieldSelector);
            }
        }
        // The plan that reads the fewest documents: an index's slice costs its size; a slice the index gives in the
        // sort's order costs the documents up to the end of the page (plus a little for ordering the slice's values).
        SecondaryIndex best = null;
        boolean inIndexOrder = false;
        long cost = Long.MAX_VALUE;
        for (Index<Integer> index : indexes) {
            if (index instanceof SecondaryIndex secondary && secondary.fixedKeys(query) > 0) {
                long size = secondary.sliceSize(query);
                boolean walks = limit > 0 && secondary.direction(query, orderBy) != null;
                long readCost = walks ? Math.min(size, (long) numberToSkip + limit) + size / 50 : size;
                if (readCost < cost) {
                    best = secondary;
                    inIndexOrder = walks;
                    cost = readCost;
                }
            }
        }
        List<Integer> bestOrder = inIndexOrder ? best.ordered(query, orderBy) : null;
        if (bestOrder != null) {
            java.util.stream.Stream<Document> inOrder = bestOrder.stream().map(this::getDocument)
                .filter(java.util.Objects::nonNull).peek(read -> Scans.read(1));
            return matchDocumentsFromStream(query, inOrder, numberToSkip, limit, batchSize, null, fieldSelector);
        }
        if (best != null) {
            Iterable<Integer> slice = best.getPositions(query);
            if (slice instanceof java.util.Collection<?> positions) {
                Scans.read(positions.size());
            }
            return matchDocuments(query, slice, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        if (!getCollectionName().startsWith("system.")) {
            Scans.record(getFullName(), query, count());
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }
}

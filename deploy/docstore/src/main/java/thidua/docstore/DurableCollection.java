package thidua.docstore;

import java.util.List;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A collection kept in memory whose every change is journaled before it is acknowledged, and whose queries are served
 * by the index that fixes the most leading keys (the id index for a lone id), so that a query within one commune and
 * period reads that slice only.
 */
final class DurableCollection extends MemoryCollection {

    private final Journal journal;
    private String databaseName;

    DurableCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                      CursorRegistry cursorRegistry, Journal journal) {
        super(database, collectionName, options, cursorRegistry);
        this.journal = journal;
        this.databaseName = database.getDatabaseName();
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
        journal.put(databaseName, getCollectionName(), document);
        return super.addDocumentInternal(document);
    }

    @Override
    protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
        Document oldKey = keyOf(oldDocument);
        if (!oldKey.equals(keyOf(newDocument))) {
            // the journal keys documents by id, or whole where there is none (index descriptions): the old key goes
            journal.delete(databaseName, getCollectionName(), oldKey);
        }
        journal.put(databaseName, getCollectionName(), newDocument);
        super.handleUpdate(position, oldDocument, newDocument);
    }

    @Override
    protected void removeDocument(Integer position) {
        journal.delete(databaseName, getCollectionName(), keyOf(getDocument(position)));
        super.removeDocument(position);
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
            secondary.identifiedBy((position, document) -> {
                Document stored = getDocument(position);
                return stored == document || (stored != null && stored.equals(document));
            });
        }
        super.addIndex(index);
    }

    /** The document's key in the journal: its id, or the whole document where the collection has no ids. */
    private Document keyOf(Document document) {
        String idField = getIdField();
        return idField == null ? document : new Document(idField, document.get(idField));
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
        SecondaryIndex best = null;
        int fixed = 0;
        for (Index<Integer> index : indexes) {
            if (index instanceof SecondaryIndex secondary) {
                int keys = secondary.fixedKeys(query);
                if (keys > fixed) {
                    best = secondary;
                    fixed = keys;
                }
            }
        }
        if (best != null) {
            return matchDocuments(query, best.getPositions(query), orderBy, numberToSkip, limit, batchSize,
                fieldSelector);
        }
        if (!getCollectionName().startsWith("system.")) {
            Scans.record(getFullName(), query, count());
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }
}

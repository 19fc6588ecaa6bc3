package thidua.docstore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.IndexNotFoundException;

/**
 * A database whose collections are durable and whose non-unique indexes exist. When opened at start, its collections
 * come back with the documents the journal held; the server's own catalogue collections (system.namespaces,
 * system.indexes) are among them, so collections and their indexes are re-created as they were.
 */
final class DurableDatabase extends MemoryDatabase {

    /** What a database being opened needs before its constructor returns (the superclass opens collections in it). */
    record Opening(Journal journal, Map<String, LinkedHashMap<Object, Document>> restored) {
    }

    static final ThreadLocal<Opening> OPENING = new ThreadLocal<>();
    static final int FIRST_BATCH = 101;

    private final Journal journal;

    DurableDatabase(String databaseName, CursorRegistry cursorRegistry, Journal journal) {
        super(databaseName, cursorRegistry);
        this.journal = journal;
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
        // The superclass's constructor opens collections before this class's fields are set: those come from OPENING.
        Opening opening = OPENING.get();
        DurableCollection collection = new DurableCollection(this, collectionName, options, cursorRegistry,
            opening != null ? opening.journal() : journal);
        LinkedHashMap<Object, Document> documents = opening == null || opening.restored() == null ? null
            : opening.restored().remove(collectionName);
        if (documents != null) {
            for (Document document : documents.values()) {
                collection.addDocument(document);
            }
        }
        return collection;
    }

    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
                                  Oplog oplog) {
        if (command.equalsIgnoreCase("find") && !(query.get("batchSize") instanceof Number size && size.intValue() > 0)
            && !Boolean.TRUE.equals(query.get("singleBatch"))) {
            // Like MongoDB, a first batch of 101 documents and the rest by getMore: the superclass answers every match
            // at once, and a reply over the wire's 48 MB limit is refused by the driver (a province's scores did).
            query = new Document(query);
            query.put("batchSize", FIRST_BATCH);
        }
        if (command.equalsIgnoreCase("dropIndexes") || command.equalsIgnoreCase("deleteIndexes")) {
            return dropIndexes(channel, command, query, databaseResolver, oplog);
        }
        if (!command.equalsIgnoreCase("aggregate") || !(query.get("pipeline") instanceof List<?> pipeline)
            || pipeline.isEmpty() || !(pipeline.get(0) instanceof Document first)
            || !(first.get("$match") instanceof Document match) || !(query.get("aggregate") instanceof String name)) {
            return super.handleCommand(channel, command, query, databaseResolver, oplog);
        }
        Document counted = countOf(name, match, pipeline);
        if (counted != null) {
            return counted;
        }
        DurableCollection.AGGREGATING.set(new Document("collection", name).append("match", match));
        try {
            return super.handleCommand(channel, command, query, databaseResolver, oplog);
        } finally {
            DurableCollection.AGGREGATING.remove();
        }
    }

    private static final Document COUNT_GROUP = new Document("_id", 1).append("n", new Document("$sum", 1));

    /**
     * The answer to PyMongo's {@code count_documents} ({@code $match}, then {@code $skip} and {@code $limit} if given,
     * then {@code $group} of everything into {@code n}) counted through the collection's indexes
     * ({@link DurableCollection#countMatching}) instead of building every matching document into the pipeline; null
     * for any other pipeline.
     */
    private Document countOf(String collectionName, Document match, List<?> pipeline) {
        if (pipeline.size() < 2 || pipeline.size() > 4
            || !(pipeline.get(pipeline.size() - 1) instanceof Document last) || last.size() != 1
            || !COUNT_GROUP.equals(last.get("$group"))) {
            return null;
        }
        long skip = 0;
        long limit = 0;
        for (Object stage : pipeline.subList(1, pipeline.size() - 1)) {
            if (!(stage instanceof Document step) || step.size() != 1) {
                return null;
            }
            if (step.get("$skip") instanceof Number n && skip == 0 && limit == 0) {
                skip = n.longValue();
            } else if (step.get("$limit") instanceof Number n && limit == 0) {
                limit = n.longValue();
            } else {
                return null;
            }
        }
        MongoCollection<?> collection = resolveCollection(collectionName, false);
        long matching = collection instanceof DurableCollection durable ? durable.countMatching(match) : 0;
        if (matching < 0) {
            return null;
        }
        long counted = Math.max(0, matching - skip);
        if (limit > 0) {
            counted = Math.min(counted, limit);
        }
        List<Document> batch = counted == 0 ? List.of() : List.of(new Document("_id", 1).append("n", (int) counted));
        Document cursor = new Document("id", 0L).append("ns", getDatabaseName() + "." + collectionName)
            .append("firstBatch", batch);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    /**
     * The superclass drops an index given by name, or all of them ("*"), by matching index descriptions of the whole
     * database, so an index of the same name on another collection lost its description (and, once journaled, the
     * index at the next start). Here each index of this collection is dropped by its keys, which match this
     * collection's description only.
     */
    private Document dropIndexes(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
                                 Oplog oplog) {
        Object asked = query.get("index");
        if (!(asked instanceof String name) || !(query.get(command) instanceof String collectionName)) {
            return super.handleCommand(channel, command, query, databaseResolver, oplog);
        }
        MongoCollection<?> collection = resolveCollection(collectionName, false);
        if (collection == null) {
            return super.handleCommand(channel, command, query, databaseResolver, oplog);
        }
        List<Document> keys = new ArrayList<>();
        for (Index<?> index : ((DurableCollection) collection).getIndexes()) {
            boolean primary = index.getName().equals("_id_");
            if (name.equals("*") ? !primary : index.getName().equals(name)) {
                keys.add((Document) index.toIndexDescription().get("key"));
            }
        }
        if (keys.isEmpty() && !name.equals("*")) {
            throw new IndexNotFoundException("index not found with name [" + name + "]");
        }
        Document answer = null;
        for (Document key : keys) {
            Document one = new Document(query);
            one.put("index", key);
            answer = super.handleCommand(channel, command, one, databaseResolver, oplog);
        }
        return answer != null ? answer : super.handleCommand(channel, command, query, databaseResolver, oplog);
    }

    @Override
    protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
        return new SecondaryIndex(indexName, keys, sparse);
    }
}

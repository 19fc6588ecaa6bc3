package thidua.docstore;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/** The in-memory backend with durable databases, restored from the journal's state at start. */
final class DurableBackend extends MemoryBackend {

    /** MongoDB 5.0's wire version: what current drivers accept, and what the server implements of it. */
    static final MongoVersion VERSION = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(5, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 13;
        }
    };

    /** The application name a client gave in its handshake (PyMongo's `appname`), kept with its connection. */
    private static final AttributeKey<String> APPLICATION = AttributeKey.valueOf("thidua.application");

    /** Documents a getMore answers when the client names no batch size (MongoDB answers up to 16 MB). */
    static final int NEXT_BATCH = 500;

    private final Journal journal;
    private Journal.State restoring;

    DurableBackend(Journal journal) {
        this.journal = journal;
        version(VERSION);
    }

    /** Opens every database the journal held, with its collections, documents and indexes. */
    void restore(Journal.State state) {
        restoring = state;
        try {
            for (String name : new ArrayList<>(state.databases.keySet())) {
                resolveDatabase(name);
            }
        } finally {
            restoring = null;
        }
    }

    @Override
    public DurableDatabase openOrCreateDatabase(String databaseName) {
        var restored = restoring == null ? null : restoring.databases.get(databaseName);
        DurableDatabase.OPENING.set(new DurableDatabase.Opening(journal,
            restored == null ? null : new java.util.LinkedHashMap<>(restored)));
        try {
            return new DurableDatabase(databaseName, getCursorRegistry(), journal);
        } finally {
            DurableDatabase.OPENING.remove();
        }
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (command.equalsIgnoreCase("ismaster") || command.equalsIgnoreCase("hello")) {
            if (query.get("client") instanceof Document client && client.get("application") instanceof Document app
                && app.get("name") instanceof String name) {
                channel.attr(APPLICATION).set(name);
            }
        }
        if (command.equalsIgnoreCase("getMore") && !(query.get("batchSize") instanceof Number size && size.intValue() > 0)) {
            query = new Document(query); // the superclass refuses a getMore without a batch size
            query.put("batchSize", NEXT_BATCH);
        }
        Scans.APPLICATION.set(channel.attr(APPLICATION).get());
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            Scans.APPLICATION.remove();
        }
    }

    @Override
    public void dropDatabase(String databaseName) {
        super.dropDatabase(databaseName);
        journal.dropDatabase(databaseName);
    }

    int listDatabaseNamesForHealth() {
        return listDatabaseNames().size();
    }
}

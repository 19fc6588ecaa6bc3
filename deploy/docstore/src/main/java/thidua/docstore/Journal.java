package thidua.docstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The append-only log of every change, written before the change is acknowledged to the client.
 *
 * <p>A record is {@code [int length][byte kind][database][collection][BSON document]}: PUT carries the whole document
 * as it now is, DELETE the document's key (its id, or the whole document in a collection without ids), DROP_COLLECTION
 * and DROP_DATABASE nothing. Replaying the records in order gives the state as last acknowledged. The write reaches the
 * operating system before the server answers, so a process killed at any moment (SIGKILL) loses no acknowledged write;
 * a power loss may lose what the kernel had not yet flushed (at most {@link #FLUSH_EVERY_MS} by the flusher thread).
 * A record cut short by a kill is dropped at replay: its change was never acknowledged.
 */
final class Journal implements AutoCloseable {

    static final byte PUT = 'P';
    static final byte DELETE = 'D';
    static final byte DROP_COLLECTION = 'C';
    static final byte DROP_DATABASE = 'B';
    static final long FLUSH_EVERY_MS = 1000;

    /** What replaying a journal gives: databases, their collections, their documents by key, in insertion order. */
    static final class State {
        final Map<String, Map<String, LinkedHashMap<Object, Document>>> databases = new LinkedHashMap<>();
        long records;
        long cutShortBytes;

        Map<String, LinkedHashMap<Object, Document>> database(String name) {
            return databases.computeIfAbsent(name, n -> new LinkedHashMap<>());
        }
    }

    private final Path path;
    private FileChannel channel;
    private volatile boolean dirty;
    private boolean suspended;
    private final Thread flusher;

    Journal(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(path.getParent());
        this.channel = open(path);
        this.flusher = new Thread(this::flushPeriodically, "journal-flusher");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** While suspended (loading the replayed state into memory) nothing is written. */
    synchronized void suspend(boolean suspended) {
        this.suspended = suspended;
    }

    synchronized void put(String database, String collection, Document document) {
        append(PUT, database, collection, document);
    }

    synchronized void delete(String database, String collection, Document key) {
        append(DELETE, database, collection, key);
    }

    synchronized void dropCollection(String database, String collection) {
        append(DROP_COLLECTION, database, collection, new Document());
    }

    synchronized void dropDatabase(String database) {
        append(DROP_DATABASE, database, "", new Document());
    }

    private void append(byte kind, String database, String collection, Document document) {
        if (suspended) {
            return;
        }
        ByteBuf body = Unpooled.buffer(256);
        try {
            body.writeByte(kind);
            writeString(body, database);
            writeString(body, collection);
            BsonEncoder.encodeDocument(document, body);
            ByteBuffer record = ByteBuffer.allocate(4 + body.readableBytes());
            record.putInt(body.readableBytes());
            body.readBytes(record);
            record.flip();
            while (record.hasRemaining()) {
                channel.write(record);
            }
            dirty = true;
        } catch (IOException e) {
            // Not written means not durable: the change must not be acknowledged, and later ones cannot be trusted.
            throw new JournalFailure("the journal could not be written: " + e.getMessage(), e);
        } finally {
            body.release();
        }
    }

    private static void writeString(ByteBuf out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    private static String readString(ByteBuf in) {
        int length = in.readInt();
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void flushPeriodically() {
        while (true) {
            try {
                Thread.sleep(FLUSH_EVERY_MS);
                if (dirty) {
                    dirty = false;
                    FileChannel current;
                    synchronized (this) {
                        current = channel;
                    }
                    current.force(false);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // the next flush tries again; writes themselves report their own failures
            }
        }
    }

    /** Reads every whole record of the journal at {@code path}; a record cut short at the end is ignored. */
    static State replay(Path path, KeyOf keyOf) throws IOException {
        State state = new State();
        if (!Files.exists(path)) {
            return state;
        }
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = in.size();
            ByteBuffer header = ByteBuffer.allocate(4);
            long position = 0;
            while (position + 4 <= size) {
                header.clear();
                readFully(in, header, position);
                int length = header.getInt(0);
                if (length <= 0 || position + 4 + length > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(in, body, position + 4);
                apply(state, Unpooled.wrappedBuffer(body.array()), keyOf);
                state.records++;
                position += 4 + length;
            }
            state.cutShortBytes = size - position;
        }
        return state;
    }

    private static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of journal");
            }
        }
    }

    private static void apply(State state, ByteBuf record, KeyOf keyOf) {
        byte kind = record.readByte();
        String database = readString(record);
        String collection = readString(record);
        Document document = BsonDecoder.decodeBson(record);
        switch (kind) {
            case PUT -> state.database(database).computeIfAbsent(collection, c -> new LinkedHashMap<>())
                .put(keyOf.key(collection, document), document);
            case DELETE -> {
                LinkedHashMap<Object, Document> documents = state.database(database).get(collection);
                if (documents != null) {
                    documents.remove(keyOf.key(collection, document));
                }
            }
            case DROP_COLLECTION -> state.database(database).remove(collection);
            case DROP_DATABASE -> state.databases.remove(database);
            default -> throw new IllegalStateException("unknown journal record kind " + kind);
        }
    }

    /**
     * Replaces the journal by one that holds only the state's documents (one PUT each), written beside it and moved
     * over it once complete, so a kill during compaction leaves the old journal in place.
     */
    synchronized void compact(State state) throws IOException {
        Path next = path.resolveSibling(path.getFileName() + ".compacting");
        Files.deleteIfExists(next);
        FileChannel previous = channel;
        channel = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean wasSuspended = suspended;
        suspended = false;
        try {
            for (var database : state.databases.entrySet()) {
                for (var collection : database.getValue().entrySet()) {
                    for (Document document : collection.getValue().values()) {
                        append(PUT, database.getKey(), collection.getKey(), document);
                    }
                }
            }
            channel.force(true);
            channel.close();
            Files.move(next, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            suspended = wasSuspended;
        }
        previous.close();
        channel = open(path);
    }

    @Override
    public synchronized void close() throws IOException {
        flusher.interrupt();
        channel.force(true);
        channel.close();
    }

    /** How a collection's documents are told apart: by their id, or whole where the collection has no ids. */
    interface KeyOf {
        Object key(String collection, Document document);
    }

    static final class JournalFailure extends RuntimeException {
        JournalFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

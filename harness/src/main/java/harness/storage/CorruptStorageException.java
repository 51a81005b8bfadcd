package harness.storage;

/**
 * A file of a server's storage is damaged in a way a crash cannot explain, such as a record that
 * fails its checksum with more records after it. The server must not start: starting with less
 * than it stored could make it forget a vote or an entry it acknowledged. Nothing is changed on
 * disk, so nothing more is lost.
 */
public final class CorruptStorageException extends RuntimeException {

    public CorruptStorageException(String message) {
        super(message);
    }
}

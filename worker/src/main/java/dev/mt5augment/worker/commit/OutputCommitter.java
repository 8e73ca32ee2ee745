package dev.mt5augment.worker.commit;

import java.time.Duration;

/**
 * Publishes the records of finished work and commits the consumed offsets.
 *
 * <p>Threading: called only from the consumer thread, which owns both the consumer and the
 * producer (the consume-transform-produce pattern of Kafka transactions; see {@code WorkerLoop}).
 */
public interface OutputCommitter extends AutoCloseable {

    /**
     * @throws RolledBackException   nothing was committed: the caller rewinds and redoes the work
     * @throws FatalCommitException  the producer is unusable; the loop must stop
     */
    void commit(OffsetTracker.Release release) throws RolledBackException;

    /** Flushes nothing further; closes the producer within the timeout. */
    void close(Duration timeout);

    @Override
    default void close() {
        close(Duration.ofSeconds(10));
    }
}

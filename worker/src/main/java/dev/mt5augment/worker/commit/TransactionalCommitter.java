package dev.mt5augment.worker.commit;

import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: the replies and dead letters of the released work and the consumed offsets go in
 * one Kafka transaction ({@code sendOffsetsToTransaction} with the consumer's group metadata, so
 * a zombie from an older group generation is fenced by the group coordinator, KIP-447).
 *
 * <p>A transient error on commit is retried with backoff; any other error aborts the transaction
 * and the caller rewinds (the producer bumps its epoch where the error needs it, KIP-360).
 * Fencing, authorisation and version errors are fatal; so is a producer that keeps failing
 * (see {@code WorkerLoop}'s limit on rollbacks in a row).
 *
 * <p>Threading: consumer thread only; the producer is owned here.
 */
public final class TransactionalCommitter implements OutputCommitter {
    private static final Logger log = LoggerFactory.getLogger(TransactionalCommitter.class);

    private final Producer<byte[], byte[]> producer;
    private final Consumer<?, ?> consumer;
    private final Retry retry;

    /** Takes ownership of a producer with a {@code transactional.id}; calls {@code initTransactions()}. */
    public TransactionalCommitter(Producer<byte[], byte[]> producer, Consumer<?, ?> consumer, Retry retry) {
        this.producer = producer;
        this.consumer = consumer;
        this.retry = retry;
        try {
            retry.executeRunnable(producer::initTransactions);
        } catch (KafkaException e) {
            throw new FatalCommitException("cannot initialise transactions: " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(OffsetTracker.Release release) throws RolledBackException {
        if (release.isEmpty()) return;
        AtomicReference<Exception> sendError = new AtomicReference<>();
        try {
            producer.beginTransaction();
            for (Completion c : release.completions()) {
                for (ProducerRecord<byte[], byte[]> r : c.records()) {
                    producer.send(r, (md, e) -> {
                        if (e != null) sendError.compareAndSet(null, e);
                    });
                }
            }
            producer.sendOffsetsToTransaction(release.offsets(), consumer.groupMetadata());
            retry.executeRunnable(producer::commitTransaction);
        } catch (ProducerFencedException | InvalidProducerEpochException
                 | AuthorizationException | UnsupportedVersionException e) {
            throw new FatalCommitException("transactional producer cannot continue: " + e, e);
        } catch (KafkaException e) {
            Exception cause = sendError.get() != null ? sendError.get() : e;
            abortQuietly();
            throw new RolledBackException("transaction aborted: " + cause, cause);
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new FatalCommitException("transactional producer fenced while aborting: " + e, e);
        } catch (KafkaException e) {
            log.warn("abortTransaction failed (the transaction coordinator will time it out): {}", e.toString());
        }
    }

    @Override
    public void close(Duration timeout) {
        try {
            producer.close(timeout);
        } catch (KafkaException e) {
            log.warn("producer close: {}", e.toString());
        }
    }
}

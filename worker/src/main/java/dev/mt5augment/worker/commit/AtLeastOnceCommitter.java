package dev.mt5augment.worker.commit;

import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once, for clusters without transactions: publish the released replies and dead
 * letters, wait until every one is acknowledged (a failed send is retried with backoff), and only
 * then commit the offsets synchronously. A crash between the two answers a request twice; nothing
 * is lost.
 *
 * <p>Threading: consumer thread only.
 */
public final class AtLeastOnceCommitter implements OutputCommitter {
    private static final Logger log = LoggerFactory.getLogger(AtLeastOnceCommitter.class);

    private final Producer<byte[], byte[]> producer;
    private final Consumer<?, ?> consumer;
    private final Retry retry;

    public AtLeastOnceCommitter(Producer<byte[], byte[]> producer, Consumer<?, ?> consumer, Retry retry) {
        this.producer = producer;
        this.consumer = consumer;
        this.retry = retry;
    }

    @Override
    public void commit(OffsetTracker.Release release) throws RolledBackException {
        if (release.isEmpty()) return;
        try {
            List<ProducerRecord<byte[], byte[]>> pending = new ArrayList<>();
            for (Completion c : release.completions()) pending.addAll(c.records());
            retry.executeRunnable(() -> sendAll(pending));
            retry.executeRunnable(() -> consumer.commitSync(release.offsets()));
        } catch (KafkaException e) {
            throw new RolledBackException("replies or offsets not committed: " + e, e);
        }
    }

    /** Sends what is pending and waits; the records that failed stay in {@code pending} for the retry. */
    private void sendAll(List<ProducerRecord<byte[], byte[]>> pending) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(pending.size());
        for (ProducerRecord<byte[], byte[]> r : pending) futures.add(producer.send(r));
        producer.flush();
        List<ProducerRecord<byte[], byte[]>> failed = new ArrayList<>();
        KafkaException first = null;
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).get();
            } catch (ExecutionException e) {
                failed.add(pending.get(i));
                if (first == null) {
                    first = e.getCause() instanceof KafkaException ke ? ke : new KafkaException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for acknowledgements", e);
            }
        }
        pending.clear();
        pending.addAll(failed);
        if (first != null) {
            log.warn("{} of {} sends failed: {}", failed.size(), futures.size(), first.toString());
            throw first;
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

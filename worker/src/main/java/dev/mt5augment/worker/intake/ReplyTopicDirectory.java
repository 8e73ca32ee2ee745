package dev.mt5augment.worker.intake;

import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;

/**
 * Whether a reply topic a request names exists. Sending to a missing topic would block the
 * producer for {@code max.block.ms} and then abort the transaction, again and again for the same
 * request; so a request naming one is refused at intake instead.
 *
 * <p>The topic list is read with the loop's own consumer and cached: 30 s after a hit, and a
 * miss re-reads the list at most every 2 s (so a topic created a moment ago is found).
 *
 * <p>Threading: consumer thread only (it uses the consumer).
 */
public final class ReplyTopicDirectory implements Predicate<String> {
    private static final long FRESH_NANOS = Duration.ofSeconds(30).toNanos();
    private static final long MISS_REFRESH_NANOS = Duration.ofSeconds(2).toNanos();

    private final Consumer<?, ?> consumer;
    private Set<String> topics = Set.of();
    private long readAtNanos = Long.MIN_VALUE / 2;

    public ReplyTopicDirectory(Consumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    @Override
    public boolean test(String topic) {
        long now = System.nanoTime();
        if (now - readAtNanos > FRESH_NANOS) refresh(now);
        if (topics.contains(topic)) return true;
        if (now - readAtNanos > MISS_REFRESH_NANOS) refresh(now);
        return topics.contains(topic);
    }

    private void refresh(long now) {
        try {
            topics = Set.copyOf(consumer.listTopics(Duration.ofSeconds(5)).keySet());
            readAtNanos = now;
        } catch (KafkaException e) {
            // keep the old list; an unknown topic stays unknown until the next successful read
        }
    }
}

package dev.mt5augment.client;

import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.ResultCodec;
import dev.mt5augment.contracts.messaging.MessageHeaders;
import dev.mt5augment.contracts.result.AugmentResult;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the reply topic on a thread of its own and hands each result to {@link PendingReplies}.
 *
 * <p>Why manual assignment and not a consumer group: many clients may share one reply topic, and
 * each must see the replies to its own requests, which may land on any partition (the worker keys
 * them by request id). In one shared group each client would get only some partitions and miss
 * most of its replies; a group per client would work but costs a join and rebalance at start, and
 * leaves a group behind per client run. So, like Spring's {@code ReplyingKafkaTemplate} with a
 * shared reply topic, the listener assigns itself every partition of the reply topic and starts at
 * its end: no group, no committed offsets, nothing left behind; replies to other clients are read
 * and ignored (reply traffic × clients is the cost; a client with heavy traffic can use a reply topic
 * of its own). {@link #positionAtEnd} runs before the first request is sent, so no reply can fall
 * before the starting position. Partitions added to the topic later are picked up every
 * {@code partitionRefresh}, from their beginning.
 *
 * <p>Isolation is {@code read_committed}: workers reply inside transactions, and a reply of an
 * aborted transaction (a worker that died mid-batch) must not complete a request; the redelivered
 * request's reply will.
 *
 * <p>Threading: the consumer is created and positioned by the building thread, then used only by
 * the listener thread; {@link #stop()} may be called from any thread.
 */
final class ReplyListener implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReplyListener.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(500);

    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final ResultCodec codec;
    private final PendingReplies pending;
    private final Duration partitionRefresh;
    private final Consumer<Throwable> onFatal;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean stopping;
    private volatile Thread thread;
    private long nextRefreshNanos;

    ReplyListener(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, String topic, ResultCodec codec,
                  PendingReplies pending, Duration partitionRefresh, Consumer<Throwable> onFatal) {
        this.consumer = consumer;
        this.topic = topic;
        this.codec = codec;
        this.pending = pending;
        this.partitionRefresh = partitionRefresh;
        this.onFatal = onFatal;
    }

    /**
     * Assigns every partition of the reply topic and fixes the position at each one's end (the last
     * stable offset under {@code read_committed}). Called once, on the building thread, before any
     * request is sent.
     */
    void positionAtEnd(List<PartitionInfo> partitions, Duration timeout) {
        for (PartitionInfo p : partitions) assigned.add(new TopicPartition(p.topic(), p.partition()));
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        // seekToEnd is lazy; position() resolves it now, so replies sent from here on are all read.
        for (TopicPartition tp : assigned) consumer.position(tp, timeout);
        nextRefreshNanos = System.nanoTime() + partitionRefresh.toNanos();
    }

    void start(String threadName) {
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive() && !stopping;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) handle(record);
                    refreshPartitionsWhenDue();
                } catch (RetriableException e) {
                    log.warn("reply listener on {}: {}; retrying", topic, e.toString());
                    sleep(RETRY_BACKOFF);
                }
            }
        } catch (WakeupException e) {
            if (!stopping) onFatal.accept(e);
        } catch (KafkaException | IllegalStateException e) {
            log.error("reply listener on {} stopped: {}", topic, e.toString(), e);
            onFatal.accept(e);
        } catch (RuntimeException | Error e) {
            log.error("reply listener on {} failed", topic, e);
            onFatal.accept(e);
            if (e instanceof Error err) throw err;
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.debug("closing the reply consumer: {}", e.toString());
            }
        }
    }

    /** Stops the thread and closes the consumer; waits at most {@code wait}. */
    void stop(Duration wait) {
        stopping = true;
        consumer.wakeup();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (t == null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    boolean isListenerThread() {
        return Thread.currentThread() == thread;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        String correlation = header(record, MessageHeaders.CORRELATION_ID);
        DecodeOutcome<AugmentResult> outcome = codec.decode(record.value());
        if (outcome instanceof DecodeOutcome.Decoded<AugmentResult> decoded) {
            pending.onReply(decoded.value(), correlation);
        } else if (outcome instanceof DecodeOutcome.Rejected<AugmentResult> rejected) {
            String id = rejected.idIfReadable();
            if (id == null && record.key() != null) id = new String(record.key(), StandardCharsets.UTF_8);
            log.debug("unreadable record on {} at {}-{}@{}: {}", topic, record.topic(), record.partition(),
                    record.offset(), rejected.error().message());
            pending.onUnreadableReply(id, correlation, rejected.error());
        }
    }

    private void refreshPartitionsWhenDue() {
        if (System.nanoTime() < nextRefreshNanos) return;
        nextRefreshNanos = System.nanoTime() + partitionRefresh.toNanos();
        List<PartitionInfo> now = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo p : now) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            if (assigned.add(tp)) added.add(tp);
        }
        if (added.isEmpty()) return;
        consumer.assign(assigned);
        // New since the last look, so everything on them came after this client started.
        consumer.seekToBeginning(added);
        log.info("reply topic {} grew: now reading {} partitions", topic, assigned.size());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

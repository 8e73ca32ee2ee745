package dev.mt5augment.client;

import dev.mt5augment.contracts.codec.RequestEncoder;
import dev.mt5augment.contracts.codec.ResultCodec;
import dev.mt5augment.contracts.messaging.MessageHeaders;
import dev.mt5augment.contracts.messaging.TopicNames;
import dev.mt5augment.contracts.messaging.Topics;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.result.AugmentResult;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request/reply over Kafka for mT5 augmentation, shaped like Spring's {@code ReplyingKafkaTemplate}
 * without Spring: {@link #submit} puts a request on the request topic (keyed by its id, with a
 * {@code correlation-id} and a {@code reply-topic} header) and returns a future that the worker's
 * result completes.
 *
 * <pre>{@code
 * try (AugmentClient client = AugmentClient.builder().bootstrapServers("localhost:9092").build()) {
 *     AugmentResult r = client.call(AugmentRequest.builder().id(client.newRequestId()).text("今天天气很好").build());
 *     System.out.println(r.augmentedTexts());
 * }
 * }</pre>
 *
 * <p><b>How a request ends.</b> Exactly one of: the worker's result (also when its status is
 * {@code error}: the future completes normally, check {@link AugmentResult#isOk()}); an
 * {@link AugmentTimeoutException} after the timeout, counted from {@code submit} once a slot is held;
 * a {@link RequestSendException}; an {@link UnreadableReplyException}; a
 * {@link ClientClosedException} when the client closes first. Replies are matched by request id and,
 * when the reply carries one, by the {@code correlation-id} header this client set (unique per
 * submission), so a late reply to an earlier attempt with the same id never completes a retry.
 * Duplicate replies (a worker redelivery) are ignored. Cancelling the returned future abandons the
 * request: its slot is freed, and its reply, if one comes, is ignored.
 *
 * <p><b>Back-pressure.</b> At most {@code maxInFlight} requests await replies. When all slots are
 * taken, {@link InFlightPolicy#BLOCK} makes {@code submit} wait (at most {@code maxBlock}) and
 * {@link InFlightPolicy#FAIL_FAST} fails at once with {@link InFlightLimitException}.
 *
 * <p><b>Threading.</b> Every method is thread-safe; one client serves a whole application. The
 * futures are completed on the client's threads: the reply listener (results), the timeout thread
 * (timeouts) or the producer's network thread (send failures). Keep dependent stages short, or use
 * the {@code ...Async} variants with your own executor: a slow stage delays every other reply. A
 * {@code submit} from the reply listener's thread never blocks for a slot (it fails fast instead),
 * as it would wait for a slot only that thread can free. {@code submit} itself may block the caller:
 * for a slot ({@code BLOCK}), and inside {@link KafkaProducer#send} while the producer fetches
 * metadata or its buffer is full (at most {@code max.block.ms}, default here 10 s).
 */
public final class AugmentClient implements AutoCloseable {

    private final String requestTopic;
    private final String replyTopic;
    private final Duration timeout;
    private final InFlightPolicy policy;
    private final Duration maxBlock;
    private final String instance;
    private final Producer<String, byte[]> producer;
    private final ReplyListener listener;
    private final PendingReplies pending;
    private final Counters counters;
    private final ScheduledThreadPoolExecutor timeouts;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean closed;
    private volatile Throwable failure;

    private AugmentClient(Builder b) {
        this.requestTopic = b.requestTopic;
        this.replyTopic = b.replyTopic;
        this.timeout = b.timeout;
        this.policy = b.policy;
        this.maxBlock = b.maxBlock;
        this.instance = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
        this.counters = new Counters();
        this.pending = new PendingReplies(b.maxInFlight, counters);
        String clientId = b.clientId != null ? b.clientId : "augment-client-" + instance;

        this.timeouts = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, clientId + "-timeouts");
            t.setDaemon(true);
            return t;
        });
        timeouts.setRemoveOnCancelPolicy(true); // 100k completed requests leave no 100k dead timeout tasks

        KafkaConsumer<byte[], byte[]> consumer = null;
        Producer<String, byte[]> createdProducer = null;
        try {
            consumer = new KafkaConsumer<>(consumerSettings(b, clientId));
            List<PartitionInfo> replyPartitions = awaitTopic(consumer, replyTopic, b.startTimeout, "reply");
            awaitTopic(consumer, requestTopic, b.startTimeout, "request");
            this.listener = new ReplyListener(consumer, replyTopic, ResultCodec.withMaxResultBytes(b.maxResultBytes),
                    pending, b.partitionRefresh, this::listenerFailed);
            listener.positionAtEnd(replyPartitions, b.startTimeout);
            createdProducer = new KafkaProducer<>(producerSettings(b, clientId));
            this.producer = createdProducer;
            listener.start(clientId + "-replies");
        } catch (RuntimeException e) {
            if (createdProducer != null) createdProducer.close(Duration.ZERO);
            if (consumer != null) consumer.close(CloseOptions.timeout(Duration.ZERO));
            timeouts.shutdownNow();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sends a request; the future completes with its result (see the class comment for every ending). */
    public CompletableFuture<AugmentResult> submit(AugmentRequest request) {
        return submit(request, timeout);
    }

    /** {@link #submit(AugmentRequest)} with a timeout of its own. */
    public CompletableFuture<AugmentResult> submit(AugmentRequest request, Duration requestTimeout) {
        Objects.requireNonNull(request, "request");
        requirePositive(requestTimeout, "timeout");
        if (request.replyTo() != null && !request.replyTo().equals(replyTopic)) {
            throw new IllegalArgumentException("request " + request.id() + " asks for replies on " + request.replyTo()
                    + ", but this client listens on " + replyTopic);
        }
        String id = request.id();
        if (closed) return rejected(new ClientClosedException(id, closedReason(), failure));
        try {
            if (!takeSlot()) {
                return rejected(new InFlightLimitException(id, pending.maxInFlight(),
                        policy == InFlightPolicy.BLOCK && !listener.isListenerThread() ? maxBlock : Duration.ZERO));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return rejected(new ClientClosedException(id, "interrupted while waiting for a free slot", e));
        }
        if (closed) {
            pending.releaseSlot();
            return rejected(new ClientClosedException(id, closedReason(), failure));
        }
        PendingReplies.Pending p;
        try {
            p = pending.register(id, instance + "-" + sequence.incrementAndGet());
        } catch (DuplicateRequestIdException e) {
            pending.releaseSlot();
            return rejected(e);
        }
        if (closed) { // close() may have swept the table just before this request joined it
            pending.fail(p, new ClientClosedException(id, closedReason(), failure));
            return p.future;
        }
        p.timeout(timeouts.schedule(() -> pending.expire(p, requestTimeout, replyTopic),
                requestTimeout.toNanos(), TimeUnit.NANOSECONDS));
        send(request, p);
        return p.future;
    }

    /**
     * Sends a request and waits for its result (also one with status {@code error}).
     *
     * @throws AugmentClientException when no result comes back (timeout, send failure, closed...)
     * @throws InterruptedException   when the waiting thread is interrupted (the request stays in flight)
     */
    public AugmentResult call(AugmentRequest request) throws InterruptedException {
        return call(request, timeout);
    }

    /** {@link #call(AugmentRequest)} with a timeout of its own. */
    public AugmentResult call(AugmentRequest request, Duration requestTimeout) throws InterruptedException {
        try {
            return submit(request, requestTimeout).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("request " + request.id() + " failed", e.getCause());
        }
    }

    /**
     * A request id unique to this client instance ({@code <12 random hex>-<sequence>}), for callers
     * that have no id of their own.
     */
    public String newRequestId() {
        return instance + "-r" + requestIds.incrementAndGet();
    }

    public String requestTopic() {
        return requestTopic;
    }

    public String replyTopic() {
        return replyTopic;
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxInFlight() {
        return pending.maxInFlight();
    }

    public ClientStats stats() {
        return counters.snapshot(pending.size());
    }

    /** True while the client is open and its reply listener runs. */
    public boolean isHealthy() {
        return !closed && listener.isAlive();
    }

    /**
     * Fails every request still awaiting a reply with {@link ClientClosedException}, wakes callers
     * blocked for a slot, and closes the producer and the reply consumer. Idempotent. To let
     * requests finish first, wait on their futures before closing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        pending.failAll(id -> new ClientClosedException(id, "the client was closed before the reply arrived", null));
        pending.releaseAllWaiters();
        listener.stop(Duration.ofSeconds(10));
        producer.close(Duration.ofSeconds(5));
        timeouts.shutdownNow();
    }

    private boolean takeSlot() throws InterruptedException {
        // The listener thread frees slots; making it wait for one could wait forever.
        if (policy == InFlightPolicy.FAIL_FAST || listener.isListenerThread()) return pending.tryAcquireSlot();
        return pending.acquireSlot(maxBlock);
    }

    private void send(AugmentRequest request, PendingReplies.Pending p) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(requestTopic, request.id(), RequestEncoder.encode(request));
        record.headers().add(MessageHeaders.CORRELATION_ID, p.correlationId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(MessageHeaders.REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record, (metadata, e) -> {
                if (e != null) {
                    counters.sendFailures.increment();
                    pending.fail(p, new RequestSendException(p.id, requestTopic, e));
                }
            });
            counters.sent.increment();
        } catch (RuntimeException e) {
            // Thrown by send itself: metadata not available within max.block.ms, record too large, closed producer.
            counters.sendFailures.increment();
            pending.fail(p, new RequestSendException(p.id, requestTopic, e));
        }
    }

    private CompletableFuture<AugmentResult> rejected(AugmentClientException e) {
        counters.rejected.increment();
        return CompletableFuture.failedFuture(e);
    }

    private String closedReason() {
        Throwable f = failure;
        return f == null ? "the client is closed" : "the reply listener stopped: " + f;
    }

    private void listenerFailed(Throwable e) {
        failure = e;
        closed = true;
        pending.failAll(id -> new ClientClosedException(id, "the reply listener stopped: " + e, e));
        pending.releaseAllWaiters();
    }

    private static List<PartitionInfo> awaitTopic(KafkaConsumer<?, ?> consumer, String topic, Duration wait, String role) {
        long deadline = System.nanoTime() + wait.toNanos();
        String lastProblem = "it does not exist";
        while (true) {
            try {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
                if (partitions != null && !partitions.isEmpty()) return partitions;
            } catch (TimeoutException e) {
                lastProblem = "the brokers did not answer (" + e.getMessage() + ")";
            } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
                lastProblem = "it does not exist";
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("the " + role + " topic " + topic + " is not usable after "
                        + wait.toMillis() + " ms: " + lastProblem
                        + " (workers create their topics when they start; or create it with kafka-topics.sh)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
        }
    }

    private static Map<String, Object> consumerSettings(Builder b, String clientId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-replies");
        m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        m.putAll(b.kafka);
        // Not negotiable: bytes in (the codec decodes), no group, no commits (manual assignment, see ReplyListener).
        m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        m.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return onlyFor(m, ConsumerConfig.configNames(), ProducerConfig.configNames());
    }

    private static Map<String, Object> producerSettings(Builder b, String clientId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        m.put(ProducerConfig.ACKS_CONFIG, "all");
        m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        m.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        m.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        m.putAll(b.kafka);
        m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return onlyFor(m, ProducerConfig.configNames(), ConsumerConfig.configNames());
    }

    /** Drops settings only the other client type knows, so neither logs "not a known config" for the other's. */
    private static Map<String, Object> onlyFor(Map<String, Object> m, Set<String> mine, Set<String> other) {
        m.keySet().removeIf(k -> other.contains(k) && !mine.contains(k));
        return m;
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }

    /**
     * Settings of an {@link AugmentClient}, with these defaults:
     * <ul>
     *   <li>{@code bootstrapServers}: {@code localhost:9092};</li>
     *   <li>{@code requestTopic}: {@value Topics#REQUESTS}; {@code replyTopic}: {@value Topics#RESULTS}
     *       (sent in each request's {@code reply-topic} header);</li>
     *   <li>{@code timeout}: 30 s per request, from {@code submit};</li>
     *   <li>{@code maxInFlight}: 256 requests awaiting replies; {@code inFlightPolicy}: {@code BLOCK};
     *       {@code maxBlock}: 30 s;</li>
     *   <li>{@code startTimeout}: 30 s for the brokers to answer and both topics to exist;</li>
     *   <li>{@code maxResultBytes}: {@link ResultCodec#DEFAULT_MAX_RESULT_BYTES};</li>
     *   <li>{@code partitionRefresh}: 30 s (how often the reply topic is checked for new partitions);</li>
     *   <li>{@code clientId}: {@code augment-client-<random>};</li>
     *   <li>{@code kafka(key, value)}: any Kafka client setting, for the producer and the reply
     *       consumer alike (security, timeouts...). Defaults set here: producer {@code acks=all},
     *       {@code enable.idempotence=true}, {@code linger.ms=5}, {@code max.block.ms=10000}; consumer
     *       {@code isolation.level=read_committed}. Serialisers, {@code group.id} and auto-commit are
     *       the client's own and cannot be set.</li>
     * </ul>
     * Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, Object> kafka = new LinkedHashMap<>();
        private String requestTopic = Topics.REQUESTS;
        private String replyTopic = Topics.RESULTS;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxInFlight = 256;
        private InFlightPolicy policy = InFlightPolicy.BLOCK;
        private Duration maxBlock = Duration.ofSeconds(30);
        private Duration startTimeout = Duration.ofSeconds(30);
        private int maxResultBytes = ResultCodec.DEFAULT_MAX_RESULT_BYTES;
        private Duration partitionRefresh = Duration.ofSeconds(30);
        private String clientId;

        private Builder() {
            kafka.put("bootstrap.servers", "localhost:9092");
        }

        public Builder bootstrapServers(String servers) {
            return kafka("bootstrap.servers", Objects.requireNonNull(servers, "servers"));
        }

        /** Any Kafka client setting, e.g. {@code kafka("security.protocol", "SSL")}. */
        public Builder kafka(String key, Object value) {
            kafka.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Several Kafka client settings at once. */
        public Builder kafka(Map<String, ?> settings) {
            settings.forEach(this::kafka);
            return this;
        }

        public Builder requestTopic(String topic) {
            requestTopic = legalTopic(topic);
            return this;
        }

        public Builder replyTopic(String topic) {
            replyTopic = legalTopic(topic);
            return this;
        }

        public Builder timeout(Duration v) {
            requirePositive(v, "timeout");
            timeout = v;
            return this;
        }

        public Builder maxInFlight(int v) {
            if (v < 1) throw new IllegalArgumentException("maxInFlight must be at least 1, got " + v);
            maxInFlight = v;
            return this;
        }

        public Builder inFlightPolicy(InFlightPolicy v) {
            policy = Objects.requireNonNull(v, "policy");
            return this;
        }

        /** How long {@link InFlightPolicy#BLOCK} waits for a slot. */
        public Builder maxBlock(Duration v) {
            if (v == null || v.isNegative()) throw new IllegalArgumentException("maxBlock must not be negative, got " + v);
            maxBlock = v;
            return this;
        }

        public Builder startTimeout(Duration v) {
            requirePositive(v, "startTimeout");
            startTimeout = v;
            return this;
        }

        public Builder maxResultBytes(int v) {
            if (v < 64) throw new IllegalArgumentException("maxResultBytes must be at least 64, got " + v);
            maxResultBytes = v;
            return this;
        }

        public Builder partitionRefresh(Duration v) {
            requirePositive(v, "partitionRefresh");
            partitionRefresh = v;
            return this;
        }

        public Builder clientId(String v) {
            clientId = Objects.requireNonNull(v, "clientId");
            return this;
        }

        /**
         * Connects: waits for both topics, positions the reply listener at the end of every reply
         * partition, starts it. A request sent after this returns cannot miss its reply.
         *
         * @throws IllegalStateException when the brokers or topics are not there within {@code startTimeout}
         */
        public AugmentClient build() {
            return new AugmentClient(this);
        }

        private static String legalTopic(String topic) {
            if (!TopicNames.isLegal(topic)) throw new IllegalArgumentException("not a legal Kafka topic name: " + topic);
            return topic;
        }
    }
}

package dev.mt5augment.client.testing;

import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.RequestDecoder;
import dev.mt5augment.contracts.codec.ResultCodec;
import dev.mt5augment.contracts.messaging.MessageHeaders;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.result.AugmentResult;
import dev.mt5augment.contracts.result.ResultError;
import dev.mt5augment.contracts.result.TextResult;
import dev.mt5augment.contracts.result.Timings;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST FIXTURE playing the worker's role for client-protocol tests only (timeouts, correlation,
 * back-pressure, out-of-order and duplicate replies): it consumes requests from a real broker,
 * decodes them with the real contracts decoder, and lets a {@link Behaviour} answer with results
 * written by the real {@link ResultCodec}. It runs no model: {@link #echo} makes variants that are
 * visibly derived from the input. End-to-end tests use the real worker instead.
 *
 * <p>Threading: one polling thread calls the behaviour; {@link #close()} from any thread.
 */
public final class StandInResponder implements AutoCloseable {

    /** A request as the responder received it. */
    public record Received(AugmentRequest request, String correlationId, String replyTopic, byte[] rawValue) {
    }

    /** Where a behaviour sends replies. */
    public interface Replies {
        /** Sends a result the way a worker does: keyed by id, the request's correlation id and topic copied. */
        void send(Received to, AugmentResult result);

        /** Sends any bytes, with any key and correlation header, to the received request's reply topic. */
        void sendRaw(Received to, String key, String correlationId, byte[] value);

        /** Sends results inside one transaction and aborts it (transactional responders only). */
        void sendAborted(Received to, AugmentResult result);
    }

    /** What to do with each request; called on the polling thread. */
    @FunctionalInterface
    public interface Behaviour {
        void onRequest(Received request, Replies replies);
    }

    private static final ResultCodec CODEC = ResultCodec.withDefaults();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final boolean transactional;
    private final Behaviour behaviour;
    private final Thread thread;
    /** The first {@link #KEPT} requests, for assertions; a long run must not keep them all. */
    private static final int KEPT = 100;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger receivedCount = new AtomicInteger();
    private final Replies replies = new KafkaReplies();
    private final AtomicInteger sent = new AtomicInteger();
    private volatile boolean stopping;
    private volatile Throwable failure;

    private StandInResponder(String bootstrap, String requestTopic, boolean transactional, Behaviour behaviour) {
        this.transactional = transactional;
        this.behaviour = behaviour;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "stand-in-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        consumer.subscribe(List.of(requestTopic));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (transactional) p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stand-in-" + UUID.randomUUID());
        producer = new KafkaProducer<>(p);
        if (transactional) producer.initTransactions();
        thread = new Thread(this::loop, "stand-in-responder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Replies to every request at once with {@link #echo}. */
    public static StandInResponder start(String bootstrap, String requestTopic) {
        return start(bootstrap, requestTopic, false, (r, out) -> out.send(r, echo(r.request())));
    }

    public static StandInResponder start(String bootstrap, String requestTopic, boolean transactional, Behaviour behaviour) {
        return new StandInResponder(bootstrap, requestTopic, transactional, behaviour);
    }

    /** An ok result whose variants are {@code <text>|v<i>} for each text: visibly derived, never a model's. */
    public static AugmentResult echo(AugmentRequest r) {
        return echo(r, "");
    }

    /** Like {@link #echo(AugmentRequest)}, with a marker appended to every variant. */
    public static AugmentResult echo(AugmentRequest r, String marker) {
        List<TextResult> results = new ArrayList<>();
        for (String text : r.texts()) {
            List<String> variants = new ArrayList<>();
            for (int i = 1; i <= r.numReturnSequences(); i++) variants.add(text + "|v" + i + marker);
            results.add(new TextResult(text, variants));
        }
        return AugmentResult.ok(r.id(), r.task(), results, "stand-in", "stand-in-responder", new Timings(0, 0, 0));
    }

    public static AugmentResult error(AugmentRequest r, String code, String message) {
        return AugmentResult.error(r.id(), r.task(), new ResultError(code, message, null), "stand-in",
                "stand-in-responder", Timings.NONE);
    }

    /** Replies now, from the calling thread, to a request received earlier (non-transactional responders). */
    public void reply(Received to, AugmentResult result) {
        if (transactional) throw new IllegalStateException("reply() is for non-transactional responders");
        replies.send(to, result);
    }

    /** The first 100 requests received. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    public int receivedCount() {
        return receivedCount.get();
    }

    public int sentCount() {
        return sent.get();
    }

    public Throwable failure() {
        return failure;
    }

    private void loop() {
        RequestDecoder decoder = RequestDecoder.withDefaults();
        try {
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (decoder.decode(record.value(), key) instanceof DecodeOutcome.Decoded<AugmentRequest> ok) {
                        Received r = new Received(ok.value(), header(record, MessageHeaders.CORRELATION_ID),
                                header(record, MessageHeaders.REPLY_TOPIC), record.value());
                        if (receivedCount.incrementAndGet() <= KEPT) received.add(r);
                        behaviour.onRequest(r, replies);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private final class KafkaReplies implements Replies {
        @Override
        public void send(Received to, AugmentResult result) {
            sendValue(to, result.id(), to.correlationId(), CODEC.encode(result), false);
        }

        @Override
        public void sendRaw(Received to, String key, String correlationId, byte[] value) {
            sendValue(to, key, correlationId, value, false);
        }

        @Override
        public void sendAborted(Received to, AugmentResult result) {
            sendValue(to, result.id(), to.correlationId(), CODEC.encode(result), true);
        }

        private void sendValue(Received to, String key, String correlationId, byte[] value, boolean abort) {
            ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(to.replyTopic(),
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
            if (correlationId != null) rec.headers().add(MessageHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
            if (transactional) producer.beginTransaction();
            try {
                producer.send(rec).get();
            } catch (Exception e) {
                throw new IllegalStateException("stand-in responder could not reply", e);
            }
            if (transactional) {
                if (abort) producer.abortTransaction();
                else producer.commitTransaction();
            }
            sent.incrementAndGet();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}

package dev.mt5augment.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.contracts.messaging.MessageHeaders;
import dev.mt5augment.worker.config.WorkerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/worker send [JSON ...]}: puts requests on the request topic (key = the request's
 * {@code id}, a {@code correlation-id} header) and prints each reply from the result topic as one
 * JSON line, read with {@code read_committed}. Without arguments it reads JSON lines from stdin.
 * A shell's way to try a worker; producers in other languages do the same with their client.
 *
 * <p>Exit code 0 when every request got a reply, 1 when some did not within
 * {@code default_deadline_ms} + 30 s.
 */
public final class SendCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerConfig config;
    private final List<String> requests;

    public SendCommand(WorkerConfig config, List<String> requests) {
        this.config = config;
        this.requests = requests;
    }

    public int run() {
        List<String> payloads = new ArrayList<>(requests);
        if (payloads.isEmpty()) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) if (!line.isBlank()) payloads.add(line);
            } catch (IOException e) {
                System.err.println("cannot read stdin: " + e.getMessage());
                return 1;
            }
        }
        Map<String, String> keyByPayload = new LinkedHashMap<>();
        for (String p : payloads) keyByPayload.put(p, idOf(p));

        try (KafkaConsumer<byte[], byte[]> replies = new KafkaConsumer<>(consumerProps());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : replies.partitionsFor(config.resultTopic(), Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(pi.topic(), pi.partition()));
            }
            if (parts.isEmpty()) {
                System.err.println("topic " + config.resultTopic() + " does not exist at " + config.bootstrapServers()
                        + " (is a worker running? bin/worker --embedded-kafka)");
                return 1;
            }
            replies.assign(parts);
            replies.seekToEnd(parts);
            parts.forEach(replies::position); // fix the start before anything is sent

            Map<String, Boolean> waiting = new HashMap<>();
            for (var e : keyByPayload.entrySet()) {
                String key = e.getValue();
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(config.requestTopic(),
                        key.getBytes(StandardCharsets.UTF_8), e.getKey().getBytes(StandardCharsets.UTF_8));
                r.headers().add(MessageHeaders.CORRELATION_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                producer.send(r);
                waiting.put(key, true);
            }
            producer.flush();
            System.err.println("sent " + keyByPayload.size() + " request(s) to " + config.requestTopic() + "; waiting for replies on " + config.resultTopic());

            long deadline = System.nanoTime() + config.defaultDeadline().plusSeconds(30).toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : replies.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (key != null && waiting.remove(key) != null) {
                        System.out.println(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            if (!waiting.isEmpty()) {
                System.err.println("no reply for " + waiting.keySet() + " (is a worker running? bin/worker --embedded-kafka)");
                return 1;
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("send failed: " + e);
            return 1;
        }
    }

    /** The payload's {@code id}, or a fresh one used as the record key (the worker then takes the key as id). */
    static String idOf(String payload) {
        try {
            JsonNode id = JSON.readTree(payload).get("id");
            if (id != null && id.isTextual()) return id.textValue();
        } catch (IOException | RuntimeException e) {
            // not JSON: the worker will dead-letter it; the key still lets its error reply come back
        }
        return "send-" + UUID.randomUUID();
    }

    private Properties consumerProps() {
        Properties p = new Properties();
        p.putAll(config.kafkaOverrides());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.putAll(config.kafkaOverrides());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}

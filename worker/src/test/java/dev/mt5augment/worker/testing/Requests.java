package dev.mt5augment.worker.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Builds request payloads from the fixture corpus (real Chinese sentences) and sends records. */
public final class Requests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CORPUS = loadCorpus();

    private Requests() {
    }

    public static List<String> corpus() {
        return CORPUS;
    }

    public static String text(int i) {
        return CORPUS.get(Math.floorMod(i, CORPUS.size()));
    }

    /** A request object: id, texts, sampling with a seed, short generations, dedupe off unless set. */
    public static ObjectNode request(String id, List<String> texts, int returns, int maxLength) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        ArrayNode t = n.putArray("texts");
        texts.forEach(t::add);
        n.put("num_return_sequences", returns);
        n.put("max_length", maxLength);
        n.put("seed", id.hashCode());
        n.put("dedupe", false);
        return n;
    }

    public static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // One request in flight: right after a topic is created the broker may answer
        // NOT_LEADER_OR_FOLLOWER for a moment, and with pipelined batches the retried first batch
        // then comes after later ones (OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms).
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(p);
    }

    public static void sendAll(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records) {
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) futures.add(producer.send(r));
        for (var f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("send failed", e.getCause());
            }
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> loadCorpus() {
        Path corpus = Fixtures.tinyMt5().resolve("corpus.txt");
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (s.codePointCount(0, s.length()) >= 4 && s.codePointCount(0, s.length()) <= 120) lines.add(s);
            }
            if (lines.size() < 50) throw new IllegalStateException("too few corpus lines in " + corpus);
            return List.copyOf(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + corpus, e);
        }
    }
}

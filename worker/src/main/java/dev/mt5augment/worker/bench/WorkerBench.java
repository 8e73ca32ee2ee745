package dev.mt5augment.worker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.broker.EmbeddedKafkaBroker;
import dev.mt5augment.worker.Worker;
import dev.mt5augment.worker.WorkerMain;
import dev.mt5augment.worker.config.ConfigSources;
import dev.mt5augment.worker.config.WorkerConfig;
import dev.mt5augment.worker.loop.ModelLoader;
import dev.mt5augment.worker.loop.ModelLocation;
import dev.mt5augment.worker.observe.LogSetup;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
 * {@code bin/worker-bench}: pushes N requests through a real embedded broker and a real worker
 * and prints one JSON object: requests/s, end-to-end latency percentiles (request sent until its
 * reply is visible to a {@code read_committed} consumer), and the share of wall time the worker
 * spent outside the model.
 *
 * <p>Bench flags: {@code --requests N} (500), {@code --texts T} per request (1),
 * {@code --returns R} (3), {@code --max-length L} new tokens (32), {@code --warmup W} requests
 * (20), {@code --partitions P} (6), {@code --rate R} requests per second (0: all at once, which
 * measures throughput; a rate below it measures latency under load). Every worker setting works too ({@code --model},
 * {@code --devices}, {@code --max-batch-rows}...). Texts come from {@code --corpus FILE} (one per
 * line; default: the tiny fixture's corpus).
 */
public final class WorkerBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerBench() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, WorkerMain.defaultLoaders()));
    }

    public static int run(String[] args, WorkerMain.LoaderFactory loaders) throws Exception {
        Map<String, String> bench = new HashMap<>(Map.of("requests", "500", "texts", "1", "returns", "3",
                "max-length", "32", "warmup", "20", "partitions", "6", "corpus", "", "rate", "0"));
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.startsWith("--") ? a.substring(2).split("=", 2)[0] : "";
            if (bench.containsKey(name)) {
                bench.put(name, a.contains("=") ? a.substring(a.indexOf('=') + 1) : args[++i]);
            } else {
                rest.add(a);
            }
        }
        int n = Integer.parseInt(bench.get("requests"));
        int texts = Integer.parseInt(bench.get("texts"));
        int returns = Integer.parseInt(bench.get("returns"));
        int maxLength = Integer.parseInt(bench.get("max-length"));
        int warmup = Integer.parseInt(bench.get("warmup"));
        int partitions = Integer.parseInt(bench.get("partitions"));
        double rate = Double.parseDouble(bench.get("rate"));

        Map<String, String> settings = new LinkedHashMap<>(ConfigSources.parse(rest.toArray(String[]::new), System.getenv()).settings());
        settings.putIfAbsent(WorkerConfig.HTTP_PORT, "-1");
        settings.putIfAbsent(WorkerConfig.INSTANCE_ID, "bench");
        settings.putIfAbsent(WorkerConfig.LOG_LEVEL, "WARN");
        settings.putIfAbsent(WorkerConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
        settings.putIfAbsent(WorkerConfig.DEFAULT_DEADLINE_MS, "3600000"); // a burst queues; measure it, do not expire it
        WorkerConfig base = new WorkerConfig(settings);
        LogSetup.configure(base.logDir(), base.logLevel());
        ModelLocation model = ModelLocation.of(base).check();
        List<String> corpus = corpus(bench.get("corpus"), model);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            WorkerConfig config = base.with(Map.of(WorkerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
            broker.createTopics(Map.of(config.requestTopic(), partitions, config.resultTopic(), partitions));
            ModelLoader loader = loaders.create(config, model);
            List<String> devices = config.devices().resolve(WorkerMain::gpuCount);
            try (Worker worker = new Worker(config, devices, loader).start();
                 KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers());
                 KafkaConsumer<byte[], byte[]> replies = consumer(broker.bootstrapServers(), config.resultTopic())) {
                push(producer, replies, config, "warm-", warmup, texts, returns, maxLength, corpus, 0);
                Timer inference = worker.registry().get("mt5.inference").timer();
                double modelBefore = inference.totalTime(TimeUnit.SECONDS);
                long batchesBefore = inference.count();
                Run run = push(producer, replies, config, "bench-", n, texts, returns, maxLength, corpus, rate);
                double modelSeconds = (inference.totalTime(TimeUnit.SECONDS) - modelBefore) / devices.size();
                long batches = inference.count() - batchesBefore;

                ObjectNode out = JSON.createObjectNode();
                out.put("model", model.dir().toString());
                out.put("tiny_random_fixture", model.isFixture());
                out.put("devices", String.join(",", devices));
                out.put("delivery", config.delivery().flag());
                out.put("requests", n);
                out.put("arrival", rate > 0 ? rate + " requests/s" : "all at once");
                out.put("texts_per_request", texts);
                out.put("returns", returns);
                out.put("max_length", maxLength);
                out.put("max_batch_rows", config.maxBatchRows());
                out.put("wall_s", round(run.wallSeconds, 3));
                out.put("requests_per_s", round(n / run.wallSeconds, 1));
                out.put("variants_per_s", round((double) n * texts * returns / run.wallSeconds, 1));
                ObjectNode lat = out.putObject("latency_ms");
                lat.put("p50", percentile(run.latenciesMs, 50));
                lat.put("p95", percentile(run.latenciesMs, 95));
                lat.put("p99", percentile(run.latenciesMs, 99));
                lat.put("max", run.latenciesMs[run.latenciesMs.length - 1]);
                out.put("model_s", round(modelSeconds, 3));
                out.put("outside_model_share", round(Math.max(0, 1 - modelSeconds / run.wallSeconds), 3));
                out.put("batches", batches);
                out.put("mean_batch_rows", round(worker.registry().get("mt5.batch.rows").summary().mean(), 1));
                out.put("mean_padding_ratio", round(worker.registry().get("mt5.batch.padding.ratio").summary().mean(), 3));
                ObjectNode errors = out.putObject("errors");
                run.errors.forEach(errors::put);
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            }
        }
        return 0;
    }

    private record Run(double wallSeconds, long[] latenciesMs, Map<String, Integer> errors) {
    }

    /**
     * Sends n requests, all at once ({@code rate} 0) or {@code rate} per second, and waits for every
     * reply; latency = send to visible reply.
     */
    private static Run push(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> replies, WorkerConfig config,
                            String prefix, int n, int texts, int returns, int maxLength, List<String> corpus, double rate)
            throws IOException {
        Map<String, Long> sentAt = new HashMap<>();
        long[] latencies = new long[n];
        int got = 0;
        Map<String, Integer> errors = new java.util.TreeMap<>();
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(30).toNanos();
        int sent = 0;
        while ((sent < n || got < n) && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            int due = rate > 0 ? (int) Math.min(n, Math.floor((now - start) / 1e9 * rate) + 1) : n;
            for (; sent < due; sent++) send(producer, config, prefix + sent, sent, texts, returns, maxLength, corpus, sentAt);
            if (sent == due) producer.flush();
            for (ConsumerRecord<byte[], byte[]> r : replies.poll(Duration.ofMillis(rate > 0 ? 2 : 50))) {
                long at = System.nanoTime();
                Long t0 = sentAt.remove(new String(r.key(), StandardCharsets.UTF_8));
                if (t0 == null) continue;
                latencies[got++] = TimeUnit.NANOSECONDS.toMillis(at - t0);
                String v = new String(r.value(), StandardCharsets.UTF_8);
                if (!v.contains("\"status\":\"ok\"")) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"code\":\"([A-Z_]+)\"").matcher(v);
                    errors.merge(m.find() ? m.group(1) : "UNKNOWN", 1, Integer::sum);
                }
            }
        }
        if (got < n) throw new IllegalStateException("only " + got + " of " + n + " replies arrived");
        double wall = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Run(wall, latencies, errors);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, WorkerConfig config, String id, int i, int texts,
                             int returns, int maxLength, List<String> corpus, Map<String, Long> sentAt) throws IOException {
        ObjectNode req = JSON.createObjectNode();
        req.put("id", id);
        ArrayNode t = req.putArray("texts");
        for (int k = 0; k < texts; k++) t.add(corpus.get((i * texts + k) % corpus.size()));
        req.put("num_return_sequences", returns);
        req.put("max_length", maxLength);
        req.put("seed", i);
        sentAt.put(id, System.nanoTime());
        producer.send(new ProducerRecord<>(config.requestTopic(), id.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(req)));
    }

    private static long percentile(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static List<String> corpus(String file, ModelLocation model) throws IOException {
        Path p = file.isBlank() ? ModelLocation.fixture().resolve("corpus.txt") : Path.of(file);
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            String s = l.strip();
            if (!s.isEmpty() && s.codePointCount(0, s.length()) <= 200) lines.add(s);
        }
        if (lines.isEmpty()) throw new IllegalArgumentException("no texts in " + p);
        return lines;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1); // fresh topics: see TopicBootstrap
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(30))) parts.add(new TopicPartition(topic, pi.partition()));
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }
}

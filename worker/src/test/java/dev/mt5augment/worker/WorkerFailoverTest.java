package dev.mt5augment.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mt5augment.contracts.result.ResultStatus;
import dev.mt5augment.worker.config.WorkerConfig;
import dev.mt5augment.worker.testing.ChildJvm;
import dev.mt5augment.worker.testing.KafkaTestCluster;
import dev.mt5augment.worker.testing.Requests;
import dev.mt5augment.worker.testing.Results;
import dev.mt5augment.worker.testing.SlowGenerator;
import dev.mt5augment.worker.testing.TestModels;
import dev.mt5augment.worker.testing.TestWorkers;
import dev.mt5augment.worker.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers dying, stopping and joining mid-stream, against a real broker. Every check reads the
 * results with {@code read_committed}, as a downstream consumer would, and demands each request
 * answered exactly once.
 */
class WorkerFailoverTest {
    private static KafkaTestCluster kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestCluster.start();
        producer = Requests.producer(kafka.bootstrapServers());
        System.err.println("Kafka for " + WorkerFailoverTest.class.getSimpleName() + ": " + kafka.kind() + "; model: " + TestModels.name());
    }

    @AfterAll
    static void stopKafka() {
        if (producer != null) producer.close();
        if (kafka != null) kafka.close();
    }

    /** Sends n one-text requests; returns id by (partition, offset). */
    private static Map<TopicPartition, Map<Long, String>> send(String topic, String prefix, int n) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            records.add(new ProducerRecord<>(topic, Requests.utf8(id), Requests.bytes(Requests.request(id, List.of(Requests.text(i)), 2, 5))));
        }
        Map<TopicPartition, Map<Long, String>> where = new HashMap<>();
        List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) futures.add(producer.send(r));
        for (int i = 0; i < n; i++) {
            try {
                RecordMetadata md = futures.get(i).get();
                where.computeIfAbsent(new TopicPartition(md.topic(), md.partition()), k -> new HashMap<>()).put(md.offset(), prefix + i);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return where;
    }

    private static void assertExactlyOnce(List<ConsumerRecord<byte[], byte[]>> results, String prefix, int n) {
        Map<String, Integer> counts = Results.countByKey(results);
        List<String> twice = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Integer c = counts.get(prefix + i);
            if (c == null) missing.add(prefix + i);
            else if (c > 1) twice.add(prefix + i);
        }
        assertTrue(missing.isEmpty(), "lost: " + missing);
        assertTrue(twice.isEmpty(), "answered twice: " + twice);
        assertEquals(n, results.size());
        for (ConsumerRecord<byte[], byte[]> r : results) assertEquals(ResultStatus.OK, Results.decode(r).status());
    }

    @Test
    void aKilledWorkersUncommittedWorkIsAnsweredExactlyOnceByTheNextOne() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("crash");
        kafka.createTopic(topics.requests(), 4, Map.of());
        kafka.createTopic(topics.results(), 3, Map.of());
        int n = 300;
        send(topics.requests(), "k-", n);
        Map<String, Object> settings = TestWorkers.settings(kafka.bootstrapServers(), topics, "doomed");
        settings.put(WorkerConfig.MAX_BATCH_ROWS, 8);
        settings.put(WorkerConfig.LOG_DIR, Files.createTempDirectory("mt5-logs").toString());

        try (TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results());
             ChildJvm doomed = ChildJvm.start(List.of("-Dmt5.test.slow.ms=150"), TestWorkers.flags(settings))) {
            List<ConsumerRecord<byte[], byte[]>> before = results.readUntil(rs -> rs.size() >= 60, Duration.ofMinutes(2));
            assertTrue(before.size() >= 60, "the child worker served requests: " + doomed.log());
            doomed.kill(); // SIGKILL in the middle of the stream: batches in flight, a transaction maybe open
            int atKill = results.readFor(Duration.ofMillis(500)).size();
            assertTrue(atKill < n, "work was left when the worker died (" + atKill + " answered)");

            WorkerConfig heir = TestWorkers.config(kafka.bootstrapServers(), topics, "heir", Map.of());
            try (Worker worker = new Worker(heir, List.of("cpu"), TestModels.loader()).start()) {
                List<ConsumerRecord<byte[], byte[]>> all = results.readUntil(rs -> Results.countByKey(rs).size() >= n, Duration.ofMinutes(3));
                all = results.readFor(Duration.ofSeconds(3));
                assertExactlyOnce(all, "k-", n);
                long byHeir = all.stream().filter(r -> Results.decode(r).worker().startsWith("heir/")).count();
                assertEquals(n - atKill, byHeir, "the heir answered exactly what the dead worker had not committed");
            }
        }
    }

    @Test
    void sigtermFinishesInFlightWorkCommitsItAndLosesNothing() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("sigterm");
        kafka.createTopic(topics.requests(), 3, Map.of());
        kafka.createTopic(topics.results(), 3, Map.of());
        int n = 200;
        Map<TopicPartition, Map<Long, String>> where = send(topics.requests(), "t-", n);
        Map<String, Object> settings = TestWorkers.settings(kafka.bootstrapServers(), topics, "stopping");
        settings.put(WorkerConfig.MAX_BATCH_ROWS, 8);
        settings.put(WorkerConfig.LOG_DIR, Files.createTempDirectory("mt5-logs").toString());

        try (TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results());
             ChildJvm child = ChildJvm.start(List.of("-Dmt5.test.slow.ms=200"), TestWorkers.flags(settings))) {
            results.readUntil(rs -> rs.size() >= 40, Duration.ofMinutes(2));
            int exit = child.terminate(60);
            assertTrue(exit == 0 || exit == 143, "clean exit after SIGTERM (143 = the JVM's code for it); got " + exit + ", log:\n" + child.log());
            assertTrue(child.log().contains("stop signal") && child.log().contains("on the way out"), child.log());

            // Right after the stop: the committed offsets and the committed results agree exactly.
            List<ConsumerRecord<byte[], byte[]>> afterStop = results.readFor(Duration.ofSeconds(2));
            Set<String> answered = new HashSet<>(Results.countByKey(afterStop).keySet());
            assertEquals(afterStop.size(), answered.size(), "nothing answered twice");
            Set<String> committed = new HashSet<>();
            try (Admin admin = kafka.admin()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(topics.group())
                        .partitionsToOffsetAndMetadata().get();
                for (var e : where.entrySet()) {
                    OffsetAndMetadata om = offsets.get(e.getKey());
                    long upTo = om == null ? 0 : om.offset();
                    e.getValue().forEach((offset, id) -> {
                        if (offset < upTo) committed.add(id);
                    });
                }
            }
            assertEquals(committed, answered, "every committed request has its result, and no result lacks its commit");
            assertTrue(answered.size() < n, "the test stopped the worker mid-stream");

            // The rest is re-delivered to the next worker.
            WorkerConfig heir = TestWorkers.config(kafka.bootstrapServers(), topics, "after-stop", Map.of());
            try (Worker worker = new Worker(heir, List.of("cpu"), TestModels.loader()).start()) {
                List<ConsumerRecord<byte[], byte[]>> all = results.readUntil(rs -> Results.countByKey(rs).size() >= n, Duration.ofMinutes(3));
                all = results.readFor(Duration.ofSeconds(2));
                assertExactlyOnce(all, "t-", n);
            }
        }
    }

    @Test
    void threeWorkersJoiningAndLeavingLoseNothingAndRepeatNothing() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("churn");
        kafka.createTopic(topics.requests(), 6, Map.of());
        kafka.createTopic(topics.results(), 3, Map.of());
        int n = 1000;
        send(topics.requests(), "c-", n);
        List<Worker> running = new ArrayList<>();
        try (TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results())) {
            running.add(slowWorker(topics, "churn-1"));
            results.readUntil(rs -> rs.size() >= 150, Duration.ofMinutes(2));
            running.add(slowWorker(topics, "churn-2"));
            results.readUntil(rs -> rs.size() >= 300, Duration.ofMinutes(2));
            running.add(slowWorker(topics, "churn-3"));
            results.readUntil(rs -> rs.size() >= 500, Duration.ofMinutes(2));
            running.remove(0).close(); // churn-1 leaves
            results.readUntil(rs -> rs.size() >= 700, Duration.ofMinutes(2));
            running.remove(0).close(); // churn-2 leaves; churn-3 finishes
            List<ConsumerRecord<byte[], byte[]>> all = results.readUntil(rs -> Results.countByKey(rs).size() >= n, Duration.ofMinutes(3));
            all = results.readFor(Duration.ofSeconds(2));
            assertExactlyOnce(all, "c-", n);
            Set<String> workers = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : all) workers.add(Results.decode(r).worker());
            assertEquals(Set.of("churn-1/cpu", "churn-2/cpu", "churn-3/cpu"), workers, "all three served");
        } finally {
            for (Worker w : running) w.close();
        }
    }

    private static Worker slowWorker(TestWorkers.Topics topics, String id) {
        WorkerConfig c = TestWorkers.config(kafka.bootstrapServers(), topics, id, Map.of(WorkerConfig.MAX_BATCH_ROWS, 16));
        return new Worker(c, List.of("cpu"), TestModels.loader((t, g) -> new SlowGenerator(g, 40))).start();
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }
}

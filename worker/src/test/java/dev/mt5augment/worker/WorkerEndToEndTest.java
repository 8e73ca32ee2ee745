package dev.mt5augment.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.contracts.deadletter.DeadLetterHeaders;
import dev.mt5augment.contracts.messaging.MessageHeaders;
import dev.mt5augment.contracts.result.AugmentResult;
import dev.mt5augment.contracts.result.ResultStatus;
import dev.mt5augment.contracts.result.TextResult;
import dev.mt5augment.worker.config.WorkerConfig;
import dev.mt5augment.worker.testing.KafkaTestCluster;
import dev.mt5augment.worker.testing.PoisonGenerator;
import dev.mt5augment.worker.testing.Requests;
import dev.mt5augment.worker.testing.Results;
import dev.mt5augment.worker.testing.TestModels;
import dev.mt5augment.worker.testing.TestWorkers;
import dev.mt5augment.worker.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker against a real broker (one per class), in-process, one CPU loop.
 */
class WorkerEndToEndTest {
    private static KafkaTestCluster kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestCluster.start();
        producer = Requests.producer(kafka.bootstrapServers());
        System.err.println("Kafka for " + WorkerEndToEndTest.class.getSimpleName() + ": " + kafka.kind() + "; model: " + TestModels.name());
    }

    @AfterAll
    static void stopKafka() {
        if (producer != null) producer.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void fiveHundredRequestsOverSixPartitionsGetExactlyFiveHundredResults() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-valid");
        kafka.createTopic(topics.requests(), 6, Map.of());
        Map<String, ObjectNode> sent = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String id = "v-" + i;
            int texts = 1 + i % 3;
            List<String> t = new ArrayList<>();
            for (int k = 0; k < texts; k++) t.add(Requests.text(i * 3 + k));
            ObjectNode req = Requests.request(id, t, 1 + i % 4, 6);
            sent.put(id, req);
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topics.requests(), Requests.utf8(id), Requests.bytes(req));
            r.headers().add(MessageHeaders.CORRELATION_ID, Requests.utf8("corr-" + i));
            records.add(r);
        }
        Requests.sendAll(producer, records);

        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-valid", Map.of());
        try (Worker worker = new Worker(config, List.of("cpu"), TestModels.loader()).start();
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results())) {
            List<ConsumerRecord<byte[], byte[]>> got = results.readUntil(rs -> Results.countByKey(rs).size() >= 500, Duration.ofMinutes(4));
            got = results.readFor(Duration.ofSeconds(2));
            assertEquals(500, got.size(), "exactly one result per request");
            assertEquals(500, Results.countByKey(got).size());
            assertTrue(worker.health().up(), worker.health().toJson());

            for (ConsumerRecord<byte[], byte[]> r : got) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                AugmentResult result = Results.decode(r);
                ObjectNode req = sent.get(key);
                assertNotNull(req, "unexpected result " + key);
                assertEquals(key, result.id());
                assertEquals(ResultStatus.OK, result.status(), () -> "error: " + result.error());
                int returns = req.get("num_return_sequences").asInt();
                assertEquals(req.get("texts").size(), result.results().size());
                for (int k = 0; k < result.results().size(); k++) {
                    TextResult tr = result.results().get(k);
                    assertEquals(req.get("texts").get(k).asText(), tr.text());
                    assertEquals(returns, tr.variants().size(), "variants of " + key);
                }
                assertEquals(returns * req.get("texts").size(), result.augmentedTexts().size());
                assertEquals("corr-" + key.substring(2), Results.header(r, MessageHeaders.CORRELATION_ID));
                assertEquals("w-valid/cpu", result.worker());
            }
            assertCommittedToEnd(topics, 6);
        }
    }

    /** Offsets are committed through the end of every partition. */
    private static void assertCommittedToEnd(TestWorkers.Topics topics, int partitions) throws Exception {
        try (Admin admin = kafka.admin()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(topics.group())
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < partitions; p++) latest.put(new TopicPartition(topics.requests(), p), OffsetSpec.latest());
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
                boolean all = true;
                for (var e : ends.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    if (e.getValue().offset() > 0 && (c == null || c.offset() != e.getValue().offset())) all = false;
                }
                if (all) return;
                if (System.nanoTime() > deadline) throw new AssertionError("committed " + committed + " vs end " + ends);
                Thread.sleep(200);
            }
        }
    }

    /** One malformed record: its bytes, key, and what must come of it. */
    record Bad(String code, byte[] key, byte[] value, String expectReplyId) {
    }

    @Test
    void malformedRecordsOfEveryCodeAreDeadLetteredWhileValidOnesAreServed() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-bad");
        kafka.createTopic(topics.requests(), 3, Map.of());
        List<Bad> bad = new ArrayList<>();
        for (int i = 0; bad.size() < 200; i++) bad.add(badRecord(i));
        Set<String> codes = new HashSet<>();
        bad.forEach(b -> codes.add(b.code()));
        assertEquals(13, codes.size(), "every contract error code: " + codes);

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, Bad> badByMarker = new HashMap<>();
        int valid = 0;
        for (int i = 0; i < bad.size(); i++) {
            Bad b = bad.get(i);
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topics.requests(), b.key(), b.value());
            String marker = "bad-" + i;
            r.headers().add("test-marker", Requests.utf8(marker));
            if (b.code().equals("REPLY_TOPIC_NOT_ALLOWED") && i % 2 == 0 && b.expectReplyId() != null
                    && !new String(b.value(), StandardCharsets.UTF_8).contains("reply_to")) {
                r.headers().add(MessageHeaders.REPLY_TOPIC, Requests.utf8("not.allowed.topic"));
            }
            badByMarker.put(marker, b);
            records.add(r);
            if (i % 2 == 0) {
                String id = "ok-" + valid++;
                records.add(new ProducerRecord<>(topics.requests(), Requests.utf8(id),
                        Requests.bytes(Requests.request(id, List.of(Requests.text(i)), 2, 5))));
            }
        }
        Requests.sendAll(producer, records);

        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-bad",
                Map.of(WorkerConfig.MAX_RECORD_BYTES, 4096));
        int expectedValid = valid;
        Set<String> expectedErrorReplies = new HashSet<>();
        for (Bad b : bad) if (b.expectReplyId() != null) expectedErrorReplies.add(b.expectReplyId());
        try (Worker worker = new Worker(config, List.of("cpu"), TestModels.loader()).start();
             TopicReader dlq = new TopicReader(kafka.bootstrapServers(), topics.dlq());
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results())) {
            List<ConsumerRecord<byte[], byte[]>> dead = dlq.readUntil(rs -> rs.size() >= 200, Duration.ofMinutes(3));
            List<ConsumerRecord<byte[], byte[]>> replies = results.readUntil(
                    rs -> rs.size() >= expectedValid + expectedErrorReplies.size(), Duration.ofMinutes(3));
            dead = dlq.readFor(Duration.ofSeconds(1));
            replies = results.readFor(Duration.ofSeconds(1));

            assertEquals(200, dead.size(), "one dead letter per malformed record");
            int bigOnes = 0;
            for (ConsumerRecord<byte[], byte[]> d : dead) {
                Bad b = badByMarker.get(Results.header(d, "test-marker"));
                assertNotNull(b, "the original headers are kept");
                assertEquals(b.code(), Results.header(d, DeadLetterHeaders.ERROR_CODE), () -> "for " + new String(b.value(), StandardCharsets.UTF_8));
                assertArrayEquals(b.value(), d.value(), "value bytes untouched");
                assertArrayEquals(b.key(), d.key(), "key bytes untouched");
                assertEquals(topics.requests(), Results.header(d, DeadLetterHeaders.ORIGINAL_TOPIC));
                assertNotNull(Results.header(d, DeadLetterHeaders.ORIGINAL_OFFSET));
                assertNotNull(Results.header(d, DeadLetterHeaders.ORIGINAL_PARTITION));
                assertNotNull(Results.header(d, DeadLetterHeaders.ORIGINAL_TIMESTAMP));
                assertNotNull(Results.header(d, DeadLetterHeaders.ERROR_MESSAGE));
                assertEquals(topics.group(), Results.header(d, DeadLetterHeaders.CONSUMER_GROUP));
                assertEquals("w-bad/cpu", Results.header(d, DeadLetterHeaders.WORKER_ID));
                assertEquals(b.expectReplyId(), Results.header(d, DeadLetterHeaders.REQUEST_ID));
                if (b.value().length > 1_000_000) {
                    int size = d.value().length;
                    for (var h : d.headers()) size += h.key().length() + h.value().length;
                    assertTrue(size > 1_048_588, "this dead letter is bigger than the broker's default record limit: " + size);
                    bigOnes++;
                }
            }
            assertEquals(1, bigOnes);

            Map<String, Integer> counts = Results.countByKey(replies);
            int ok = 0;
            for (ConsumerRecord<byte[], byte[]> r : replies) {
                AugmentResult result = Results.decode(r);
                assertEquals(1, counts.get(result.id()), "one reply per id: " + result.id());
                if (result.id().startsWith("ok-")) {
                    assertEquals(ResultStatus.OK, result.status(), () -> result.id() + ": " + result.error());
                    ok++;
                } else {
                    assertEquals(ResultStatus.ERROR, result.status());
                    assertTrue(expectedErrorReplies.contains(result.id()), "unexpected error reply " + result.id());
                }
            }
            assertEquals(expectedValid, ok, "valid requests between the bad ones are served");
            assertEquals(expectedErrorReplies.size(), replies.size() - ok, "an error reply wherever an id was readable");
            assertTrue(worker.health().up());
        }
    }

    /** Cycles through the 13 contract error codes, with variations. */
    private static Bad badRecord(int i) {
        String id = "bad-" + i;
        byte[] key = Requests.utf8(id);
        switch (i % 15) {
            case 0: return new Bad("MALFORMED_JSON", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"今天"), id);
            case 1: return new Bad("MALFORMED_JSON", key, Requests.utf8("not json at all " + i), id);
            case 2: {
                byte[] prefix = Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"");
                byte[] v = Arrays.copyOf(prefix, prefix.length + 4);
                v[prefix.length] = (byte) 0xff;
                v[prefix.length + 1] = (byte) 0xfe;
                v[prefix.length + 2] = '"';
                v[prefix.length + 3] = '}';
                return new Bad("NOT_UTF8", null, v, id);
            }
            case 3: {
                // once, a value just under the broker's 1 MB limit: its dead letter (value + headers) is bigger than that
                int chars = i == 3 ? 349_440 : 2000;
                return new Bad("RECORD_TOO_LARGE", key, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"" + "长".repeat(chars) + "\"}"), id);
            }
            case 4: return new Bad("SCHEMA_VIOLATION", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"好\",\"bogus\":1}"), id);
            case 5: return new Bad("SCHEMA_VIOLATION", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"好\",\"num_return_sequences\":\"3\"}"), id);
            case 6: return new Bad("MISSING_ID", null, Requests.utf8("{\"text\":\"没有编号\"}"), null);
            case 7: return new Bad("EMPTY_TEXT", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"   \"}"), id);
            case 8: return new Bad("TEXT_TOO_LONG", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"" + "字".repeat(600) + "\"}"), id);
            case 9: return new Bad("TOO_MANY_TEXTS", null, Requests.utf8("{\"id\":\"" + id + "\",\"texts\":[" + "\"a\",".repeat(256) + "\"a\"]}"), id);
            case 10: return new Bad("PARAM_OUT_OF_RANGE", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"好\",\"temperature\":5}"), id);
            case 11: return new Bad("UNSUPPORTED_TASK", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"好\",\"task\":\"dance\"}"), id);
            case 12: return new Bad("MISSING_LABELS", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"好\",\"task\":\"classify\"}"), id);
            case 13: return new Bad("UNSUPPORTED_VERSION", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"好\",\"schema_version\":2}"), id);
            default:
                return i % 2 == 0
                        ? new Bad("REPLY_TOPIC_NOT_ALLOWED", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"好\"}"), id) // header names the topic
                        : new Bad("REPLY_TOPIC_NOT_ALLOWED", null, Requests.utf8("{\"id\":\"" + id + "\",\"text\":\"好\",\"reply_to\":\"evil.topic\"}"), id);
        }
    }

    @Test
    void aPoisonRowFailsOnlyItsOwnRequest() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-poison");
        kafka.createTopic(topics.requests(), 2, Map.of());
        String poisonText = "这是一条毒药文本";
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "p-" + i;
            List<String> texts = i == 17 ? List.of(Requests.text(i), poisonText, Requests.text(i + 1)) : List.of(Requests.text(i));
            records.add(new ProducerRecord<>(topics.requests(), Requests.utf8(id), Requests.bytes(Requests.request(id, texts, 2, 5))));
        }
        Requests.sendAll(producer, records);
        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-poison", Map.of(WorkerConfig.LINGER_MS, 200L));
        try (Worker worker = new Worker(config, List.of("cpu"), TestModels.loader((tokenizer, generator) -> {
                 int[] ids = tokenizer.encode(poisonText);
                 return new PoisonGenerator(generator, Arrays.copyOf(ids, ids.length - 1)); // without </s>
             })).start();
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results());
             TopicReader dlq = new TopicReader(kafka.bootstrapServers(), topics.dlq())) {
            List<ConsumerRecord<byte[], byte[]>> replies = results.readUntil(rs -> rs.size() >= 40, Duration.ofMinutes(2));
            List<ConsumerRecord<byte[], byte[]>> dead = dlq.readUntil(rs -> rs.size() >= 1, Duration.ofSeconds(30));
            replies = results.readFor(Duration.ofSeconds(1));
            dead = dlq.readFor(Duration.ofSeconds(1));
            assertEquals(40, replies.size());
            for (ConsumerRecord<byte[], byte[]> r : replies) {
                AugmentResult result = Results.decode(r);
                if (result.id().equals("p-17")) {
                    assertEquals(ResultStatus.ERROR, result.status());
                    assertEquals("INFERENCE_FAILED", result.error().code());
                    assertEquals("texts[1]", result.error().field());
                } else {
                    assertEquals(ResultStatus.OK, result.status(), () -> result.id() + ": " + result.error());
                }
            }
            assertEquals(1, dead.size(), "only the poisoned request is dead-lettered");
            assertEquals("p-17", new String(dead.get(0).key(), StandardCharsets.UTF_8));
            assertEquals("INFERENCE_FAILED", Results.header(dead.get(0), DeadLetterHeaders.ERROR_CODE));
            assertEquals("dev.mt5augment.models.generation.GenerationException", Results.header(dead.get(0), DeadLetterHeaders.EXCEPTION_CLASS));
            double failedCalls = worker.registry().get("mt5.inference.call.failures").counter().count();
            assertTrue(failedCalls >= 2, "the batch holding the poison row was split: " + failedCalls + " failed calls");
            assertTrue(worker.health().up(), "a poison row does not open the breaker: " + worker.health().toJson());
        }
    }

    @Test
    void replyTopicsDeadlinesAndDedupe() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-routing");
        kafka.createTopic(topics.requests(), 1, Map.of());
        String fieldTopic = "augment.results.by-field";
        String headerTopic = "augment.results.by-header";
        kafka.createTopic(fieldTopic, 1, Map.of());
        kafka.createTopic(headerTopic, 1, Map.of());

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        ObjectNode byField = Requests.request("r-field", List.of(Requests.text(1)), 1, 5);
        byField.put("reply_to", fieldTopic);
        records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("r-field"), Requests.bytes(byField)));
        ProducerRecord<byte[], byte[]> byHeader = new ProducerRecord<>(topics.requests(), Requests.utf8("r-header"),
                Requests.bytes(Requests.request("r-header", List.of(Requests.text(2)), 1, 5)));
        byHeader.headers().add(MessageHeaders.REPLY_TOPIC, Requests.utf8(headerTopic));
        records.add(byHeader);
        ObjectNode missing = Requests.request("r-missing-topic", List.of(Requests.text(3)), 1, 5);
        missing.put("reply_to", "augment.results.does-not-exist");
        records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("r-missing-topic"), Requests.bytes(missing)));
        ObjectNode expired = Requests.request("r-expired", List.of(Requests.text(4)), 1, 5);
        expired.put("deadline_ms", 1000);
        records.add(new ProducerRecord<>(topics.requests(), null, System.currentTimeMillis() - 60_000,
                Requests.utf8("r-expired"), Requests.bytes(expired)));
        ObjectNode huge = Requests.request("r-huge", List.of(Requests.text(6), Requests.text(7), Requests.text(8)), 10, 40);
        records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("r-huge"), Requests.bytes(huge)));
        for (boolean dedupe : new boolean[] {true, false}) {
            ObjectNode same = Requests.request("r-dedupe-" + dedupe, List.of(Requests.text(5)), 4, 5);
            same.put("top_k", 1); // every sample is the most likely token: four equal variants
            same.put("dedupe", dedupe);
            records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("r-dedupe-" + dedupe), Requests.bytes(same)));
        }
        Requests.sendAll(producer, records);

        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-routing", Map.of(WorkerConfig.MAX_RESULT_BYTES, 1500));
        try (Worker worker = new Worker(config, List.of("cpu"), TestModels.loader()).start();
             TopicReader main = new TopicReader(kafka.bootstrapServers(), topics.results());
             TopicReader field = new TopicReader(kafka.bootstrapServers(), fieldTopic);
             TopicReader header = new TopicReader(kafka.bootstrapServers(), headerTopic);
             TopicReader dlq = new TopicReader(kafka.bootstrapServers(), topics.dlq())) {
            assertEquals("r-field", new String(field.readUntil(rs -> !rs.isEmpty(), Duration.ofMinutes(1)).get(0).key(), StandardCharsets.UTF_8));
            assertEquals("r-header", new String(header.readUntil(rs -> !rs.isEmpty(), Duration.ofMinutes(1)).get(0).key(), StandardCharsets.UTF_8));
            List<ConsumerRecord<byte[], byte[]>> rs = main.readUntil(x -> x.size() >= 5, Duration.ofMinutes(1));
            rs = main.readFor(Duration.ofSeconds(1));
            assertEquals(5, rs.size());
            Map<String, AugmentResult> byId = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : rs) byId.put(Results.decode(r).id(), Results.decode(r));

            assertEquals("REPLY_TOPIC_NOT_ALLOWED", byId.get("r-missing-topic").error().code());
            assertEquals("DEADLINE_EXCEEDED", byId.get("r-expired").error().code());
            assertEquals("INFERENCE_FAILED", byId.get("r-huge").error().code(), "30 variants of 40 tokens exceed max_result_bytes");
            assertTrue(byId.get("r-huge").error().message().contains("max_result_bytes"));
            List<String> kept = byId.get("r-dedupe-true").results().get(0).variants();
            List<String> all = byId.get("r-dedupe-false").results().get(0).variants();
            assertEquals(4, all.size());
            assertEquals(1, new HashSet<>(all).size(), "top_k=1 sampling gives four equal variants: " + all);
            assertEquals(all.get(0).strip().equals(Requests.text(5)) ? 0 : 1, kept.size(), "dedupe keeps one: " + kept);
            assertTrue(worker.registry().get("mt5.variants.deduplicated").counter().count() >= 3);

            List<ConsumerRecord<byte[], byte[]>> dead = dlq.readUntil(x -> x.size() >= 2, Duration.ofSeconds(20));
            dead = dlq.readFor(Duration.ofSeconds(1));
            assertEquals(2, dead.size(), "the missing reply topic and the oversized result are dead-lettered; an expired deadline is not");
            Set<String> deadIds = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> d : dead) deadIds.add(Results.header(d, DeadLetterHeaders.REQUEST_ID));
            assertEquals(Set.of("r-missing-topic", "r-huge"), deadIds);
            assertNull(byId.get("r-expired").error().field());
        }
    }

    @Test
    void healthAndMetricsAreServedOverHttp() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-http");
        kafka.createTopic(topics.requests(), 2, Map.of());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("h-" + i),
                    Requests.bytes(Requests.request("h-" + i, List.of(Requests.text(i)), 2, 5))));
        }
        records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("h-bad"), Requests.utf8("{")));
        Requests.sendAll(producer, records);
        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-http", Map.of(WorkerConfig.HTTP_PORT, 0));
        try (Worker worker = new Worker(config, List.of("cpu"), TestModels.loader()).start();
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results())) {
            results.readUntil(rs -> rs.size() >= 21, Duration.ofMinutes(1));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + worker.httpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
            String metrics = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!metrics.contains("mt5_replies_total{device=\"cpu\",status=\"ok\"} 20.0") && System.nanoTime() < deadline) {
                metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + worker.httpPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(100);
            }
            for (String name : List.of("mt5_records_consumed_total", "mt5_replies_total", "mt5_dead_letters_total{",
                    "code=\"MALFORMED_JSON\"", "mt5_batch_rows", "mt5_batch_padding_ratio", "mt5_generated_tokens_total",
                    "mt5_generated_tokens_per_second", "mt5_queue_rows", "mt5_inference_seconds{device=\"cpu\",quantile=\"0.99\"}",
                    "mt5_consumer_lag", "mt5_request_latency_seconds")) {
                assertTrue(metrics.contains(name), "metrics has " + name + "\n" + metrics);
            }
            assertTrue(metrics.contains("mt5_replies_total{device=\"cpu\",status=\"ok\"} 20.0"), metrics);
        }
    }

    @Test
    void atLeastOnceDeliveryServesEveryRequest() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-alo");
        kafka.createTopic(topics.requests(), 3, Map.of());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("a-" + i),
                    Requests.bytes(Requests.request("a-" + i, List.of(Requests.text(i)), 2, 5))));
        }
        records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("a-bad"), Requests.utf8("[]")));
        Requests.sendAll(producer, records);
        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-alo", Map.of(WorkerConfig.DELIVERY, "at-least-once"));
        try (Worker worker = new Worker(config, List.of("cpu"), TestModels.loader()).start();
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results());
             TopicReader dlq = new TopicReader(kafka.bootstrapServers(), topics.dlq())) {
            List<ConsumerRecord<byte[], byte[]>> got = results.readUntil(rs -> rs.size() >= 61, Duration.ofMinutes(1));
            assertEquals(61, Results.countByKey(got).size());
            assertEquals("SCHEMA_VIOLATION", Results.header(dlq.readUntil(rs -> !rs.isEmpty(), Duration.ofSeconds(20)).get(0),
                    DeadLetterHeaders.ERROR_CODE));
            assertCommittedToEnd(topics, 3);
        }
    }

    @Test
    void aFailingDeviceOpensTheBreakerMarksTheWorkerDownAndRecovers() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-breaker");
        kafka.createTopic(topics.requests(), 1, Map.of());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("b-" + i),
                    Requests.bytes(Requests.request("b-" + i, List.of(Requests.text(i)), 1, 5))));
        }
        Requests.sendAll(producer, records);
        java.util.concurrent.atomic.AtomicReference<dev.mt5augment.worker.testing.BrokenDevice> device = new java.util.concurrent.atomic.AtomicReference<>();
        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-breaker", Map.of(
                WorkerConfig.BREAKER_WINDOW, 4, WorkerConfig.BREAKER_OPEN_MS, 1000L, WorkerConfig.INFERENCE_MAX_ATTEMPTS, 100,
                WorkerConfig.MAX_BATCH_ROWS, 4, WorkerConfig.HTTP_PORT, 0));
        try (Worker worker = new Worker(config, List.of("cpu"), TestModels.loader((t, g) -> {
                 device.set(new dev.mt5augment.worker.testing.BrokenDevice(g));
                 return device.get();
             })).start();
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (worker.health().up() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(!worker.health().up(), "repeated device failures open the breaker");
            assertTrue(worker.health().toJson().contains("\"breaker\":\"OPEN\""), worker.health().toJson());
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + worker.httpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(results.readFor(Duration.ofMillis(500)).isEmpty(), "nothing is answered while the device fails");

            device.get().broken.set(false); // the device comes back: the half-open trial batch succeeds
            List<ConsumerRecord<byte[], byte[]>> got = results.readUntil(rs -> rs.size() >= 10, Duration.ofMinutes(1));
            assertEquals(10, got.size());
            for (ConsumerRecord<byte[], byte[]> r : got) assertEquals(ResultStatus.OK, Results.decode(r).status());
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!worker.health().up() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(worker.health().up(), worker.health().toJson());
        }
    }

    @Test
    void theSendCommandPrintsEachReply() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-send");
        kafka.createTopic(topics.requests(), 1, Map.of());
        kafka.createTopic(topics.results(), 1, Map.of());
        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-send", Map.of());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        try (Worker worker = new Worker(config, List.of("cpu"), TestModels.loader()).start()) {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            int rc = WorkerMain.run(new String[] {"send", "--bootstrap-servers=" + kafka.bootstrapServers(),
                    "--request-topic=" + topics.requests(), "--result-topic=" + topics.results(),
                    "--log-dir=" + java.nio.file.Files.createTempDirectory("mt5-logs"),
                    "{\"id\":\"s-1\",\"text\":\"今天天气很好\",\"num_return_sequences\":2}", "{\"id\":\"s-2\",\"text\":\"\"}"},
                    Map.of(), (c, m) -> TestModels.loader());
            assertEquals(0, rc);
        } finally {
            System.setOut(old);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, lines.length, out.toString(StandardCharsets.UTF_8));
        String all = String.join("\n", lines);
        assertTrue(all.contains("\"id\":\"s-1\",\"status\":\"ok\""), all);
        assertTrue(all.contains("\"id\":\"s-2\",\"status\":\"error\"") && all.contains("EMPTY_TEXT"), all);
    }

    @Test
    void aBatchLongerThanMaxPollIntervalCausesNoRebalance() throws Exception {
        TestWorkers.Topics topics = TestWorkers.Topics.of("e2e-longbatch");
        kafka.createTopic(topics.requests(), 2, Map.of());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            records.add(new ProducerRecord<>(topics.requests(), Requests.utf8("l-" + i),
                    Requests.bytes(Requests.request("l-" + i, List.of(Requests.text(i)), 2, 5))));
        }
        Requests.sendAll(producer, records);
        WorkerConfig config = TestWorkers.config(kafka.bootstrapServers(), topics, "w-long", Map.of(
                WorkerConfig.MAX_BATCH_ROWS, 4, WorkerConfig.MAX_QUEUED_ROWS, 4, "kafka.max.poll.interval.ms", "1000"));
        try (Worker worker = new Worker(config, List.of("cpu"),
                TestModels.loader((t, g) -> new dev.mt5augment.worker.testing.SlowGenerator(g, 2500))).start();
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.results())) {
            List<ConsumerRecord<byte[], byte[]>> got = results.readUntil(rs -> rs.size() >= 8, Duration.ofMinutes(2));
            assertEquals(8, Results.countByKey(got).size());
            assertEquals(0.0, worker.registry().get("mt5.partitions.revoked").counter().count(),
                    "2.5 s batches with max.poll.interval.ms=1000: the consumer kept polling (paused), no rebalance");
        }
    }
}

package dev.mt5augment.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.client.testing.SharedBroker;
import dev.mt5augment.client.testing.SharedBroker.TestTopics;
import dev.mt5augment.client.testing.StandInResponder;
import dev.mt5augment.contracts.request.AugmentRequest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The HTTP API over a real broker. The worker's role is played by {@link StandInResponder} (a test
 * fixture; variants are {@code <text>|v<i>}) so statuses and bodies can be checked exactly;
 * {@code GatewayEndToEndTest} runs the real worker and model.
 */
@SuppressWarnings("try") // a responder runs for the block without being referenced
class GatewayApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void augmentAndAugmentBatchAnswerInTheSeedsShape() throws Exception {
        TestTopics t = SharedBroker.topics("gw-ok");
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests());
             GatewayHarness gw = new GatewayHarness(SharedBroker.bootstrap(), t.requests(), t.results(), Duration.ofSeconds(10), 64)) {
            HttpResponse<String> one = gw.post("augment", "{\"text\":\"今天天气很好\",\"num_return_sequences\":2,\"temperature\":0.9}");
            assertEquals(200, one.statusCode(), one.body());
            assertEquals("application/json; charset=utf-8", one.headers().firstValue("Content-Type").orElseThrow());
            JsonNode body = json(one);
            assertEquals("[\"今天天气很好|v1\",\"今天天气很好|v2\"]", body.get("augmented_texts").toString());
            assertEquals("augment", body.get("task").textValue());
            AugmentRequest sent = responder.received().get(0).request();
            assertEquals(0.9, sent.temperature());
            assertEquals(body.get("id").textValue(), sent.id(), "the gateway made an id");
            assertEquals(10_000, sent.deadlineMs(), "deadline_ms is the gateway's timeout");

            HttpResponse<String> batch = gw.post("augment_batch", "{\"id\":\"mine-1\",\"texts\":[\"一\",\"二\",\"三\"],\"num_return_sequences\":1}");
            assertEquals(200, batch.statusCode(), batch.body());
            assertEquals("[\"一|v1\",\"二|v1\",\"三|v1\"]", json(batch).get("augmented_texts").toString(), "flat, in input order");
            assertEquals("mine-1", json(batch).get("id").textValue());
            assertEquals(3, json(batch).get("results").size());

            HttpResponse<String> classify = gw.post("augment", "{\"text\":\"好看\",\"task\":\"classify\",\"labels\":[\"正面\",\"负面\"],\"deadline_ms\":999999}");
            assertEquals(200, classify.statusCode(), classify.body());
            AugmentRequest c = responder.received().get(2).request();
            assertEquals("classify", c.task().wireName());
            assertEquals(List.of("正面", "负面"), c.labels());
            assertEquals(10_000, c.deadlineMs(), "a longer deadline is capped at the gateway's timeout");
        }
    }

    @Test
    void invalidRequestsGet400WithTheContractsCodeAndNothingIsSent() throws Exception {
        TestTopics t = SharedBroker.topics("gw-400");
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests());
             GatewayHarness gw = new GatewayHarness(SharedBroker.bootstrap(), t.requests(), t.results(), Duration.ofSeconds(5), 64)) {
            String[][] cases = {
                    {"augment", "{\"text\":", "MALFORMED_JSON", null},
                    {"augment", "", "MALFORMED_JSON", null},
                    {"augment", "[1,2]", "SCHEMA_VIOLATION", null},
                    {"augment", "{\"txt\":\"typo\"}", "SCHEMA_VIOLATION", "txt"},
                    {"augment", "{\"text\":\"a\",\"temperature\":5}", "PARAM_OUT_OF_RANGE", "temperature"},
                    {"augment", "{\"text\":\"a\",\"num_return_sequences\":\"3\"}", "SCHEMA_VIOLATION", "num_return_sequences"},
                    {"augment", "{\"text\":\"   \"}", "EMPTY_TEXT", "text"},
                    {"augment", "{\"text\":\"" + "长".repeat(513) + "\"}", "TEXT_TOO_LONG", "text"},
                    {"augment", "{\"text\":\"a\",\"task\":\"classify\"}", "MISSING_LABELS", "labels"},
                    {"augment", "{\"text\":\"a\",\"task\":\"poem\"}", "UNSUPPORTED_TASK", "task"},
                    {"augment", "{\"text\":\"a\",\"reply_to\":\"elsewhere\"}", "REPLY_TOPIC_NOT_ALLOWED", "reply_to"},
                    {"augment", "{\"text\":\"a\",\"schema_version\":2}", "UNSUPPORTED_VERSION", "schema_version"},
                    {"augment", "{\"texts\":[\"a\",\"b\"]}", "SCHEMA_VIOLATION", "texts"},
                    {"augment_batch", "{\"text\":\"a\"}", "SCHEMA_VIOLATION", "text"},
                    {"augment_batch", "{\"texts\":[]}", "EMPTY_TEXT", "texts"},
                    {"augment", "{\"text\":\"a\",\"temperature\":NaN}", "MALFORMED_JSON", null},
            };
            for (String[] c : cases) {
                HttpResponse<String> r = gw.post(c[0], c[1]);
                assertEquals(400, r.statusCode(), c[1] + " → " + r.body());
                JsonNode error = json(r).get("error");
                assertEquals(c[2], error.get("code").textValue(), c[1] + " → " + r.body());
                if (c[3] != null) assertEquals(c[3], error.get("field").textValue(), c[1] + " → " + r.body());
                assertFalse(error.get("message").textValue().isBlank());
            }
            Thread.sleep(300);
            assertEquals(0, responder.receivedCount(), "nothing invalid reaches Kafka");
        }
    }

    @Test
    void noWorkerAnswerIs504DeadlineExceededAndTheServerStaysUp() throws Exception {
        TestTopics t = SharedBroker.topics("gw-504");
        try (GatewayHarness gw = new GatewayHarness(SharedBroker.bootstrap(), t.requests(), t.results(), Duration.ofMillis(800), 64)) {
            long start = System.nanoTime();
            HttpResponse<String> r = gw.post("augment", "{\"text\":\"没人回答\"}");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(504, r.statusCode(), r.body());
            assertEquals("DEADLINE_EXCEEDED", json(r).get("error").get("code").textValue());
            assertTrue(ms >= 750 && ms < 5_000, ms + " ms");
            assertEquals(200, gw.get("health").statusCode());
        }
    }

    @Test
    void aWorkerErrorKeepsItsCodeWithAMatchingStatus() throws Exception {
        TestTopics t = SharedBroker.topics("gw-worker-error");
        StandInResponder.Behaviour failing = (r, out) -> out.send(r, StandInResponder.error(r.request(),
                r.request().texts().get(0).equals("慢") ? "DEADLINE_EXCEEDED" : "INFERENCE_FAILED", "worker says no"));
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, failing);
             GatewayHarness gw = new GatewayHarness(SharedBroker.bootstrap(), t.requests(), t.results(), Duration.ofSeconds(10), 64)) {
            HttpResponse<String> failed = gw.post("augment", "{\"text\":\"坏\"}");
            assertEquals(500, failed.statusCode());
            assertEquals("INFERENCE_FAILED", json(failed).get("error").get("code").textValue());
            HttpResponse<String> late = gw.post("augment", "{\"text\":\"慢\"}");
            assertEquals(504, late.statusCode());
            assertEquals("DEADLINE_EXCEEDED", json(late).get("error").get("code").textValue());
        }
    }

    @Test
    void overloadIs503WithRetryAfterAndADuplicateIdIs409() throws Exception {
        TestTopics t = SharedBroker.topics("gw-503");
        List<StandInResponder.Received> held = new CopyOnWriteArrayList<>();
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, (r, out) -> held.add(r));
             GatewayHarness gw = new GatewayHarness(SharedBroker.bootstrap(), t.requests(), t.results(), Duration.ofSeconds(20), 2)) {
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            waiting.add(CompletableFuture.supplyAsync(() -> post(gw, "{\"id\":\"dup\",\"text\":\"一\"}")));
            while (held.isEmpty()) Thread.sleep(20);
            HttpResponse<String> dup = gw.post("augment", "{\"id\":\"dup\",\"text\":\"再一\"}");
            assertEquals(409, dup.statusCode(), dup.body());
            assertEquals("DUPLICATE_ID", json(dup).get("error").get("code").textValue());
            waiting.add(CompletableFuture.supplyAsync(() -> post(gw, "{\"text\":\"二\"}")));
            while (held.size() < 2) Thread.sleep(20);
            HttpResponse<String> third = gw.post("augment", "{\"text\":\"三\"}");
            assertEquals(503, third.statusCode(), third.body());
            assertEquals("OVERLOADED", json(third).get("error").get("code").textValue());
            assertEquals("1", third.headers().firstValue("Retry-After").orElseThrow());
            for (StandInResponder.Received r : held) responder.reply(r, StandInResponder.echo(r.request()));
            for (CompletableFuture<HttpResponse<String>> w : waiting) assertEquals(200, w.get().statusCode());
        }
    }

    @Test
    void thePageHealthAndTheRestOfTheRoutes() throws Exception {
        TestTopics t = SharedBroker.topics("gw-routes");
        try (GatewayHarness gw = new GatewayHarness(SharedBroker.bootstrap(), t.requests(), t.results(), Duration.ofSeconds(5), 64)) {
            HttpResponse<String> page = gw.get("");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            assertEquals(PageEndpoint.CSP, page.headers().firstValue("Content-Security-Policy").orElseThrow());
            String html = page.body();
            for (String id : List.of("tab-single", "tab-batch", "single-text", "batch-texts", "num", "temperature", "top-p",
                    "max-length", "run", "results", "copy-all")) {
                assertTrue(html.contains("id=\"" + id + "\""), "the page has #" + id);
            }
            assertFalse(html.matches("(?s).*(src|href)\\s*=\\s*\"(https?:)?//.*"), "no external assets");
            assertFalse(html.contains("@import"), "no external stylesheets");

            HttpResponse<String> health = gw.get("health");
            assertEquals(200, health.statusCode());
            assertEquals("ok", json(health).get("status").textValue());
            assertEquals(t.requests(), json(health).get("request_topic").textValue());

            HttpResponse<String> missing = gw.get("nope");
            assertEquals(404, missing.statusCode());
            assertEquals("NOT_FOUND", json(missing).get("error").get("code").textValue());
            HttpResponse<String> getAugment = gw.get("augment");
            assertEquals(405, getAugment.statusCode());
            assertEquals("POST", getAugment.headers().firstValue("Allow").orElseThrow());
            HttpResponse<String> postPage = gw.post("", "{}");
            assertEquals(405, postPage.statusCode());
        }
    }

    private static HttpResponse<String> post(GatewayHarness gw, String body) {
        try {
            return gw.post("augment", body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

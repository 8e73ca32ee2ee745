package dev.mt5augment.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.client.AugmentClient;
import dev.mt5augment.client.cli.AugmentCommand;
import dev.mt5augment.client.cli.Console;
import dev.mt5augment.client.testing.SharedBroker;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.result.AugmentResult;
import dev.mt5augment.gateway.browser.HeadlessChromium;
import dev.mt5augment.worker.Worker;
import dev.mt5augment.worker.config.WorkerConfig;
import dev.mt5augment.worker.loop.EngineModelLoader;
import dev.mt5augment.worker.loop.ModelLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every producer path end to end: a real KRaft broker, the real worker in this JVM running the tiny
 * mT5 fixture with the real engine on the CPU, and the gateway, the Java client, {@code augment run}
 * and the page in a real headless Chromium on top. The tiny model's weights are random, so its
 * texts mean nothing: the tests check shapes, order, determinism under a seed, and that every path
 * shows exactly what the model produced.
 */
class EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    private static SharedBroker.TestTopics topics;
    private static Worker worker;
    private static GatewayHarness gw;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        topics = SharedBroker.topics("e2e", 3);
        Map<String, Object> m = new HashMap<>();
        m.put(WorkerConfig.BOOTSTRAP_SERVERS, SharedBroker.bootstrap());
        m.put(WorkerConfig.REQUEST_TOPIC, topics.requests());
        m.put(WorkerConfig.RESULT_TOPIC, topics.results());
        m.put(WorkerConfig.DEAD_LETTER_TOPIC, topics.requests() + ".dlq");
        m.put(WorkerConfig.GROUP_ID, "e2e-workers");
        m.put(WorkerConfig.INSTANCE_ID, "e2e");
        m.put(WorkerConfig.DEVICES, "cpu");
        m.put(WorkerConfig.HTTP_PORT, -1);
        m.put(WorkerConfig.LINGER_MS, 5L);
        m.put(WorkerConfig.COMMIT_INTERVAL_MS, 50L);
        m.put(WorkerConfig.TOPIC_PARTITIONS, 3);
        // Clients name their reply topic in a header; the worker answers only on topics it allows.
        m.put(WorkerConfig.ALLOWED_REPLY_TOPICS, java.util.regex.Pattern.quote(topics.results()));
        WorkerConfig config = new WorkerConfig(m);
        worker = new Worker(config, List.of("cpu"), new EngineModelLoader(config, ModelLocation.of(config).check())).start();
        gw = new GatewayHarness(SharedBroker.bootstrap(), topics.requests(), topics.results(), Duration.ofSeconds(60), 64);
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        if (worker != null) worker.close();
    }

    private static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = gw.post(path, body);
        assertEquals(200, r.statusCode(), body + " → " + r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theHttpApiServesTheModelsVariantsInInputOrderAndASeedMakesThemRepeatable() throws Exception {
        String body = "{\"text\":\"今天天气很好\",\"num_return_sequences\":3,\"max_length\":24,\"seed\":7,\"dedupe\":false}";
        JsonNode one = post("augment", body);
        assertEquals(3, one.get("augmented_texts").size());
        assertEquals("augment", one.get("task").asText());
        assertNotNull(one.get("model").textValue());
        assertEquals(strings(one.get("augmented_texts")), strings(post("augment", body).get("augmented_texts")),
                "the same seed gives the same variants");

        JsonNode batch = post("augment_batch", "{\"texts\":[\"苹果\",\"香蕉\",\"橙子\"],\"num_return_sequences\":2,"
                + "\"max_length\":16,\"seed\":11,\"dedupe\":false}");
        assertEquals(List.of("苹果", "香蕉", "橙子"), batch.get("results").findValuesAsText("text"));
        List<String> flat = new ArrayList<>();
        batch.get("results").forEach(r -> flat.addAll(strings(r.get("variants"))));
        assertEquals(flat, strings(batch.get("augmented_texts")), "flat, in input order");
        assertEquals(6, flat.size());

        for (String task : List.of("summarize", "title", "keywords", "sentiment", "translate_en", "custom")) {
            JsonNode r = post("augment", "{\"text\":\"今天天气很好\",\"task\":\"" + task + "\",\"max_length\":12}");
            assertEquals(task, r.get("task").asText());
            assertEquals(1, r.get("results").size(), task);
        }
        JsonNode classify = post("augment", "{\"text\":\"这部电影很好看\",\"task\":\"classify\",\"labels\":[\"正面\",\"负面\"],"
                + "\"num_return_sequences\":1,\"max_length\":8}");
        assertEquals("classify", classify.get("task").asText());
    }

    @Test
    void theJavaClientCorrelatesConcurrentRequestsThroughTheWorker() throws Exception {
        try (AugmentClient client = AugmentClient.builder().bootstrapServers(SharedBroker.bootstrap())
                .requestTopic(topics.requests()).replyTopic(topics.results()).timeout(Duration.ofSeconds(60)).build()) {
            List<CompletableFuture<AugmentResult>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                futures.add(client.submit(AugmentRequest.builder().id("e2e-client-" + i).texts(List.of("第" + i + "句", "另一句" + i))
                        .numReturnSequences(1 + i % 3).maxLength(12).dedupe(false).seed((long) i).build()));
            }
            for (int i = 0; i < 30; i++) {
                AugmentResult r = futures.get(i).get(60, TimeUnit.SECONDS);
                assertTrue(r.isOk(), () -> String.valueOf(r.error()));
                assertEquals("e2e-client-" + i, r.id());
                assertEquals(List.of("第" + i + "句", "另一句" + i), r.results().stream().map(t -> t.text()).toList());
                assertEquals(2 * (1 + i % 3), r.augmentedTexts().size());
            }
        }
    }

    @Test
    void augmentRunAnswersEveryLineOfACsvThroughTheWorker() throws Exception {
        Path in = dir.resolve("in.csv");
        StringBuilder csv = new StringBuilder("id,text,label\n");
        for (int i = 1; i <= 40; i++) csv.append(i).append(",\"第").append(i).append("句，很好\",").append(i % 2 == 0 ? "pos" : "neg").append('\n');
        csv.append("41,\"").append("长".repeat(600)).append("\",neg\n");
        Files.writeString(in, csv);
        Path out = dir.resolve("out.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AugmentCommand.run(List.of("run", "--in", in.toString(), "--out", out.toString(),
                "--bootstrap-servers", SharedBroker.bootstrap(), "--request-topic", topics.requests(),
                "--reply-topic", topics.results(), "--num-return-sequences", "2", "--max-length", "16", "--seed", "3",
                "--no-dedupe", "--texts-per-request", "8", "--progress", "none"),
                new Console(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), new PrintStream(err, true, StandardCharsets.UTF_8)));
        String log = err.toString(StandardCharsets.UTF_8);
        System.out.println("augment run through the tiny model: " + log.trim());
        assertEquals(1, status, "one text is too long: " + log);
        List<String> rows = Files.readAllLines(out);
        assertEquals(40 * 3, rows.size(), "each answered text: its original and 2 variants");
        JsonNode first = JSON.readTree(rows.get(0));
        assertEquals("neg", first.get("label").asText(), "columns carried");
        assertTrue(first.get("original").asBoolean());
        assertEquals(41, JSON.readTree(rows.get(rows.size() - 1)).get("input_line").asInt(), "in input order");
        List<String> errors = Files.readAllLines(dir.resolve("out.jsonl.errors.jsonl"));
        assertEquals(1, errors.size());
        assertEquals("TEXT_TOO_LONG", JSON.readTree(errors.get(0)).get("code").asText());
    }

    @Test
    void thePageShowsWhatTheModelAnsweredAndCopiesIt() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start(1000, 1100)) {
            browser.navigate(gw.server.uri());
            browser.type("#single-text", "今天天气很好");
            browser.type("#num", "3");
            browser.type("#max-length", "24");
            browser.type("#seed", "42");
            browser.click("#run");
            browser.waitFor("['done','error'].includes(document.getElementById('status').dataset.state)", Duration.ofSeconds(60));
            assertEquals("done", browser.eval("document.getElementById('status').dataset.state").asText(),
                    browser.eval("document.getElementById('error').textContent").asText());
            List<String> shown = strings(browser.eval("[...document.querySelectorAll('#results .variant')].map(e => e.textContent)"));
            JsonNode api = post("augment", "{\"text\":\"今天天气很好\",\"task\":\"augment\",\"num_return_sequences\":3,"
                    + "\"temperature\":0.85,\"top_p\":0.95,\"max_length\":24,\"seed\":42}");
            assertEquals(strings(api.get("augmented_texts")), shown, "the page shows exactly what the model answered");
            assertFalse(shown.isEmpty());
            browser.screenshot(SCREENSHOTS.resolve("page.png"));

            browser.grantClipboard(gw.server.uri());
            browser.click("#copy-all");
            browser.waitFor("document.getElementById('status').dataset.state === 'copied'", Duration.ofSeconds(10));
            assertEquals(String.join("\n", shown), browser.eval("navigator.clipboard.readText()").asText());

            browser.click("#tab-batch");
            assertTrue(browser.eval("document.getElementById('panel-single').hidden").asBoolean());
            browser.type("#batch-texts", "苹果、香蕉\n橙子");
            browser.type("#num", "2");
            browser.click("#run");
            browser.waitFor("document.getElementById('status').dataset.state === 'done'"
                    + " && document.querySelectorAll('#results .input').length === 3", Duration.ofSeconds(60));
            assertEquals(List.of("苹果", "香蕉", "橙子"),
                    strings(browser.eval("[...document.querySelectorAll('#results .input')].map(e => e.textContent)")));
            JsonNode batch = post("augment_batch", "{\"texts\":[\"苹果\",\"香蕉\",\"橙子\"],\"task\":\"augment\",\"num_return_sequences\":2,"
                    + "\"temperature\":0.85,\"top_p\":0.95,\"max_length\":24,\"seed\":42}");
            assertEquals(strings(batch.get("augmented_texts")),
                    strings(browser.eval("[...document.querySelectorAll('#results .variant')].map(e => e.textContent)")));
            browser.screenshot(SCREENSHOTS.resolve("page-batch.png"));

            browser.type("#temperature", "5");
            browser.click("#run");
            browser.waitFor("document.getElementById('status').dataset.state === 'error'", Duration.ofSeconds(30));
            String error = browser.eval("document.getElementById('error').textContent").asText();
            assertTrue(error.startsWith("PARAM_OUT_OF_RANGE: temperature"), error);
            browser.screenshot(SCREENSHOTS.resolve("page-error.png"));
        }
        assertTrue(Files.size(SCREENSHOTS.resolve("page.png")) > 10_000, "a real screenshot");
    }
}

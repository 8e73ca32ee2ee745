package dev.mt5augment.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.client.testing.SharedBroker;
import dev.mt5augment.client.testing.SharedBroker.TestTopics;
import dev.mt5augment.client.testing.StandInResponder;
import dev.mt5augment.gateway.browser.HeadlessChromium;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The page in a real headless Chromium: typing, clicking Run, reading the results, copying them. */
@SuppressWarnings("try") // a responder runs for the block without being referenced
class PageInBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void singleAndBatchTabsRunThroughTheGatewayAndCopyAllCopiesEveryResult() throws Exception {
        TestTopics t = SharedBroker.topics("page");
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests());
             GatewayHarness gw = new GatewayHarness(SharedBroker.bootstrap(), t.requests(), t.results(), Duration.ofSeconds(20), 64);
             HeadlessChromium browser = HeadlessChromium.start(1000, 1100)) {
            browser.navigate(gw.server.uri());
            assertEquals("mt5-augment", browser.eval("document.title").asText());

            browser.type("#single-text", "今天天气很好");
            browser.type("#num", "2");
            browser.type("#temperature", "0.7");
            browser.click("#run");
            browser.waitFor("document.getElementById('status').dataset.state !== 'idle'"
                    + " && document.getElementById('status').dataset.state !== 'running'", Duration.ofSeconds(30));
            assertEquals("done", browser.eval("document.getElementById('status').dataset.state").asText(),
                    browser.eval("document.getElementById('error').textContent").asText());
            List<String> shown = texts(browser.eval("[...document.querySelectorAll('#results .variant')].map(e => e.textContent)"));
            assertEquals(List.of("今天天气很好|v1", "今天天气很好|v2"), shown);
            assertEquals(0.7, responder.received().get(0).request().temperature(), "the page sent the temperature typed");
            browser.screenshot(SCREENSHOTS.resolve("page.png"));

            browser.grantClipboard(gw.server.uri());
            browser.click("#copy-all");
            browser.waitFor("document.getElementById('status').dataset.state === 'copied'", Duration.ofSeconds(10));
            assertEquals("今天天气很好|v1\n今天天气很好|v2", browser.eval("navigator.clipboard.readText()").asText());

            browser.click("#tab-batch");
            assertTrue(browser.eval("document.getElementById('panel-single').hidden").asBoolean());
            browser.type("#batch-texts", "苹果、香蕉\n橙子");
            browser.type("#num", "1");
            browser.click("#run");
            browser.waitFor("document.getElementById('status').dataset.state === 'done'"
                    + " && document.getElementById('results').dataset.count === '3'", Duration.ofSeconds(30));
            assertEquals(List.of("苹果", "香蕉", "橙子"), texts(browser.eval("[...document.querySelectorAll('#results .input')].map(e => e.textContent)")));
            assertEquals(List.of("苹果|v1", "香蕉|v1", "橙子|v1"), texts(browser.eval("[...document.querySelectorAll('#results .variant')].map(e => e.textContent)")));
            browser.screenshot(SCREENSHOTS.resolve("page-batch.png"));

            // A parameter the contract refuses: the page shows the gateway's error code.
            browser.type("#temperature", "5");
            browser.click("#run");
            browser.waitFor("document.getElementById('status').dataset.state === 'error'", Duration.ofSeconds(30));
            assertTrue(browser.eval("document.getElementById('error').textContent").asText().startsWith("PARAM_OUT_OF_RANGE"),
                    browser.eval("document.getElementById('error').textContent").asText());
            browser.screenshot(SCREENSHOTS.resolve("page-error.png"));
        }
        assertTrue(Files.size(SCREENSHOTS.resolve("page.png")) > 10_000, "a real screenshot");
    }
}

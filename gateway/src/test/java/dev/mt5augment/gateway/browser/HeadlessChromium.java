package dev.mt5augment.gateway.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium} package) driven over the DevTools protocol:
 * navigate, type with keyboard input events, click with mouse events at an element's centre, run
 * JavaScript, take screenshots. Not finding the browser is a test failure, never a skip: CI installs
 * it ({@code .ci/run}).
 *
 * <p>Threading: one test thread.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final DevToolsSession page;

    private HeadlessChromium(Process process, Path profile, DevToolsSession page) {
        this.process = process;
        this.profile = profile;
        this.page = page;
    }

    /** The browser binary: {@code $MT5_CHROMIUM}, else {@code chromium} or {@code chromium-browser} on the PATH. */
    static Path binary() {
        String env = System.getenv("MT5_CHROMIUM");
        if (env != null && !env.isBlank()) return Path.of(env);
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        throw new IllegalStateException("no chromium on the PATH: the page test needs Debian's chromium package "
                + "(apt-get install -y chromium; .ci/run installs it when missing), or set MT5_CHROMIUM");
    }

    public static HeadlessChromium start(int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("mt5-chromium-");
        List<String> cmd = new ArrayList<>(List.of(binary().toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-proxy-server", "--hide-scrollbars", "--mute-audio",
                "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            int port = awaitDevToolsPort(p, profile);
            URI ws = pageTarget(port);
            DevToolsSession session = DevToolsSession.connect(ws);
            HeadlessChromium browser = new HeadlessChromium(p, profile, session);
            session.send("Page.enable");
            session.send("Runtime.enable");
            session.send("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
            return browser;
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw new IOException(e.getMessage() + "\nchromium log:\n" + log(profile), e);
        }
    }

    /** Loads a URL and waits for its load event. */
    public void navigate(URI url) throws IOException {
        page.clearEvents();
        JsonNode r = page.send("Page.navigate", Map.of("url", url.toString()));
        if (r.hasNonNull("errorText")) throw new IOException("cannot load " + url + ": " + r.get("errorText").asText());
        page.awaitEvent("Page.loadEventFired", Duration.ofSeconds(30));
    }

    /** Evaluates JavaScript (promises awaited) and returns its value as JSON. */
    public JsonNode eval(String expression) throws IOException {
        JsonNode r = page.send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IOException("JavaScript failed: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Clicks the centre of the element with a real mouse press and release. */
    public void click(String selector) throws IOException {
        JsonNode box = eval("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector) + ");"
                + " if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height}; })()");
        if (box.isNull() || box.isMissingNode()) throw new IOException("no element " + selector);
        if (box.get("w").asDouble() == 0 || box.get("h").asDouble() == 0) throw new IOException(selector + " is not visible");
        double x = box.get("x").asDouble();
        double y = box.get("y").asDouble();
        page.send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        page.send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
        page.send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
    }

    /** Clicks into a field, selects what it holds, and types {@code text} over it (as an input method would). */
    public void type(String selector, String text) throws IOException {
        click(selector);
        eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").select()");
        page.send("Input.insertText", Map.of("text", text));
    }

    /** Presses a key with modifiers (1 Alt, 2 Ctrl, 4 Meta, 8 Shift). */
    public void press(String key, int modifiers) throws IOException {
        page.send("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", key, "modifiers", modifiers));
        page.send("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", key, "modifiers", modifiers));
    }

    /** Waits until a JavaScript condition is true. */
    public void waitFor(String condition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eval("!!(" + condition + ")").asBoolean()) {
            if (System.nanoTime() > deadline) throw new IOException("not true within " + timeout + ": " + condition);
            Thread.sleep(50);
        }
    }

    /** Lets the page write to (and read back from) the clipboard, as a user granting it would. */
    public void grantClipboard(URI origin) throws IOException {
        page.send("Browser.grantPermissions", Map.of("origin", origin.getScheme() + "://" + origin.getAuthority(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    }

    /** A PNG of the whole page. */
    public void screenshot(Path file) throws IOException {
        JsonNode r = page.send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
    }

    @Override
    public void close() {
        try {
            page.send("Browser.close");
        } catch (IOException | RuntimeException e) {
            // already gone
        }
        page.close();
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(5), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(profile)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temporary folder
        }
    }

    private static int awaitDevToolsPort(Process p, Path profile) throws IOException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException("chromium exited with status " + p.exitValue() + " at start");
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) return Integer.parseInt(lines.get(0).trim());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("chromium did not open its DevTools port within 30 s");
    }

    private static URI pageTarget(int port) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (int attempt = 0; attempt < 100; attempt++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                for (JsonNode target : JSON.readTree(r.body())) {
                    if ("page".equals(target.path("type").asText())) return URI.create(target.get("webSocketDebuggerUrl").asText());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        throw new IOException("chromium shows no page target on port " + port);
    }

    private static String log(Path profile) {
        try {
            return Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}

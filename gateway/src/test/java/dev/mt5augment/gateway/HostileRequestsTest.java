package dev.mt5augment.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.client.testing.SharedBroker;
import dev.mt5augment.client.testing.SharedBroker.TestTopics;
import dev.mt5augment.client.testing.StandInResponder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bodies and connections a hostile or broken client sends: each gets a 4xx with a JSON error (or,
 * where HTTP leaves no way to answer, a closed connection), and the gateway keeps serving.
 */
@SuppressWarnings("try") // a responder runs for the block without being referenced
class HostileRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static StandInResponder responder;
    private static GatewayHarness gw;

    @BeforeAll
    static void start() throws IOException {
        TestTopics t = SharedBroker.topics("gw-hostile");
        responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests());
        gw = new GatewayHarness(SharedBroker.bootstrap(), t.requests(), t.results(), Duration.ofSeconds(10), 64);
    }

    @AfterAll
    static void stop() {
        gw.close();
        responder.close();
    }

    /** Sends raw bytes on a fresh connection; returns what came back before the server closed or 10 s passed. */
    private static String raw(byte[] request, boolean closeOutput) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gw.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (closeOutput) s.shutdownOutput();
            } catch (IOException e) {
                // the server may refuse before all is sent (a huge declared body)
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.UTF_8).contains("\r\n\r\n") && complete(got.toString(StandardCharsets.UTF_8))) break;
                }
            } catch (IOException e) {
                // reset by the server
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    private static boolean complete(String response) {
        int headerEnd = response.indexOf("\r\n\r\n");
        String headers = response.substring(0, headerEnd).toLowerCase();
        int i = headers.indexOf("content-length:");
        if (i < 0) return false;
        int length = Integer.parseInt(headers.substring(i + 15).split("\r\n")[0].trim());
        return response.getBytes(StandardCharsets.UTF_8).length - headerEnd - 4 >= length;
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    private static byte[] request(String head, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(body);
        return b.toByteArray();
    }

    private void assertStillServing() throws Exception {
        HttpResponse<String> r = gw.post("augment", "{\"text\":\"还在吗\",\"num_return_sequences\":1}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("[\"还在吗|v1\"]", JSON.readTree(r.body()).get("augmented_texts").toString());
    }

    @Test
    void aHugeDeclaredBodyIsRefusedBeforeReading() throws Exception {
        String response = raw(request("POST /augment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000000000\r\n\r\n", "{\"text\":\"".getBytes(StandardCharsets.UTF_8)), false);
        assertEquals(413, status(response), response);
        assertTrue(response.contains("RECORD_TOO_LARGE"), response);
        assertStillServing();
    }

    @Test
    void aHugeChunkedBodyIsCutOffAtTheLimit() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
        body.writeBytes("{\"text\":\"".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 40; i++) body.writeBytes(chunk); // 2.5 MB
        HttpResponse<String> r = gw.post("augment", body.toByteArray(), "application/json");
        assertEquals(413, r.statusCode());
        assertEquals("RECORD_TOO_LARGE", JSON.readTree(r.body()).get("error").get("code").textValue());
        String chunked = raw(request("POST /augment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", chunkedBody(body.toByteArray())), false);
        assertEquals(413, status(chunked), chunked);
        assertStillServing();
    }

    @Test
    void aTruncatedBodyGetsAnAnswerOrAClosedConnectionNeverAHang() throws Exception {
        String response = raw(request("POST /augment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n", "{\"text\":\"半".getBytes(StandardCharsets.UTF_8)), true);
        assertTrue(response.isEmpty() || status(response) == 400, response);
        String garbage = raw("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.UTF_8), true);
        assertTrue(garbage.isEmpty() || status(garbage) / 100 == 4, garbage);
        String badLength = raw(request("POST /augment HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", new byte[0]), true);
        assertTrue(badLength.isEmpty() || status(badLength) / 100 == 4, badLength);
        assertStillServing();
    }

    @Test
    void wrongContentTypesAre415() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1",
                "multipart/form-data; boundary=x", "application/xml")) {
            HttpResponse<String> r = gw.post("augment", "{\"text\":\"a\"}".getBytes(StandardCharsets.UTF_8), type);
            assertEquals(415, r.statusCode(), type);
            assertEquals("UNSUPPORTED_MEDIA_TYPE", JSON.readTree(r.body()).get("error").get("code").textValue());
        }
        assertEquals(200, gw.post("augment", "{\"text\":\"a\"}".getBytes(StandardCharsets.UTF_8), "application/json;charset=UTF-8").statusCode());
        assertEquals(200, gw.post("augment", "{\"text\":\"a\"}".getBytes(StandardCharsets.UTF_8), null).statusCode(),
                "no Content-Type is taken as JSON");
    }

    @Test
    void badUtf8DeepNestingAndOtherHostileBodiesAre400() throws Exception {
        byte[] badUtf8 = request("{\"text\":\"", new byte[]{(byte) 0xC3, (byte) 0x28, '"', '}'});
        HttpResponse<String> r = gw.post("augment", badUtf8, "application/json");
        assertEquals(400, r.statusCode());
        assertEquals("NOT_UTF8", JSON.readTree(r.body()).get("error").get("code").textValue());
        byte[] overlong = request("{\"text\":\"", new byte[]{(byte) 0xC0, (byte) 0xAF, '"', '}'});
        assertEquals("NOT_UTF8", JSON.readTree(gw.post("augment", overlong, "application/json").body()).get("error").get("code").textValue());
        String deep = "[".repeat(100_000);
        HttpResponse<String> nested = gw.post("augment", deep);
        assertEquals(400, nested.statusCode());
        String lone = "{\"text\":\"\\ud800\"}";
        assertEquals("NOT_UTF8", JSON.readTree(gw.post("augment", lone).body()).get("error").get("code").textValue());
        assertStillServing();
    }

    @Test
    void fiveHundredRandomBodiesNeverGetA5xx() throws Exception {
        Random random = new Random(20261201);
        String[] pieces = {"{", "}", "[", "]", "\"text\"", "\"texts\"", ":", ",", "\"今天\"", "1e999", "-0", "null", "true",
                "\"\\u0000\"", "\"\\ud83d\"", "NaN", "\"id\"", "\"a b\"", "\"temperature\"", "9".repeat(400), " ", "\n", "\uFEFF"};
        Set<Integer> allowed = Set.of(200, 400, 409, 413);
        for (int i = 0; i < 500; i++) {
            byte[] body;
            if (i % 3 == 0) {
                body = new byte[random.nextInt(200)];
                random.nextBytes(body);
            } else {
                StringBuilder sb = new StringBuilder();
                int n = random.nextInt(30);
                for (int j = 0; j < n; j++) sb.append(pieces[random.nextInt(pieces.length)]);
                body = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            HttpResponse<String> r = gw.post(i % 2 == 0 ? "augment" : "augment_batch", body, "application/json");
            assertTrue(allowed.contains(r.statusCode()), "body " + i + " got " + r.statusCode() + ": " + r.body());
            assertNotNull(JSON.readTree(r.body()), "a JSON answer");
        }
        assertStillServing();
    }

    @Test
    void aFloodOfConnectionsDoesNotStopTheServer() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            // Connections that send half a request and wait hold handler threads and fill the queue.
            for (int i = 0; i < 100; i++) {
                Socket s = new Socket("127.0.0.1", gw.server.port());
                s.getOutputStream().write(("POST /augment HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{").getBytes(StandardCharsets.UTF_8));
                idle.add(s);
            }
        } finally {
            for (Socket s : idle) s.close();
        }
        assertStillServing();
    }

    private static byte[] chunkedBody(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int step = 32 * 1024;
        for (int i = 0; i < data.length; i += step) {
            int n = Math.min(step, data.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}

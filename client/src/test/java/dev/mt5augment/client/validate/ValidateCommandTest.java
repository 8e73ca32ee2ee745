package dev.mt5augment.client.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.client.cli.AugmentCommand;
import dev.mt5augment.client.cli.Console;
import dev.mt5augment.client.cli.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code augment validate} on a file of mixed good and bad requests. */
class ValidateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** What one run printed. */
    private record Run(int status, List<String> lines, String err) {
        JsonNode json(int i) throws IOException {
            return JSON.readTree(lines.get(i));
        }
    }

    private static Run run(byte[] stdin, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AugmentCommand.run(List.of(argv), new Console(new ByteArrayInputStream(stdin), out,
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
        return new Run(status, lines, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void answersEveryLineOfAMixedFileWithTheDocumentedCodes() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<byte[]> lines = new ArrayList<>();
        lines.add(concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{\"id\":\"a-1\",\"text\":\"  今天天气很好  \"}")));
        lines.add(utf8("{\"id\":\"a-2\",\"texts\":[\"一\",\"二\"],\"task\":\"title\",\"num_return_sequences\":2}\r"));
        lines.add(utf8(""));
        lines.add(utf8("{\"id\":\"a-3\",\"text\":\"x\",\"top_k\":\"50\"}"));
        lines.add(utf8("{\"id\":\"a-4\",\"text\":"));
        lines.add(concat(utf8("{\"id\":\"a-5\",\"text\":\""), new byte[]{(byte) 0xC3, (byte) 0x28}, utf8("\"}")));
        lines.add(utf8("{\"id\":\"a-6\",\"text\":\"   \"}"));
        lines.add(utf8("{\"text\":\"no id\"}"));
        lines.add(utf8("{\"id\":\"a-8\",\"text\":\"x\",\"task\":\"classify\"}"));
        lines.add(utf8("{\"id\":\"a-9\",\"text\":\"x\",\"temperature\":3}"));
        lines.add(utf8("{\"id\":\"a-10\",\"text\":\"" + "x".repeat(2000) + "\"}"));
        lines.add(utf8("   \t"));
        lines.add(utf8("{\"id\":\"a-12\",\"text\":\"last line without newline\",\"seed\":7}"));
        for (int i = 0; i < lines.size(); i++) {
            file.write(lines.get(i));
            if (i < lines.size() - 1) file.write('\n');
        }
        Path requests = dir.resolve("requests.jsonl");
        Files.write(requests, file.toByteArray());

        Run r = run(new byte[0], "validate", "--max-record-bytes", "1000", requests.toString());

        assertEquals(ExitStatus.INVALID, r.status());
        assertEquals(11, r.lines().size(), "blank lines get no answer: " + r.lines());
        JsonNode first = r.json(0);
        assertEquals("a-1", first.get("id").asText());
        assertEquals("今天天气很好", first.get("texts").get(0).asText(), "trimmed, BOM skipped");
        assertEquals(3, first.get("num_return_sequences").asInt(), "defaults filled");
        assertEquals("sample", first.get("decoding").asText());
        JsonNode second = r.json(1);
        assertEquals("beam", second.get("decoding").asText());
        assertEquals(4, second.get("num_beams").asInt());
        assertError(r.json(2), 4, "a-3", "SCHEMA_VIOLATION", "top_k");
        assertError(r.json(3), 5, "a-4", "MALFORMED_JSON", null);
        assertError(r.json(4), 6, "a-5", "NOT_UTF8", null);
        assertError(r.json(5), 7, "a-6", "EMPTY_TEXT", "text");
        assertError(r.json(6), 8, null, "MISSING_ID", "id");
        assertError(r.json(7), 9, "a-8", "MISSING_LABELS", "labels");
        assertError(r.json(8), 10, "a-9", "PARAM_OUT_OF_RANGE", "temperature");
        assertError(r.json(9), 11, null, "RECORD_TOO_LARGE", null);
        assertEquals(7, r.json(10).get("seed").asInt(), "a last line without a newline still counts");
        assertEquals("11 requests: 3 valid, 8 invalid\n", r.err());
    }

    @Test
    void aKeyStandsInForMissingIdsAndAllValidExitsZero() {
        Run r = run(utf8("{\"text\":\"a\"}\n{\"text\":\"b\"}\n"), "validate", "--key", "order-1", "-");
        assertEquals(ExitStatus.OK, r.status(), r.err());
        assertEquals(2, r.lines().size());
        assertTrue(r.lines().get(0).startsWith("{\"id\":\"order-1\","), r.lines().get(0));
    }

    @Test
    void anEmptyInputIsValid() {
        Run r = run(new byte[0], "validate", "-");
        assertEquals(ExitStatus.OK, r.status());
        assertEquals(List.of(), r.lines());
    }

    @Test
    void aHugeLineIsReportedWithoutBeingHeld() throws IOException {
        Path big = dir.resolve("big.jsonl");
        try (var out = Files.newOutputStream(big)) {
            out.write(utf8("{\"id\":\"h\",\"text\":\""));
            byte[] chunk = utf8("x".repeat(1 << 20));
            for (int i = 0; i < 20; i++) out.write(chunk);
            out.write(utf8("\"}\n{\"id\":\"after\",\"text\":\"ok\"}\n"));
        }
        Run r = run(new byte[0], "validate", big.toString());
        assertEquals(ExitStatus.INVALID, r.status());
        assertError(r.json(0), 1, null, "RECORD_TOO_LARGE", null);
        assertTrue(r.json(0).get("error").get("message").asText().contains("20971540 bytes"), r.lines().get(0));
        assertEquals("after", r.json(1).get("id").asText());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ExitStatus.USAGE, run(new byte[0]).status());
        assertEquals(ExitStatus.USAGE, run(new byte[0], "frobnicate").status());
        assertEquals(ExitStatus.USAGE, run(new byte[0], "validate").status());
        assertEquals(ExitStatus.USAGE, run(new byte[0], "validate", "a", "b").status());
        assertEquals(ExitStatus.USAGE, run(new byte[0], "validate", "--colour", "red", "-").status());
        assertEquals(ExitStatus.USAGE, run(new byte[0], "validate", "--max-record-bytes", "ten", "-").status());
        assertEquals(ExitStatus.USAGE, run(new byte[0], "validate", "--max-record-bytes", "1", "-").status());
        Run missing = run(new byte[0], "validate", dir.resolve("nope.jsonl").toString());
        assertEquals(ExitStatus.USAGE, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Run help = run(new byte[0], "--help");
        assertEquals(ExitStatus.OK, help.status());
        assertTrue(help.err().contains("validate [--key KEY]"), help.err());
    }

    private static void assertError(JsonNode line, int number, String id, String code, String field) {
        assertEquals(number, line.get("line").asInt(), line.toString());
        if (id == null) assertFalse(line.has("id"), line.toString());
        else assertEquals(id, line.get("id").asText(), line.toString());
        assertEquals(code, line.get("error").get("code").asText(), line.toString());
        assertFalse(line.get("error").get("message").asText().isBlank());
        if (field == null) assertTrue(line.get("error").get("field").isNull(), line.toString());
        else assertEquals(field, line.get("error").get("field").asText(), line.toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        return concat(concat(a, b), c);
    }
}

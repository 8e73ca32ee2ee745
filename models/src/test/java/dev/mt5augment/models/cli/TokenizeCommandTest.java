package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mt5augment.models.tokenizer.TinyMt5Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {

    /** Output of one {@code mt5} run. */
    private record Run(int status, String out, String err) {
        List<JsonNode> lines() throws Exception {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) if (!line.isEmpty()) lines.add(TinyMt5Fixture.JSON.readTree(line));
            return lines;
        }
    }

    private static Run mt5(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // A Latin-1 console must not mangle the UTF-8 the verb writes.
        int status = Mt5Command.run(argv, new PrintStream(out, true, StandardCharsets.ISO_8859_1),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsOneJsonLinePerTextWithEos() throws Exception {
        List<TinyMt5Fixture.Case> cases = TinyMt5Fixture.cases();
        List<String> argv = new ArrayList<>(List.of("tokenize", TinyMt5Fixture.dir().toString()));
        for (TinyMt5Fixture.Case c : cases) {
            argv.add("--text");
            argv.add(c.text());
        }
        Run run = mt5(argv.toArray(String[]::new));
        assertEquals(0, run.status(), run.err());
        List<JsonNode> lines = run.lines();
        assertEquals(cases.size(), lines.size());
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(cases.get(i).text(), lines.get(i).get("text").asText());
            assertArrayEquals(cases.get(i).idsWithEos(), TinyMt5Fixture.JSON.convertValue(lines.get(i).get("ids"), int[].class));
            assertEquals(2, lines.get(i).size(), "only text and ids");
        }
    }

    @Test
    void worksFromSpieceModelAndEchoesTheTextAsEncoded(@TempDir Path dir) throws Exception {
        Files.copy(TinyMt5Fixture.spieceModel(), dir.resolve("spiece.model"));
        Run run = mt5("tokenize", dir.toString(), "--text", "你好，世界！", "--text", "a</s>\uD800", "--text", "");
        assertEquals(0, run.status(), run.err());
        List<JsonNode> lines = run.lines();
        assertEquals("你好，世界！", lines.get(0).get("text").asText());
        assertEquals("[3,554,166,4,779,11,1]", lines.get(0).get("ids").toString());
        assertEquals("a</s>\uFFFD", lines.get(1).get("text").asText());
        assertEquals("[1]", lines.get(2).get("ids").toString());
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path dir) {
        Run noText = mt5("tokenize", TinyMt5Fixture.dir().toString());
        assertEquals(2, noText.status());
        assertEquals("mt5 tokenize: give at least one --text\n", noText.err());
        Run noDir = mt5("tokenize");
        assertEquals(2, noDir.status());
        assertTrue(noDir.err().contains("missing argument DIR"), noDir.err());
        Run typo = mt5("tokenize", TinyMt5Fixture.dir().toString(), "--txt", "x");
        assertEquals(2, typo.status());
        assertTrue(typo.err().contains("unknown option --txt"), typo.err());

        Run empty = mt5("tokenize", dir.toString(), "--text", "x");
        assertEquals(1, empty.status());
        assertTrue(empty.err().contains("no tokenizer: expected tokenizer.json or spiece.model"), empty.err());
        assertEquals("", empty.out());
    }

    @Test
    void isListedInTheUsage() {
        Run help = mt5("--help");
        assertTrue(help.err().contains("tokenize"), help.err());
    }
}

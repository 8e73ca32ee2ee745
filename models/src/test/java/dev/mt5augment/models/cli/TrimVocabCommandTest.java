package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/mt5 trim-vocab}: the report, and clear refusals of hostile input that leave nothing behind. */
class TrimVocabCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void printsOneJsonReport(@TempDir Path tmp) throws Exception {
        List<String> lines = Files.readAllLines(CliRun.fixture().resolve("corpus.txt"));
        Path corpus = Files.write(tmp.resolve("train.txt"), lines.subList(0, 500));
        // One line of 400 kB (cut into segments) must not matter.
        Files.writeString(corpus, "数据".repeat(200_000) + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Path heldOut = Files.write(tmp.resolve("held.txt"), lines.subList(500, lines.size()));
        CliRun run = CliRun.of("trim-vocab", CliRun.fixture().toString(), tmp.resolve("out").toString(),
                "--corpus", corpus.toString(), "--held-out", heldOut.toString(), "--keep-ascii", "--min-count", "2");
        assertEquals(0, run.status(), run.err());
        assertEquals(1, run.out().strip().lines().count(), run.out());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(1408, r.get("old_vocab_size").asInt());
        int kept = r.get("kept").asInt();
        assertTrue(kept > 3 && kept < 1400, "kept " + kept);
        assertEquals(kept, r.get("new_vocab_size").asInt());
        assertTrue(r.get("kept_by").get("ascii").asInt() > 0, r.toString());
        assertEquals(2, r.get("min_count").asInt());
        assertTrue(r.get("new_model_bytes").asLong() < r.get("old_model_bytes").asLong());
        assertEquals(Files.size(tmp.resolve("out/model.safetensors")), r.get("new_model_bytes").asLong());
        JsonNode h = r.get("held_out");
        assertEquals(71, h.get("lines").asInt());
        assertTrue(h.get("token_coverage").asDouble() > 0.5 && h.get("token_coverage").asDouble() <= 1, h.toString());
        assertEquals(h.get("fully_covered_lines").asInt(), h.get("fully_covered_lines_identical").asInt());
        for (String f : List.of("config.json", "generation_config.json", "tokenizer.json", "model.safetensors", "vocab-mapping.json")) {
            assertTrue(Files.isRegularFile(tmp.resolve("out").resolve(f)), f);
        }
    }

    @Test
    void refusesHostileInputClearly(@TempDir Path tmp) throws Exception {
        String dir = CliRun.fixture().toString();
        Path good = Files.write(tmp.resolve("good.txt"), List.of("小米手机 256GB 星沙白"));
        Path empty = Files.write(tmp.resolve("empty.txt"), new byte[0]);
        Path blank = Files.writeString(tmp.resolve("blank.txt"), "\n  \n\t\n");
        Path unknown = Files.write(tmp.resolve("unknown.txt"), List.of("饕餮龘靐", "龘靐 饕餮"));
        Path latin1 = Files.write(tmp.resolve("latin1.txt"), new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        Path badIds = Files.writeString(tmp.resolve("bad-ids.txt"), "1 2 three\n");
        Path farIds = Files.writeString(tmp.resolve("far-ids.txt"), "1 2 99999\n");
        Path out = tmp.resolve("out");
        Files.createDirectories(tmp.resolve("nonempty"));
        Files.writeString(tmp.resolve("nonempty/keep.txt"), "mine");
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        Files.copy(CliRun.fixture().resolve("config.json"), bare.resolve("config.json"));
        Files.copy(CliRun.fixture().resolve("model.safetensors"), bare.resolve("model.safetensors"));
        Path linkToBare = Files.createSymbolicLink(tmp.resolve("link"), bare);

        expect(2, "--corpus", tmp, "trim-vocab", dir, out.toString());
        expect(2, "missing argument OUT", tmp, "trim-vocab", dir);
        expect(1, "empty.txt: the corpus has no text", tmp, "trim-vocab", dir, out.toString(), "--corpus", empty.toString());
        expect(1, "blank.txt: the corpus has no text", tmp, "trim-vocab", dir, out.toString(), "--corpus", blank.toString());
        expect(1, "no piece besides <unk>", tmp, "trim-vocab", dir, out.toString(), "--corpus", unknown.toString());
        expect(1, "line 2 is not valid UTF-8", tmp, "trim-vocab", dir, out.toString(), "--corpus", latin1.toString());
        expect(1, "nope.txt: no such corpus file", tmp, "trim-vocab", dir, out.toString(), "--corpus", tmp.resolve("nope.txt").toString());
        expect(1, "the corpus file is a directory", tmp, "trim-vocab", dir, out.toString(), "--corpus", tmp.toString());
        expect(1, "held.txt: no such held-out file", tmp, "trim-vocab", dir, out.toString(), "--corpus", good.toString(),
                "--held-out", tmp.resolve("held.txt").toString());
        expect(1, "no-model: no such model folder", tmp, "trim-vocab", tmp.resolve("no-model").toString(), out.toString(), "--corpus", good.toString());
        expect(1, "OUT must differ from DIR", tmp, "trim-vocab", dir, dir, "--corpus", good.toString());
        expect(1, "OUT must differ from DIR", tmp, "trim-vocab", bare.toString(), linkToBare.toString(), "--corpus", good.toString());
        expect(1, "not empty", tmp, "trim-vocab", dir, tmp.resolve("nonempty").toString(), "--corpus", good.toString());
        expect(2, "--min-count must be at least 1, got 0", tmp, "trim-vocab", dir, out.toString(), "--corpus", good.toString(), "--min-count", "0");
        expect(2, "--min-count must be at least 1, got -3", tmp, "trim-vocab", dir, out.toString(), "--corpus", good.toString(), "--min-count", "-3");
        expect(2, "--min-count expects an integer", tmp, "trim-vocab", dir, out.toString(), "--corpus", good.toString(), "--min-count", "many");
        expect(1, "no piece besides <unk> and ▁ is used 1000000 time(s)", tmp, "trim-vocab", dir, out.toString(), "--corpus", good.toString(),
                "--min-count", "1000000");
        expect(2, "unknown option --keep-everything", tmp, "trim-vocab", dir, out.toString(), "--corpus", good.toString(), "--keep-everything");
        expect(2, "--corpus needs a file", tmp, "trim-vocab", dir, out.toString(), "--corpus");
        expect(1, "line 1: 't' is not part of an id", tmp, "trim-vocab", dir, out.toString(), "--keep-ids", badIds.toString());
        expect(1, "kept id 99999 is outside the model's vocabulary of 1408", tmp, "trim-vocab", dir, out.toString(), "--keep-ids", farIds.toString());
        expect(1, "has no tokenizer.json or spiece.model", tmp, "trim-vocab", bare.toString(), out.toString(), "--corpus", good.toString());
        assertEquals("mine", Files.readString(tmp.resolve("nonempty/keep.txt")));
    }

    /** Runs, checks the status and message, and that no output or staging folder was left behind. */
    private static void expect(int status, String message, Path tmp, String... argv) throws Exception {
        CliRun run = CliRun.of(argv);
        assertEquals(status, run.status(), String.join(" ", argv) + "\n" + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertTrue(run.out().isEmpty(), run.out());
        assertFalse(Files.exists(tmp.resolve("out")), "no OUT after a failure");
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".trim-partial")), "no staging folder left");
        }
    }
}

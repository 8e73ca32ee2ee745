package dev.mt5augment.client.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.client.cli.AugmentCommand;
import dev.mt5augment.client.cli.Console;
import dev.mt5augment.client.cli.ExitStatus;
import dev.mt5augment.client.testing.SharedBroker;
import dev.mt5augment.client.testing.SharedBroker.TestTopics;
import dev.mt5augment.client.testing.StandInResponder;
import dev.mt5augment.contracts.request.AugmentRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code augment run} end to end through a real broker. The worker's role is played by
 * {@link StandInResponder} (variants {@code <text>|v<i>}), so the rows can be checked exactly; the
 * gateway module's end-to-end tests run the real worker and model.
 */
@SuppressWarnings("try") // a responder runs for the block without being referenced
class RunCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int status, String err) {
    }

    private static Run run(TestTopics t, String... argv) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(argv));
        args.addAll(List.of("--bootstrap-servers", SharedBroker.bootstrap(), "--request-topic", t.requests(),
                "--reply-topic", t.results(), "--progress", "lines"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AugmentCommand.run(args, new Console(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    private static List<JsonNode> jsonLines(Path p) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) if (!line.isBlank()) rows.add(JSON.readTree(line));
        return rows;
    }

    private static List<List<String>> csv(Path p) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (var in = Files.newInputStream(p)) {
            RecordSplitter s = new RecordSplitter(in, true, 1 << 20);
            for (var r = s.next(); r != null; r = s.next()) rows.add(CsvCodec.parse(new String(r.bytes(), StandardCharsets.UTF_8), ','));
        }
        return rows;
    }

    @Test
    void csvInCsvOutCarriesEveryColumnAndQuotesRoundTrip() throws Exception {
        TestTopics t = SharedBroker.topics("run-csv");
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "id,text,label\r\n1,今天天气很好,pos\r\n2,\"他说：\"\"好, 很好\"\"\",pos\r\n3,\"两行\n文本\",neg\r\n");
        Path out = dir.resolve("out.csv");
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests())) {
            Run r = run(t, "--in", in.toString(), "--out", out.toString(), "--num-return-sequences", "2");
            assertEquals(ExitStatus.OK, r.status(), r.err());
            assertTrue(r.err().contains("3 texts answered (6 variants)"), r.err());
        }
        List<List<String>> rows = csv(out);
        assertEquals(List.of("id", "text", "label", "variant", "original", "input_line", "input_key"), rows.get(0));
        assertEquals(1 + 3 * 3, rows.size(), "per input: the original, then 2 variants");
        assertEquals(List.of("1", "今天天气很好", "pos", "今天天气很好", "true", "2"), rows.get(1).subList(0, 6));
        assertEquals(List.of("1", "今天天气很好", "pos", "今天天气很好|v1", "false", "2"), rows.get(2).subList(0, 6));
        assertEquals("他说：\"好, 很好\"|v2", rows.get(6).get(3));
        assertEquals("两行\n文本|v1", rows.get(8).get(3));
        assertEquals("4", rows.get(8).get(5), "the line where the record starts");
        assertFalse(Files.exists(dir.resolve("out.csv.errors.jsonl")), "no errors, no errors file");
        assertTrue(Files.readString(out).contains("\r\n"), "RFC 4180 line ends");
    }

    @Test
    void flagsBecomeRequestFieldsAndTextsArePackedIntoRequests() throws Exception {
        TestTopics t = SharedBroker.topics("run-flags");
        Path in = dir.resolve("in.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.append("{\"text\":\"文本").append(i).append("\",\"meta\":{\"n\":").append(i).append("}}\n");
        Files.writeString(in, sb);
        Path out = dir.resolve("out.jsonl");
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests())) {
            Run r = run(t, "--in", in.toString(), "--out", out.toString(), "--texts-per-request", "4",
                    "--task", "classify", "--labels", "正面,负面", "--decoding", "sample", "--num-return-sequences", "1",
                    "--temperature", "0.7", "--top-p", "0.9", "--top-k", "20", "--max-length", "32", "--min-length", "2",
                    "--repetition-penalty", "1.2", "--no-repeat-ngram-size", "3", "--seed", "42", "--no-dedupe",
                    "--exclude-original", "--one-row-per-input", "--kafka.client.rack", "r1");
            assertEquals(ExitStatus.OK, r.status(), r.err());
            assertEquals(3, responder.received().size(), "10 texts, 4 per request");
            // Requests land on several partitions, so they arrive in any order.
            AugmentRequest req = responder.received().stream().map(StandInResponder.Received::request)
                    .filter(x -> x.texts().contains("文本0")).findFirst().orElseThrow();
            assertEquals(List.of("文本0", "文本1", "文本2", "文本3"), req.texts());
            assertEquals("classify", req.task().wireName());
            assertEquals(List.of("正面", "负面"), req.labels());
            assertEquals(0.7, req.temperature());
            assertEquals(0.9, req.topP());
            assertEquals(20, req.topK());
            assertEquals(32, req.maxLength());
            assertEquals(2, req.minLength());
            assertEquals(1.2, req.repetitionPenalty());
            assertEquals(3, req.noRepeatNgramSize());
            assertEquals(42L, req.seed());
            assertFalse(req.dedupe());
            assertEquals(120_000, req.deadlineMs(), "the deadline defaults to the client timeout");
        }
        List<JsonNode> rows = jsonLines(out);
        assertEquals(10, rows.size());
        assertEquals("{\"text\":\"文本7\",\"meta\":{\"n\":7},\"variants\":[\"文本7|v1\"],\"input_line\":8,\"input_key\":\""
                + InputKey.of(8, 0, "文本7") + "\"}", rows.get(7).toString());
    }

    @Test
    void splitTextsAreEachAnInputWithTheirOwnKey() throws Exception {
        TestTopics t = SharedBroker.topics("run-split");
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "苹果、香蕉，橙子\n\n单独一行\n");
        Path out = dir.resolve("out.jsonl");
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests())) {
            Run r = run(t, "--in", in.toString(), "--out", out.toString(), "--split", "--num-return-sequences", "1",
                    "--one-row-per-input");
            assertEquals(ExitStatus.OK, r.status(), r.err());
            assertTrue(r.err().contains("4 texts answered"), r.err());
            assertTrue(r.err().contains("1 blank"), r.err());
        }
        List<JsonNode> rows = jsonLines(out);
        assertEquals(List.of("苹果", "香蕉", "橙子", "单独一行"), rows.stream().map(n -> n.get("text").textValue()).toList());
        assertEquals("[\"香蕉\",\"香蕉|v1\"]", rows.get(1).get("variants").toString(), "the original first, then the variants");
        assertEquals(InputKey.of(1, 2, "橙子").toString(), rows.get(2).get("input_key").textValue());
        assertEquals(3, rows.get(3).get("input_line").asInt());
    }

    @Test
    void failuresGoToTheErrorsFileWithCodesAndTheExitStatusSaysSo() throws Exception {
        TestTopics t = SharedBroker.topics("run-errors");
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "text\n好\n\"" + "长".repeat(600) + "\"\n\"broken\"quote\n坏\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("out.jsonl");
        StandInResponder.Behaviour failOnBad = (r, o) -> o.send(r, r.request().texts().contains("坏")
                ? StandInResponder.error(r.request(), "INFERENCE_FAILED", "engine fell over")
                : StandInResponder.echo(r.request()));
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, failOnBad)) {
            Run r = run(t, "--in", in.toString(), "--out", out.toString(), "--texts-per-request", "1", "--retries", "2");
            assertEquals(ExitStatus.INVALID, r.status(), r.err());
            assertTrue(r.err().contains("3 errors"), r.err());
            assertEquals(1 + 3, responder.received().size(), "好 once, 坏 three times, the long text never");
        }
        List<JsonNode> errors = jsonLines(dir.resolve("out.jsonl.errors.jsonl"));
        assertEquals(3, errors.size());
        JsonNode tooLong = errors.stream().filter(e -> e.get("code").textValue().equals("TEXT_TOO_LONG")).findFirst().orElseThrow();
        assertEquals(3, tooLong.get("input_line").asInt());
        assertEquals(0, tooLong.get("attempts").asInt());
        JsonNode csv = errors.stream().filter(e -> e.get("code").textValue().equals("MALFORMED_CSV")).findFirst().orElseThrow();
        assertEquals(4, csv.get("input_line").asInt());
        JsonNode failed = errors.stream().filter(e -> e.get("code").textValue().equals("INFERENCE_FAILED")).findFirst().orElseThrow();
        assertEquals("坏", failed.get("text").textValue());
        assertEquals(3, failed.get("attempts").asInt(), "retried twice");
        assertTrue(failed.get("request_id").textValue().startsWith("run-"));
        assertEquals(List.of("好", "好|v1", "好|v2", "好|v3"), jsonLines(out).stream().map(n -> n.get("variant").textValue()).toList());
    }

    @Test
    void aRerunSkipsWhatIsAnsweredCutsAHalfWrittenRowAndAnswersTheRest() throws Exception {
        TestTopics t = SharedBroker.topics("run-resume");
        Path in = dir.resolve("in.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 60; i++) sb.append("句子").append(i).append('\n');
        Files.writeString(in, sb);
        Path out = dir.resolve("out.jsonl");
        AtomicInteger requests = new AtomicInteger();
        // First run: only the first 5 requests get a reply; the rest time out.
        StandInResponder.Behaviour partly = (r, o) -> {
            if (requests.incrementAndGet() <= 5) o.send(r, StandInResponder.echo(r.request()));
        };
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, partly)) {
            Run first = run(t, "--in", in.toString(), "--out", out.toString(), "--texts-per-request", "4",
                    "--in-flight", "4", "--timeout-ms", "1500", "--retries", "0", "--num-return-sequences", "1");
            assertEquals(ExitStatus.INVALID, first.status(), first.err());
        }
        List<JsonNode> firstRows = jsonLines(out);
        long errorsAfterFirst = Files.readAllLines(dir.resolve("out.jsonl.errors.jsonl")).size();
        assertTrue(firstRows.size() >= 2 && errorsAfterFirst > 0, firstRows.size() + " rows, " + errorsAfterFirst + " errors");
        assertTrue(jsonLines(dir.resolve("out.jsonl.errors.jsonl")).stream()
                .allMatch(e -> e.get("code").textValue().equals("DEADLINE_EXCEEDED")));
        // A killed run leaves half a row behind.
        Files.writeString(out, "{\"text\":\"句子9", StandardOpenOption.APPEND);

        TestTopics t2 = t; // same topics: the first run's unanswered requests are still there, and answered now
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t2.requests())) {
            Run second = run(t2, "--in", in.toString(), "--out", out.toString(), "--texts-per-request", "4",
                    "--num-return-sequences", "1");
            assertEquals(ExitStatus.OK, second.status(), second.err());
            assertTrue(second.err().contains("resuming: " + firstRows.size() / 2 + " texts"), second.err());
        }
        List<JsonNode> rows = jsonLines(out);
        assertEquals(120, rows.size(), "every text once: its original and one variant");
        Set<String> keys = new HashSet<>();
        for (JsonNode row : rows) keys.add(row.get("input_key").textValue());
        assertEquals(60, keys.size());
        for (int i = 1; i <= 60; i++) assertTrue(keys.contains(InputKey.of(i, 0, "句子" + i).toString()), "line " + i);
        assertFalse(Files.exists(dir.resolve("out.jsonl.errors.jsonl")), "the rerun had no errors");

        // The input changed under the output: refused.
        Files.writeString(in, sb.toString().replace("句子3\n", "别的句子\n"));
        Run changed = run(t, "--in", in.toString(), "--out", out.toString());
        assertEquals(ExitStatus.USAGE, changed.status());
        assertTrue(changed.err().contains("written for another input"), changed.err());
    }

    @Test
    void usageErrorsAreClear() throws Exception {
        TestTopics t = SharedBroker.topics("run-usage");
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "sentence\nx\n");
        Run noColumn = run(t, "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString());
        assertEquals(ExitStatus.USAGE, noColumn.status());
        assertTrue(noColumn.err().contains("no column 'text'"), noColumn.err());
        Run badTemperature = run(t, "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(),
                "--column", "sentence", "--temperature", "5");
        assertEquals(ExitStatus.USAGE, badTemperature.status());
        assertTrue(badTemperature.err().contains("PARAM_OUT_OF_RANGE"), badTemperature.err());
        Run unknown = run(t, "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--colum", "x");
        assertEquals(ExitStatus.USAGE, unknown.status());
        assertTrue(unknown.err().contains("unknown option --colum"), unknown.err());
        Run badOut = run(t, "--in", in.toString(), "--out", dir.resolve("o.xml").toString());
        assertEquals(ExitStatus.USAGE, badOut.status());
        TestTopics absent = new TestTopics("absent.requests", "absent.results");
        Run noTopics = run(absent, "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(),
                "--column", "sentence", "--start-timeout-ms", "1500");
        assertEquals(ExitStatus.USAGE, noTopics.status());
        assertTrue(noTopics.err().contains("reply topic absent.results"), noTopics.err());
    }
}

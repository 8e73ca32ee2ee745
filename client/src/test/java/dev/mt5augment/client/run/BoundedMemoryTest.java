package dev.mt5augment.client.run;

import dev.mt5augment.client.AugmentClient;
import dev.mt5augment.client.testing.SharedBroker;
import dev.mt5augment.client.testing.SharedBroker.TestTopics;
import dev.mt5augment.client.testing.StandInResponder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A 100,000-line file streams through a real broker in bounded memory: the live heap (measured after
 * a full GC) when 90% of the lines are done is within a few MB of what it was at 10%, although the
 * 80,000 lines in between hold about 25 MB of text and 50 MB of results. Any per-line state kept by
 * the job or the client (texts, results, futures, timeout tasks) would show as growth.
 */
@SuppressWarnings("try") // a responder runs for the block without being referenced
class BoundedMemoryTest {

    private static final int LINES = 100_000;
    private static final long MAX_GROWTH_BYTES = 8L << 20;

    @TempDir
    Path dir;

    @Test
    void aHundredThousandLinesStreamWithoutTheHeapGrowing() throws Exception {
        Path in = dir.resolve("big.txt");
        try (BufferedWriter w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            String filler = "今天天气很好我们一起去公园散步然后吃午饭再回家看书学习写字画画唱歌跳舞";
            for (int i = 1; i <= LINES; i++) {
                w.write("第" + i + "行：" + filler + filler.substring(0, 20) + filler);
                w.write('\n');
            }
        }
        Path out = dir.resolve("big.jsonl");
        TestTopics t = SharedBroker.topics("bounded", 6);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Long> liveHeap = new ArrayList<>();
        long[] marks = {LINES / 10, LINES * 9 / 10};
        ProgressListener probe = s -> {
            if (liveHeap.size() < marks.length && s.linesDone() >= marks[liveHeap.size()]) {
                System.gc();
                liveHeap.add(memory.getHeapMemoryUsage().getUsed());
            }
        };
        OutputLayout layout = new OutputLayout(OutputFormat.JSONL, true, true, "text");
        RequestParameters params = new RequestParameters(null, null, null, 1L, null, null, null, null, null, null,
                null, null, true, null, null);
        JobSummary summary;
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests());
             AugmentClient client = AugmentClient.builder().bootstrapServers(SharedBroker.bootstrap())
                     .requestTopic(t.requests()).replyTopic(t.results()).timeout(Duration.ofSeconds(60)).maxInFlight(16).build();
             OutputFile output = OutputFile.open(out, layout, 1 << 20);
             InputReader reader = InputReader.open(Files.newInputStream(in), InputFormat.TXT, "text", OutputLayout.RESERVED, 1 << 20);
             ErrorLog errors = new ErrorLog(ErrorLog.pathFor(out))) {
            BulkJob job = new BulkJob(new BulkJob.Settings(64, 16, 0, false), params, client::submit,
                    RowWriter.of(layout, null), output, errors, probe, LINES);
            summary = job.run(reader);
        }
        assertTrue(summary.succeeded(), summary.describe());
        assertEquals(LINES, summary.textsAnswered());
        assertEquals(2, liveHeap.size());
        long growth = liveHeap.get(1) - liveHeap.get(0);
        System.out.printf("bounded memory: live heap %.1f MB at 10%%, %.1f MB at 90%% (%s)%n",
                liveHeap.get(0) / 1048576.0, liveHeap.get(1) / 1048576.0, summary.describe());
        assertTrue(growth < MAX_GROWTH_BYTES, "live heap grew by " + growth / 1024 + " KB between 10% and 90%: " + liveHeap);
        assertEquals(LINES, countLines(out));
        assertTrue(Files.size(out) > 50L << 20, "the output really is large: " + Files.size(out));
    }

    private static long countLines(Path p) throws IOException {
        try (var lines = Files.lines(p, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }
}

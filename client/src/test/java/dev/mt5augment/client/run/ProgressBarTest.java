package dev.mt5augment.client.run;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class ProgressBarTest {

    @Test
    void showsDoneTotalRateEtaAndErrors() {
        String line = ProgressBar.render(new ProgressListener.Snapshot(2_500, 10_000, 500, 2_000, 3, 4_000_000_000L));
        assertEquals("[######..................] 2,500/10,000 lines  25%  500.0 lines/s  ETA 15s  elapsed 4s  skipped 500  errors 3", line);
        assertEquals("[........................] 1/1,000 lines   0%  elapsed 0s  errors 0",
                ProgressBar.render(new ProgressListener.Snapshot(1, 1_000, 0, 1, 0, 10_000_000L)), "no rate or ETA in the first second");
        assertEquals("1,234 lines  100.0 lines/s  elapsed 12s  errors 0",
                ProgressBar.render(new ProgressListener.Snapshot(1_234, -1, 0, 1_234, 0, 12_340_000_000L)), "total unknown");
        assertEquals("1h01m", ProgressBar.duration(3_660));
        assertEquals("2m05s", ProgressBar.duration(125));
    }

    @Test
    void aLogGetsPlainLinesNotRedraws() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        bar.update(new ProgressListener.Snapshot(1, 10, 0, 1, 0, 1));
        assertEquals("", buf.toString(StandardCharsets.UTF_8), "the first line waits for the interval");
        bar.finish(new ProgressListener.Snapshot(10, 10, 0, 10, 0, 2_000_000_000L));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"));
        assertTrue(out.startsWith("[########################] 10/10 lines 100%"), out);
    }
}

package dev.mt5augment.client.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line on standard error: done/total, percentage, rate, ETA, errors. On a terminal it
 * redraws one line ({@code \r}) at most five times a second; otherwise ({@code lines} mode: a log, a
 * CI job) it prints a plain line every ten seconds. Rate and ETA count only lines this run worked
 * on, not the ones a resumed run skipped.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 24;

    private final PrintStream err;
    private final boolean redraw;
    private final long intervalNanos;
    private long lastNanos;

    ProgressBar(PrintStream err, boolean redraw) {
        this.err = err;
        this.redraw = redraw;
        this.intervalNanos = redraw ? 200_000_000L : 10_000_000_000L;
        // A terminal shows the bar at once; a log gets its first line after one interval.
        this.lastNanos = System.nanoTime() - (redraw ? intervalNanos : 0);
    }

    @Override
    public void update(Snapshot s) {
        long now = System.nanoTime();
        if (now - lastNanos < intervalNanos) return;
        lastNanos = now;
        print(s, false);
    }

    @Override
    public void finish(Snapshot s) {
        print(s, true);
    }

    static String render(Snapshot s) {
        StringBuilder sb = new StringBuilder();
        double seconds = s.elapsedNanos() / 1e9;
        long worked = s.linesDone() - s.linesSkipped();
        double rate = seconds > 0 ? worked / seconds : 0;
        if (s.linesTotal() >= 0) {
            double fraction = s.linesTotal() == 0 ? 1 : Math.min(1, (double) s.linesDone() / s.linesTotal());
            int filled = (int) Math.round(fraction * WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%,d/%,d lines %3.0f%%", s.linesDone(), s.linesTotal(), fraction * 100));
        } else {
            sb.append(String.format(Locale.ROOT, "%,d lines", s.linesDone()));
        }
        // Rate and ETA mean nothing in the first second.
        if (seconds >= 1) sb.append(String.format(Locale.ROOT, "  %,.1f lines/s", rate));
        if (seconds >= 1 && s.linesTotal() >= 0 && rate > 0 && s.linesDone() < s.linesTotal()) {
            sb.append("  ETA ").append(duration((long) ((s.linesTotal() - s.linesDone()) / rate)));
        }
        sb.append("  elapsed ").append(duration((long) seconds));
        if (s.linesSkipped() > 0) sb.append(String.format(Locale.ROOT, "  skipped %,d", s.linesSkipped()));
        sb.append(String.format(Locale.ROOT, "  errors %,d", s.errors()));
        return sb.toString();
    }

    private void print(Snapshot s, boolean last) {
        String line = render(s);
        if (redraw) {
            err.print("\r" + line + "\u001b[K" + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String duration(long seconds) {
        if (seconds < 60) return seconds + "s";
        if (seconds < 3600) return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", (seconds % 3600) / 60) + "m";
    }
}

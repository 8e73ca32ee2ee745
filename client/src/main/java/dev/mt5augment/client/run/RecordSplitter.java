package dev.mt5augment.client.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into records without decoding it: at each {@code \n} (a {@code \r} before
 * it dropped), or, in quoted mode (CSV), at each {@code \n} outside double quotes, so a quoted
 * field may hold line breaks. Quotes and line breaks are ASCII, so splitting bytes is safe for
 * UTF-8. A record longer than the limit is counted but not kept: an unclosed quote in a 10 GB
 * file costs no memory.
 *
 * <p>Not thread-safe.
 */
final class RecordSplitter {

    /**
     * One record.
     *
     * @param firstLine  1-based line of the input where the record starts
     * @param bytes      the record without its line end, or {@code null} when longer than the limit
     * @param length     its length in bytes
     * @param endOffset  byte offset just after the record's line end
     * @param terminated false for a last record that the stream ended without a line end
     */
    record Record(long firstLine, byte[] bytes, long length, long endOffset, boolean terminated) {
        boolean blank() {
            if (bytes == null) return false;
            for (byte b : bytes) if (b != ' ' && b != '\t' && b != '\r') return false;
            return true;
        }
    }

    private final InputStream in;
    private final boolean quoted;
    private final int maxBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long offset;
    private long line = 1;
    private boolean ended;
    private byte[] kept = new byte[256];

    RecordSplitter(InputStream in, boolean quoted, int maxBytes) {
        this.in = in;
        this.quoted = quoted;
        this.maxBytes = maxBytes;
    }

    /** The next record, or {@code null} at the end of the stream. */
    Record next() throws IOException {
        if (ended) return null;
        long start = line;
        long length = 0;
        boolean inQuotes = false;
        while (true) {
            if (pos == limit && !fill()) {
                ended = true;
                if (length == 0) return null;
                return finish(start, length, false);
            }
            byte b = buf[pos++];
            offset++;
            if (b == '\n') {
                line++;
                if (!inQuotes) return finish(start, length, true);
            } else if (b == '"' && quoted) {
                inQuotes = !inQuotes;
            }
            if (length < maxBytes + 1L) keep((int) length, b);
            length++;
        }
    }

    /** Counts the records left (for a progress total), reading to the end. */
    long countRemaining() throws IOException {
        long n = 0;
        for (Record r = next(); r != null; r = next()) if (!r.blank()) n++;
        return n;
    }

    private Record finish(long start, long length, boolean terminated) {
        int keptLength = (int) Math.min(length, maxBytes + 1L);
        if (length <= maxBytes + 1L && keptLength > 0 && kept[keptLength - 1] == '\r') {
            keptLength--;
            length--;
        }
        byte[] bytes = length <= maxBytes ? Arrays.copyOf(kept, keptLength) : null;
        return new Record(start, bytes, length, offset, terminated);
    }

    private void keep(int at, byte b) {
        if (at == kept.length) kept = Arrays.copyOf(kept, Math.min(Math.max(256, kept.length * 2), maxBytes + 2));
        kept[at] = b;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }
}

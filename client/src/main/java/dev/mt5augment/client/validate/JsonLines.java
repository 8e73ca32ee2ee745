package dev.mt5augment.client.validate;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines ({@code \n}, with a {@code \r} before it dropped) without
 * decoding them, so invalid UTF-8 reaches the request decoder as it is. A line longer than the
 * limit is counted but not kept, so a 10 GB line costs no memory.
 *
 * <p>Not thread-safe.
 */
final class JsonLines {

    /**
     * One line.
     *
     * @param number 1-based line number
     * @param bytes  the line without its terminator, or {@code null} when longer than the limit
     * @param length the line's length in bytes
     * @param blank  true when the line holds only spaces, tabs and carriage returns
     */
    record Line(int number, byte[] bytes, long length, boolean blank) {
    }

    private final InputStream in;
    private final int maxBytes;
    private int number;
    private boolean ended;

    JsonLines(InputStream in, int maxBytes) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.maxBytes = maxBytes;
    }

    /** The next line, or {@code null} at the end of the stream. */
    Line next() throws IOException {
        if (ended) return null;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long length = 0;
        boolean blank = true;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            length++;
            if (b != ' ' && b != '\t' && b != '\r') blank = false;
            if (length <= maxBytes + 1L) kept.write(b); // one byte over keeps a trailing '\r' decidable
        }
        if (b == -1) {
            ended = true;
            if (length == 0) return null;
        }
        number++;
        byte[] bytes = kept.toByteArray();
        if (length <= maxBytes + 1L && bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
            length--;
        }
        return new Line(number, length <= maxBytes ? bytes : null, length, blank);
    }
}

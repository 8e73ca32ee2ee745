package dev.mt5augment.models.vocab;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a UTF-8 text file as segments to tokenize: one per line, in batches, never the whole file
 * in memory. Blank lines are skipped (they tokenize to {@code </s>} alone). A line longer than
 * {@link #MAX_SEGMENT_BYTES} is cut into several segments at character boundaries, so one hostile
 * line cannot exhaust the heap; the pieces at a cut may differ from those of the whole line, which
 * only shifts a count by one at each cut. A line that is not UTF-8 is an error naming its number.
 *
 * <p>Lines are split on the byte {@code \n}, which never occurs inside a UTF-8 sequence, and each is
 * decoded on its own, so the line number in an error is exact.
 *
 * <p>Not thread-safe.
 */
final class CorpusReader implements Closeable {

    /** 256 KiB: far above a sentence, small enough for any heap. */
    static final int MAX_SEGMENT_BYTES = 1 << 18;

    private final Path file;
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** The byte read past a cut, which starts the next segment; -1 when none. */
    private int pending = -1;
    private long lineNumber = 1;
    private long segments;
    private boolean ended;

    private CorpusReader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /** @throws TrimException when the file is missing, a folder or unreadable */
    static CorpusReader open(Path file, String role) {
        if (Files.isDirectory(file)) throw new TrimException(file + ": the " + role + " is a directory, expected a text file");
        try {
            return new CorpusReader(file, new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        } catch (NoSuchFileException e) {
            throw new TrimException(file + ": no such " + role + " file", e);
        } catch (IOException e) {
            throw new TrimException(file + ": cannot read the " + role + ": " + e.getMessage(), e);
        }
    }

    /**
     * The next segments, at most {@code maxSegments} of at most {@code maxChars} chars in all (one
     * segment is returned even if longer); an empty list at the end of the file.
     */
    List<String> nextBatch(int maxSegments, int maxChars) {
        List<String> batch = new ArrayList<>();
        int chars = 0;
        while (batch.size() < maxSegments && chars < maxChars) {
            String segment = nextSegment();
            if (segment == null) break;
            batch.add(segment);
            chars += segment.length();
        }
        return batch;
    }

    /** Segments returned so far. */
    long segments() {
        return segments;
    }

    /** The 1-based line the reader is on, for messages. */
    long lineNumber() {
        return lineNumber;
    }

    private String nextSegment() {
        while (!ended) {
            String s = readSegment();
            if (s == null) {
                ended = true;
                break;
            }
            if (!s.isBlank()) {
                segments++;
                return s;
            }
        }
        return null;
    }

    /** The rest of the current line up to the cut limit, or null at the end of the file. */
    private String readSegment() {
        line.reset();
        try {
            if (pending >= 0) {
                line.write(pending);
                pending = -1;
            }
            while (true) {
                int b = in.read();
                if (b < 0) return line.size() == 0 ? null : decode(false);
                if (b == '\n') {
                    String s = decode(true);
                    lineNumber++;
                    return s;
                }
                // Cut before a byte that starts a character (not a 10xxxxxx continuation byte).
                if (line.size() >= MAX_SEGMENT_BYTES && (b & 0xC0) != 0x80) {
                    pending = b;
                    return decode(false);
                }
                line.write(b);
            }
        } catch (IOException e) {
            throw new TrimException(file + ": read failed at line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    private String decode(boolean endOfLine) {
        byte[] bytes = line.toByteArray();
        int n = bytes.length;
        if (endOfLine && n > 0 && bytes[n - 1] == '\r') n--;
        try {
            return decoder.reset().decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new TrimException(file + ": line " + lineNumber + " is not valid UTF-8 (" + e + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Read-only: nothing is lost.
        }
    }
}

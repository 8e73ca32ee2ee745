package dev.mt5augment.models.vocab;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
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
 * {@link #MAX_SEGMENT_CHARS} is cut into several segments (never inside a surrogate pair), so one
 * hostile line cannot exhaust the heap; the pieces at a cut may differ from those of the whole line,
 * which only shifts a count by one at each cut. Bytes that are not UTF-8 are an error naming the line.
 *
 * <p>Not thread-safe.
 */
final class CorpusReader implements Closeable {

    /** 64 Ki chars: far above a sentence, small enough for any heap. */
    static final int MAX_SEGMENT_CHARS = 1 << 16;

    private final Path file;
    private final BufferedReader reader;
    private final StringBuilder line = new StringBuilder();
    private long lineNumber = 1;
    private long segments;
    private boolean ended;

    private CorpusReader(Path file, BufferedReader reader) {
        this.file = file;
        this.reader = reader;
    }

    /** @throws TrimException when the file is missing, a folder or unreadable */
    static CorpusReader open(Path file, String role) {
        if (Files.isDirectory(file)) throw new TrimException(file + ": the " + role + " is a directory, expected a text file");
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return new CorpusReader(file, new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16));
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
        line.setLength(0);
        try {
            while (true) {
                int c = reader.read();
                if (c < 0) return line.isEmpty() ? null : take();
                if (c == '\n') {
                    lineNumber++;
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') line.setLength(n - 1);
                    return take();
                }
                line.append((char) c);
                if (line.length() >= MAX_SEGMENT_CHARS && !Character.isHighSurrogate((char) c)) return take();
            }
        } catch (CharacterCodingException e) {
            throw new TrimException(file + ": line " + lineNumber + " is not valid UTF-8 (" + e + ")", e);
        } catch (IOException e) {
            throw new TrimException(file + ": read failed at line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    private String take() {
        String s = line.toString();
        line.setLength(0);
        return s;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // Read-only: nothing is lost.
        }
    }
}

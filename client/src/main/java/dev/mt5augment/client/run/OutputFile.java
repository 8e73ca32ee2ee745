package dev.mt5augment.client.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.client.cli.UsageException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The output file of a run, opened for appending under an exclusive lock (two runs never write one
 * output). An existing output is read first, for resuming: every row's {@code input_key} goes into
 * {@link #answered()}; a last row cut short by a killed run (no line end) is cut off; a row that
 * cannot be read, or a CSV header of another layout, stops the run with a usage error rather than
 * mixing two jobs in one file.
 *
 * <p>Not thread-safe.
 */
final class OutputFile implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final AnsweredInputs answered = new AnsweredInputs();
    private List<String> existingHeader;
    private boolean empty = true;

    private OutputFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    static OutputFile open(Path path, OutputLayout layout, int maxRecordBytes) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new UsageException("another run is writing " + path);
        }
        OutputFile out = new OutputFile(path, ch, lock);
        try {
            out.scan(layout, maxRecordBytes);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /** What the existing rows answer (empty for a new file). */
    AnsweredInputs answered() {
        return answered;
    }

    /** The existing CSV/TSV header, or {@code null} (new file, or JSON lines). */
    List<String> existingHeader() {
        return existingHeader;
    }

    /** True when nothing was written yet: a CSV header is still to come. */
    boolean empty() {
        return empty;
    }

    Path path() {
        return path;
    }

    /** Appends with one write call (see {@link RowWriter}). */
    void write(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) channel.write(buf);
        if (bytes.length > 0) empty = false;
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) lock.release();
        } finally {
            channel.close();
        }
    }

    private void scan(OutputLayout layout, int maxRecordBytes) throws IOException {
        channel.position(0);
        boolean delimited = layout.format() != OutputFormat.JSONL;
        // Rows may be longer than input records (a text and its variants): allow four times the input limit.
        RecordSplitter rows = new RecordSplitter(Channels.newInputStream(channel), delimited, maxRecordBytes * 4 + 1024);
        long validEnd = 0;
        int keyColumn = -1;
        for (RecordSplitter.Record r = rows.next(); r != null; r = rows.next()) {
            if (!r.terminated()) break; // cut short by a killed run: dropped below
            if (r.bytes() == null) throw unreadable(r, "it is too long");
            String text = new String(r.bytes(), StandardCharsets.UTF_8);
            if (text.isBlank()) {
                validEnd = r.endOffset();
                continue;
            }
            String key;
            if (delimited) {
                List<String> fields;
                try {
                    fields = CsvCodec.parse(text, layout.format().delimiter());
                } catch (CsvCodec.MalformedRecordException e) {
                    throw unreadable(r, e.getMessage());
                }
                if (existingHeader == null) {
                    if (!RowWriter.DelimitedRows.headerFits(fields, layout)) {
                        throw new UsageException(path + " has the columns " + fields + ", which do not end with "
                                + layout.addedColumns() + " as this run writes them; use another --out");
                    }
                    existingHeader = List.copyOf(fields);
                    keyColumn = fields.size() - 1;
                    validEnd = r.endOffset();
                    continue;
                }
                if (fields.size() != existingHeader.size()) throw unreadable(r, "it has " + fields.size() + " fields");
                key = fields.get(keyColumn);
            } else {
                JsonNode row;
                try {
                    row = JSON.readTree(r.bytes());
                } catch (IOException e) {
                    throw unreadable(r, "it is not JSON");
                }
                JsonNode k = row == null ? null : row.get(OutputLayout.INPUT_KEY);
                key = k == null || !k.isTextual() ? null : k.textValue();
            }
            InputKey parsed = InputKey.parse(key).orElse(null);
            if (parsed == null) throw unreadable(r, "it has no valid input_key");
            answered.add(parsed);
            validEnd = r.endOffset();
        }
        answered.seal();
        if (channel.size() > validEnd) channel.truncate(validEnd);
        channel.position(validEnd);
        empty = validEnd == 0;
        if (empty) existingHeader = null;
    }

    private UsageException unreadable(RecordSplitter.Record r, String why) {
        return new UsageException("cannot resume: the row at line " + r.firstLine() + " of " + path
                + " cannot be read (" + why + "); is it the output of another tool? Use another --out");
    }
}

package dev.mt5augment.client.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mt5augment.client.cli.UsageException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams the records of an input file, one {@link InputItem} at a time, in bounded memory. Every
 * record yields an item: a problem with one record is an {@link InputItem.Unreadable} for the errors
 * file, never a skipped line. Problems with the file as a whole (no header, no text column) are
 * usage errors.
 *
 * <p>Not thread-safe.
 */
abstract sealed class InputReader implements Closeable
        permits InputReader.TextLines, InputReader.Delimited, InputReader.JsonLines {

    final RecordSplitter splitter;
    private final InputStream in;
    final String column;
    final Set<String> reserved;
    final int maxRecordBytes;
    private boolean first = true;

    private InputReader(InputStream in, boolean quoted, int maxRecordBytes, String column, Set<String> reserved) {
        this.in = in;
        this.maxRecordBytes = maxRecordBytes;
        this.splitter = new RecordSplitter(in, quoted, maxRecordBytes);
        this.column = column;
        this.reserved = reserved;
    }

    /**
     * @param column         the text field's name (.csv/.tsv/.jsonl), or the output name of a .txt line
     * @param reserved       field names the output rows add; an input field with one of them is refused
     * @param maxRecordBytes longer records are refused without being kept
     */
    static InputReader open(InputStream in, InputFormat format, String column, Set<String> reserved, int maxRecordBytes)
            throws IOException {
        return switch (format) {
            case TXT -> new TextLines(in, column, reserved, maxRecordBytes);
            case CSV, TSV -> new Delimited(in, format.delimiter(), column, reserved, maxRecordBytes);
            case JSONL -> new JsonLines(in, column, reserved, maxRecordBytes);
        };
    }

    /** The next item, or {@code null} at the end of the file. */
    abstract InputItem next() throws IOException;

    /** A record over the limit: refused as a whole, never truncated. */
    final InputItem.Unreadable tooLarge(RecordSplitter.Record r, String what, String hint) {
        return new InputItem.Unreadable(r.firstLine(), "RECORD_TOO_LARGE",
                what + " has " + r.length() + " bytes; at most " + maxRecordBytes + " are read" + hint);
    }

    /** The field names in file order when the format has a header, else empty. */
    List<String> header() {
        return List.of();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The next record's bytes with a leading byte order mark removed from the file's first record. */
    byte[] withoutBom(byte[] bytes) {
        boolean wasFirst = first;
        first = false;
        if (wasFirst && bytes != null && bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF) {
            return java.util.Arrays.copyOfRange(bytes, 3, bytes.length);
        }
        return bytes;
    }

    /** Strict UTF-8, or {@code null} with {@code problem[0]} set. */
    static String utf8(byte[] bytes, String[] problem) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            return d.decode(buf).toString();
        } catch (CharacterCodingException e) {
            problem[0] = "the bytes are not UTF-8 near byte " + (buf.position() + 1) + " of the record";
            return null;
        }
    }

    /** .txt: one text a line. */
    static final class TextLines extends InputReader {
        TextLines(InputStream in, String column, Set<String> reserved, int maxBytes) {
            super(in, false, maxBytes, column, reserved);
        }

        @Override
        InputItem next() throws IOException {
            RecordSplitter.Record r = splitter.next();
            if (r == null) return null;
            if (r.bytes() == null) return tooLarge(r, "the line", "");
            byte[] bytes = withoutBom(r.bytes());
            String[] problem = new String[1];
            String text = utf8(bytes, problem);
            if (text == null) return new InputItem.Unreadable(r.firstLine(), "NOT_UTF8", problem[0]);
            if (text.isBlank()) return new InputItem.Blank(r.firstLine());
            LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
            fields.put(column, TextNode.valueOf(text));
            return new InputItem.Record(r.firstLine(), text, fields);
        }
    }

    /** .csv and .tsv: a header row, then one record per row; the {@code column} field is the text. */
    static final class Delimited extends InputReader {
        private final char delimiter;
        private final List<String> header;
        private final int textIndex;

        Delimited(InputStream in, char delimiter, String column, Set<String> reserved, int maxBytes) throws IOException {
            super(in, true, maxBytes, column, reserved);
            this.delimiter = delimiter;
            RecordSplitter.Record h = splitter.next();
            if (h == null) throw new UsageException("the input is empty: a header row is needed");
            if (h.bytes() == null) throw new UsageException("the header row is longer than " + maxBytes + " bytes");
            String[] problem = new String[1];
            String text = utf8(withoutBom(h.bytes()), problem);
            if (text == null) throw new UsageException("the header row is not UTF-8: " + problem[0]);
            try {
                header = CsvCodec.parse(text, delimiter);
            } catch (CsvCodec.MalformedRecordException e) {
                throw new UsageException("the header row: " + e.getMessage());
            }
            Set<String> seen = new HashSet<>();
            for (String name : header) {
                if (!seen.add(name)) throw new UsageException("the header names column '" + name + "' twice");
                if (reserved.contains(name)) {
                    throw new UsageException("the input has a column '" + name + "', a name the output rows use; rename it");
                }
            }
            textIndex = header.indexOf(column);
            if (textIndex < 0) {
                throw new UsageException("no column '" + column + "' in the header " + header + "; choose one with --column");
            }
        }

        @Override
        List<String> header() {
            return header;
        }

        @Override
        InputItem next() throws IOException {
            RecordSplitter.Record r = splitter.next();
            if (r == null) return null;
            if (r.bytes() == null) return tooLarge(r, "the record", " (an unclosed quote?)");
            if (r.bytes().length == 0) return new InputItem.Blank(r.firstLine());
            String[] problem = new String[1];
            String text = utf8(r.bytes(), problem);
            if (text == null) return new InputItem.Unreadable(r.firstLine(), "NOT_UTF8", problem[0]);
            List<String> values;
            try {
                values = CsvCodec.parse(text, delimiter);
            } catch (CsvCodec.MalformedRecordException e) {
                return new InputItem.Unreadable(r.firstLine(), "MALFORMED_CSV", e.getMessage());
            }
            if (values.size() != header.size()) {
                return new InputItem.Unreadable(r.firstLine(), "MALFORMED_CSV", "the record has " + values.size()
                        + " fields, the header has " + header.size());
            }
            LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) fields.put(header.get(i), TextNode.valueOf(values.get(i)));
            return new InputItem.Record(r.firstLine(), values.get(textIndex), fields);
        }
    }

    /** .jsonl: one JSON object a line; the {@code column} field (a string) is the text. */
    static final class JsonLines extends InputReader {
        private final ObjectMapper json;

        JsonLines(InputStream in, String column, Set<String> reserved, int maxBytes) {
            super(in, false, maxBytes, column, reserved);
            JsonFactory factory = JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build();
            this.json = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }

        @Override
        InputItem next() throws IOException {
            RecordSplitter.Record r = splitter.next();
            if (r == null) return null;
            if (r.bytes() == null) return tooLarge(r, "the line", "");
            byte[] bytes = withoutBom(r.bytes());
            if (r.blank()) return new InputItem.Blank(r.firstLine());
            JsonNode node;
            try (JsonParser p = json.getFactory().createParser(bytes)) {
                node = json.readTree(p);
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                String code = m.contains("UTF-8") || m.contains("UTF8") ? "NOT_UTF8" : "MALFORMED_JSON";
                return new InputItem.Unreadable(r.firstLine(), code, m);
            }
            if (node == null || !node.isObject()) {
                return new InputItem.Unreadable(r.firstLine(), "MALFORMED_JSON", "each line must be a JSON object");
            }
            JsonNode text = node.get(column);
            if (text == null || !text.isTextual()) {
                return new InputItem.Unreadable(r.firstLine(), "MISSING_TEXT", "the object has no string field '" + column + "'");
            }
            LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                if (reserved.contains(f.getKey())) {
                    return new InputItem.Unreadable(r.firstLine(), "FIELD_CLASH", "the object has a field '" + f.getKey()
                            + "', a name the output rows use");
                }
                fields.put(f.getKey(), f.getValue());
            }
            return new InputItem.Record(r.firstLine(), text.textValue(), fields);
        }
    }
}

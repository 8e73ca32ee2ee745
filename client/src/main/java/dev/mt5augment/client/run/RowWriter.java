package dev.mt5augment.client.run;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an answered text into the bytes of its output rows (see {@link OutputLayout}). The bytes of
 * all rows of one text are returned together, so the job writes them with one call and a killed
 * run never leaves half a text's rows behind.
 *
 * <p>Not thread-safe.
 */
abstract sealed class RowWriter permits RowWriter.JsonLinesRows, RowWriter.DelimitedRows {

    static final ObjectMapper JSON = new ObjectMapper();

    final OutputLayout layout;

    private RowWriter(OutputLayout layout) {
        this.layout = layout;
    }

    static RowWriter of(OutputLayout layout, List<String> existingHeader) {
        return layout.format() == OutputFormat.JSONL ? new JsonLinesRows(layout) : new DelimitedRows(layout, existingHeader);
    }

    /**
     * Checks, in input order, that a record's fields fit the output; fixes the CSV columns on the
     * first record when the input has no header.
     *
     * @return why the record cannot be written, or {@code null}
     */
    String admit(List<String> inputHeader, Map<String, JsonNode> fields) {
        return null;
    }

    /** Bytes written once at the start of a new output file (the CSV header), or none. */
    byte[] preamble() {
        return new byte[0];
    }

    abstract byte[] rows(InputText text, List<String> variants);

    /** The row values, the input's first: the text field holds the text (or the --split piece). */
    LinkedHashMap<String, JsonNode> inputFields(InputText t) {
        LinkedHashMap<String, JsonNode> f = new LinkedHashMap<>(t.fields());
        f.put(layout.textColumn(), TextNode.valueOf(t.text()));
        return f;
    }

    /**
     * What goes out for one text: the original first unless excluded, then the variants. One row per
     * variant with nothing to write (every variant deduplicated away, original excluded) still gets
     * one row, its variant {@code null}, so that a rerun knows the text was answered.
     */
    List<String> outputs(InputText t, List<String> variants) {
        if (layout.excludeOriginal()) {
            if (variants.isEmpty() && !layout.oneRowPerInput()) return java.util.Collections.singletonList(null);
            return variants;
        }
        List<String> all = new ArrayList<>(variants.size() + 1);
        all.add(t.text());
        all.addAll(variants);
        return all;
    }

    static final class JsonLinesRows extends RowWriter {
        private static final JsonFactory FACTORY = new JsonFactory();

        JsonLinesRows(OutputLayout layout) {
            super(layout);
        }

        @Override
        byte[] rows(InputText t, List<String> variants) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            LinkedHashMap<String, JsonNode> fields = inputFields(t);
            List<String> outputs = outputs(t, variants);
            try {
                if (layout.oneRowPerInput()) {
                    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                        g.setCodec(JSON);
                        startRow(g, fields);
                        g.writeArrayFieldStart(OutputLayout.VARIANTS);
                        for (String v : outputs) g.writeString(v);
                        g.writeEndArray();
                        endRow(g, t);
                    }
                    out.write('\n');
                } else {
                    for (int i = 0; i < outputs.size(); i++) {
                        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                            g.setCodec(JSON);
                            startRow(g, fields);
                            if (outputs.get(i) == null) g.writeNullField(OutputLayout.VARIANT);
                            else g.writeStringField(OutputLayout.VARIANT, outputs.get(i));
                            g.writeBooleanField(OutputLayout.ORIGINAL, i == 0 && !layout.excludeOriginal());
                            endRow(g, t);
                        }
                        out.write('\n');
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory failed", e);
            }
            return out.toByteArray();
        }

        private static void startRow(JsonGenerator g, Map<String, JsonNode> fields) throws IOException {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> f : fields.entrySet()) {
                g.writeFieldName(f.getKey());
                g.writeTree(f.getValue());
            }
        }

        private static void endRow(JsonGenerator g, InputText t) throws IOException {
            g.writeNumberField(OutputLayout.INPUT_LINE, t.key().line());
            g.writeStringField(OutputLayout.INPUT_KEY, t.key().toString());
            g.writeEndObject();
        }
    }

    /** CSV/TSV: columns fixed by the input's header, or by the first .jsonl record, or by the existing output. */
    static final class DelimitedRows extends RowWriter {
        private List<String> inputColumns;
        private boolean fromExistingFile;

        DelimitedRows(OutputLayout layout, List<String> existingHeader) {
            super(layout);
            if (existingHeader != null) {
                List<String> added = layout.addedColumns();
                inputColumns = List.copyOf(existingHeader.subList(0, existingHeader.size() - added.size()));
                fromExistingFile = true;
            }
        }

        /** The header this layout writes after {@code inputColumns}. */
        static boolean headerFits(List<String> header, OutputLayout layout) {
            List<String> added = layout.addedColumns();
            return header.size() > added.size()
                    && header.subList(header.size() - added.size(), header.size()).equals(added);
        }

        @Override
        String admit(List<String> inputHeader, Map<String, JsonNode> fields) {
            if (inputColumns == null) {
                inputColumns = List.copyOf(inputHeader.isEmpty() ? fields.keySet() : inputHeader);
                if (!inputColumns.contains(layout.textColumn())) {
                    List<String> c = new ArrayList<>(inputColumns);
                    c.add(layout.textColumn());
                    inputColumns = List.copyOf(c);
                }
                return null;
            }
            for (String name : fields.keySet()) {
                if (!inputColumns.contains(name)) {
                    return "field '" + name + "' is not a column of the " + layout.format().name().toLowerCase()
                            + " output, whose columns are " + inputColumns + (fromExistingFile
                            ? " (from the existing output's header)" : " (from the first input record)");
                }
            }
            return null;
        }

        @Override
        byte[] preamble() {
            List<String> header = new ArrayList<>(inputColumns);
            header.addAll(layout.addedColumns());
            StringBuilder sb = new StringBuilder();
            CsvCodec.write(header, layout.format().delimiter(), sb);
            sb.append(layout.format().lineEnd());
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        boolean columnsKnown() {
            return inputColumns != null;
        }

        @Override
        byte[] rows(InputText t, List<String> variants) {
            LinkedHashMap<String, JsonNode> fields = inputFields(t);
            List<String> base = new ArrayList<>(inputColumns.size());
            for (String c : inputColumns) base.add(cell(fields.get(c)));
            List<String> outputs = outputs(t, variants);
            StringBuilder sb = new StringBuilder(128);
            char d = layout.format().delimiter();
            String end = layout.format().lineEnd();
            if (layout.oneRowPerInput()) {
                List<String> row = new ArrayList<>(base);
                try {
                    row.add(JSON.writeValueAsString(outputs));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                row.add(Long.toString(t.key().line()));
                row.add(t.key().toString());
                CsvCodec.write(row, d, sb);
                sb.append(end);
            } else {
                for (int i = 0; i < outputs.size(); i++) {
                    List<String> row = new ArrayList<>(base);
                    row.add(outputs.get(i) == null ? "" : outputs.get(i));
                    row.add(Boolean.toString(i == 0 && !layout.excludeOriginal()));
                    row.add(Long.toString(t.key().line()));
                    row.add(t.key().toString());
                    CsvCodec.write(row, d, sb);
                    sb.append(end);
                }
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static String cell(JsonNode v) {
            if (v == null || v.isNull()) return "";
            return v.isTextual() ? v.textValue() : v.toString();
        }
    }
}

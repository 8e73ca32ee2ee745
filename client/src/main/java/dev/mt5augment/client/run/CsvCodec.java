package dev.mt5augment.client.run;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 fields of one record (the record already split by {@link RecordSplitter}): fields are
 * separated by the delimiter; a field in double quotes may hold delimiters, line breaks and quotes
 * written twice ({@code ""}). A quote inside an unquoted field is kept as a character (common
 * in the wild); text after a closing quote, or a quote never closed, is an error. The writer quotes
 * exactly the fields that need it.
 *
 * <p>Stateless and thread-safe.
 */
final class CsvCodec {

    /** A record that breaks the quoting rules. */
    static final class MalformedRecordException extends Exception {
        MalformedRecordException(String message) {
            super(message);
        }
    }

    private CsvCodec() {
    }

    static List<String> parse(String record, char delimiter) throws MalformedRecordException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = record.length();
        while (true) {
            field.setLength(0);
            if (i < n && record.charAt(i) == '"') {
                int open = i++;
                while (true) {
                    if (i >= n) throw new MalformedRecordException("the quote opened at character " + (open + 1) + " is never closed");
                    char c = record.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < n && record.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < n && record.charAt(i) != delimiter) {
                    throw new MalformedRecordException("unexpected text after the closing quote at character " + i
                            + " (a quote inside a quoted field must be doubled)");
                }
            } else {
                while (i < n && record.charAt(i) != delimiter) field.append(record.charAt(i++));
            }
            fields.add(field.toString());
            if (i >= n) return fields;
            i++; // the delimiter; a trailing one means one more empty field
            if (i == n) {
                fields.add("");
                return fields;
            }
        }
    }

    static void write(List<String> fields, char delimiter, StringBuilder out) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) out.append(delimiter);
            String f = fields.get(i);
            if (needsQuotes(f, delimiter)) {
                out.append('"');
                for (int j = 0; j < f.length(); j++) {
                    char c = f.charAt(j);
                    if (c == '"') out.append('"');
                    out.append(c);
                }
                out.append('"');
            } else {
                out.append(f);
            }
        }
    }

    private static boolean needsQuotes(String f, char delimiter) {
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
        }
        return false;
    }
}

package dev.mt5augment.client.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;

/** What an input reader yields for each record of the file. */
sealed interface InputItem permits InputItem.Record, InputItem.Unreadable, InputItem.Blank {

    /** 1-based line of the input file where the record starts. */
    long line();

    /**
     * A readable record.
     *
     * @param text   the text to augment, as written in the file (trimming is the contract's job)
     * @param fields every field of the record in file order, the text field included, for the output
     *               rows (CSV values as JSON strings); {@code {"text": ...}} for a .txt line
     */
    record Record(long line, String text, LinkedHashMap<String, JsonNode> fields) implements InputItem {
    }

    /**
     * A record that cannot be read.
     *
     * @param code {@code NOT_UTF8}, {@code RECORD_TOO_LARGE}, {@code MALFORMED_JSON} (as in the contract),
     *             {@code MALFORMED_CSV}, {@code MISSING_TEXT} (no string text field) or {@code FIELD_CLASH}
     *             (a field named like an output column)
     */
    record Unreadable(long line, String code, String message) implements InputItem {
    }

    /** A blank line of a .txt or .jsonl file: not an input, counted. */
    record Blank(long line) implements InputItem {
    }
}

package dev.mt5augment.client.run;

import dev.mt5augment.client.cli.UsageException;

import java.nio.file.Path;
import java.util.Locale;

/** What {@code augment run --in} reads, chosen by the file's extension. */
enum InputFormat {
    /** One text a line (blank lines are skipped and counted). */
    TXT,
    /** RFC 4180 comma-separated values with a header row. */
    CSV,
    /** The same rules with a tab as the separator. */
    TSV,
    /** One JSON object a line, the text in a string field. */
    JSONL;

    static InputFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".txt")) return TXT;
        if (name.endsWith(".csv")) return CSV;
        if (name.endsWith(".tsv")) return TSV;
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return JSONL;
        throw new UsageException("cannot tell the input format of " + file + ": use .txt, .csv, .tsv or .jsonl");
    }

    boolean delimited() {
        return this == CSV || this == TSV;
    }

    char delimiter() {
        return this == TSV ? '\t' : ',';
    }
}

package dev.mt5augment.client.run;

import dev.mt5augment.client.cli.UsageException;

import java.nio.file.Path;
import java.util.Locale;

/** What {@code augment run --out} writes, chosen by the file's extension. */
enum OutputFormat {
    /** One JSON object a row. */
    JSONL,
    /** RFC 4180, CRLF line ends, a header row. */
    CSV,
    /** Tab-separated, same quoting rules as CSV, LF line ends. */
    TSV;

    static OutputFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return JSONL;
        if (name.endsWith(".csv")) return CSV;
        if (name.endsWith(".tsv")) return TSV;
        throw new UsageException("cannot tell the output format of " + file + ": use .jsonl, .csv or .tsv");
    }

    char delimiter() {
        return this == TSV ? '\t' : ',';
    }

    String lineEnd() {
        return this == CSV ? "\r\n" : "\n";
    }
}

package dev.mt5augment.client.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a verb reads and writes: the process's streams in {@code main}, buffers in tests.
 *
 * @param in  standard input, read as bytes (a verb decides the encoding)
 * @param out standard output, raw bytes (JSON lines are written as UTF-8 whatever the platform)
 * @param err diagnostics, UTF-8 text
 */
public record Console(InputStream in, OutputStream out, PrintStream err) {

    public static Console system() {
        return new Console(System.in, System.out, new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }
}

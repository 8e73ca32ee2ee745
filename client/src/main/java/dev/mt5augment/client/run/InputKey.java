package dev.mt5augment.client.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifies one input text across runs, for resuming: the line where its record starts, its part
 * (0, or the piece's index with {@code --split}), and the first 32 bits of the SHA-256 of its text.
 * Written in every output row as {@code input_key}, {@code "<line>.<part>:<8 hex>"}, e.g.
 * {@code "12.0:9f86d081"}. The hash tells a rerun whether the input file changed under the output.
 */
record InputKey(long line, int part, int hash) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,15})\\.(\\d{1,6}):([0-9a-f]{8})");

    static InputKey of(long line, int part, String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            int h = ((d[0] & 0xFF) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
            return new InputKey(line, part, h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static Optional<InputKey> parse(String s) {
        if (s == null) return Optional.empty();
        Matcher m = FORM.matcher(s);
        if (!m.matches()) return Optional.empty();
        return Optional.of(new InputKey(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)),
                (int) Long.parseLong(m.group(3), 16)));
    }

    /** Line and part in one sortable number (parts below 2^20). */
    long position() {
        return (line << 20) | part;
    }

    @Override
    public String toString() {
        return line + "." + part + ":" + HexFormat.of().toHexDigits(hash);
    }
}

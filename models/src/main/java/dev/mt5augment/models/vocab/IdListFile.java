package dev.mt5augment.models.vocab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file of token ids for {@code --keep-ids}: decimal integers separated by whitespace or commas,
 * optionally inside one JSON-style {@code [ ]}; {@code #} starts a comment to the end of the line.
 * {@code seq 0 29999 > ids.txt} writes one.
 */
public final class IdListFile {

    /** 64 MiB: millions of ids; a larger file is refused unread. */
    static final long MAX_BYTES = 64L << 20;

    private IdListFile() {
    }

    /** @throws TrimException naming the file and line of anything that is not an id */
    public static int[] read(Path file) {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) throw new TrimException(file + ": " + size + " bytes is too large for an id list (limit " + MAX_BYTES + ")");
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TrimException(file + ": no such id list file", e);
        } catch (IOException e) {
            throw new TrimException(file + ": cannot read the id list: " + e.getMessage(), e);
        }
        int[] ids = new int[16];
        int n = 0;
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') i++;
            } else if (Character.isWhitespace(c) || c == ',' || c == '[' || c == ']') {
                i++;
            } else if (c >= '0' && c <= '9') {
                int start = i;
                while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
                String digits = text.substring(start, i);
                if (digits.length() > 9) throw new TrimException(file + ": line " + line + ": id " + digits + " is too large");
                if (n == ids.length) ids = Arrays.copyOf(ids, n * 2);
                ids[n++] = Integer.parseInt(digits);
            } else {
                throw new TrimException(file + ": line " + line + ": '" + c + "' is not part of an id (ids are decimal integers >= 0)");
            }
        }
        if (n == 0) throw new TrimException(file + ": the id list is empty");
        return Arrays.copyOf(ids, n);
    }
}

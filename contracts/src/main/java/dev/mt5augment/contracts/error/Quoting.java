package dev.mt5augment.contracts.error;

/** Quotes user-supplied values in error messages, bounded so a 1 MiB string never lands in a header. */
public final class Quoting {

    /** Longest part of a user value that an error message repeats. */
    public static final int MAX_QUOTED_CHARS = 64;

    private Quoting() {
    }

    /** {@code 'value'} with control characters escaped, cut after {@link #MAX_QUOTED_CHARS}. */
    public static String quote(String value) {
        if (value == null) return "null";
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(value.length(), MAX_QUOTED_CHARS);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > n) sb.append("...");
        return sb.append('\'').toString();
    }

    /**
     * At most {@code max} characters, with unpaired surrogates replaced by U+FFFD, so the result can
     * always be written as UTF-8 (a header value, a JSON reply).
     */
    public static String clean(String s, int max) {
        String cut = s;
        if (s.length() > max) {
            int end = max - 3;
            if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
            cut = s.substring(0, end) + "...";
        }
        StringBuilder sb = null;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < cut.length() && Character.isLowSurrogate(cut.charAt(i + 1));
            if (paired) {
                if (sb != null) sb.append(c).append(cut.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                if (sb == null) sb = new StringBuilder(cut.length()).append(cut, 0, i);
                sb.append('\uFFFD');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? cut : sb.toString();
    }
}

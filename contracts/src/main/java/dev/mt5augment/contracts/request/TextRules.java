package dev.mt5augment.contracts.request;

import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;
import dev.mt5augment.contracts.error.Quoting;
import dev.mt5augment.contracts.task.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules for texts and labels. Trimming is {@link String#strip()} (Unicode white space, so the
 * ideographic space U+3000 goes too); lengths count Unicode code points after trimming, so an emoji
 * outside the BMP counts once, as in JSON Schema's {@code maxLength}.
 */
public final class TextRules {

    private TextRules() {
    }

    /** The single {@code text} field, trimmed and checked. */
    public static String text(String raw) {
        return checkText(raw, RequestField.TEXT.wireName());
    }

    /** The {@code texts} field, each trimmed and checked; the count is checked first. */
    public static List<String> texts(List<String> raw) {
        String field = RequestField.TEXTS.wireName();
        if (raw.isEmpty()) {
            throw new InvalidRequestException(ErrorCode.EMPTY_TEXT, field, "texts must hold at least one text");
        }
        if (raw.size() > RequestLimits.MAX_TEXTS) {
            throw new InvalidRequestException(ErrorCode.TOO_MANY_TEXTS, field,
                    // The decoder stops reading a list one past its limit, so the true count is unknown here.
                    "texts holds more than " + RequestLimits.MAX_TEXTS + " texts; at most " + RequestLimits.MAX_TEXTS
                            + " are allowed (send several requests)");
        }
        List<String> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) out.add(checkText(raw.get(i), RequestField.TEXTS.item(i)));
        return List.copyOf(out);
    }

    /** The labels, each trimmed and checked; {@code classify} needs at least one. */
    public static List<String> labels(List<String> raw, Task task) {
        String field = RequestField.LABELS.wireName();
        List<String> labels = raw == null ? List.of() : raw;
        if (labels.isEmpty() && task.needsLabels()) {
            throw new InvalidRequestException(ErrorCode.MISSING_LABELS, field,
                    "task " + task.wireName() + " needs labels: a non-empty list of candidate labels");
        }
        if (labels.size() > RequestLimits.MAX_LABELS) {
            throw new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, field,
                    "labels holds more than " + RequestLimits.MAX_LABELS + " labels");
        }
        List<String> out = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            String itemField = RequestField.LABELS.item(i);
            String label = labels.get(i);
            if (label == null) throw new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, itemField, itemField + " must be a string, got null");
            requireUnicode(label, itemField);
            String trimmed = label.strip();
            int length = trimmed.codePointCount(0, trimmed.length());
            if (length < 1 || length > RequestLimits.MAX_LABEL_CODE_POINTS) {
                throw new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, itemField,
                        itemField + " must have 1 to " + RequestLimits.MAX_LABEL_CODE_POINTS
                                + " characters after trimming, got " + length);
            }
            out.add(trimmed);
        }
        return List.copyOf(out);
    }

    /** {@link ErrorCode#NOT_UTF8} when {@code s} holds an unpaired surrogate, which UTF-8 cannot encode. */
    public static void requireUnicode(String s, String field) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException(ErrorCode.NOT_UTF8, field, String.format(
                        "%s holds an unpaired surrogate \\u%04x at index %d; text must be valid Unicode", field, (int) c, i));
            }
        }
    }

    private static String checkText(String raw, String field) {
        if (raw == null) throw new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, field, field + " must be a string, got null");
        requireUnicode(raw, field);
        String trimmed = raw.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidRequestException(ErrorCode.EMPTY_TEXT, field,
                    field + " is empty" + (raw.isEmpty() ? "" : " after trimming white space"));
        }
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length > RequestLimits.MAX_TEXT_CODE_POINTS) {
            throw new InvalidRequestException(ErrorCode.TEXT_TOO_LONG, field,
                    field + " has " + length + " characters (Unicode code points) after trimming; at most "
                            + RequestLimits.MAX_TEXT_CODE_POINTS + " are allowed: " + Quoting.quote(trimmed));
        }
        return trimmed;
    }
}

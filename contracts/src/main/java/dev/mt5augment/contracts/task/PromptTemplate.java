package dev.mt5augment.contracts.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One prompt template: literal text with the placeholders {@code {text}} and {@code {labels}}.
 * Any other brace is literal. The template is split into parts once, so rendering substitutes in
 * a single pass: a text that itself contains {@code {labels}} stays as it is.
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptTemplate {

    public static final String TEXT = "{text}";
    public static final String LABELS = "{labels}";
    /** Labels are joined with this, as the model card writes them. */
    public static final String LABEL_SEPARATOR = ",";

    private sealed interface Part permits Literal, TextSlot, LabelsSlot {
    }

    private record Literal(String value) implements Part {
    }

    private record TextSlot() implements Part {
    }

    private record LabelsSlot() implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private PromptTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * Parses a template. It must contain {@code {text}} at least once.
     *
     * @throws IllegalArgumentException when it does not
     */
    public static PromptTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        List<Part> parts = new ArrayList<>();
        int i = 0;
        boolean hasText = false;
        StringBuilder literal = new StringBuilder();
        while (i < template.length()) {
            if (template.startsWith(TEXT, i)) {
                flush(literal, parts);
                parts.add(new TextSlot());
                hasText = true;
                i += TEXT.length();
            } else if (template.startsWith(LABELS, i)) {
                flush(literal, parts);
                parts.add(new LabelsSlot());
                i += LABELS.length();
            } else {
                literal.append(template.charAt(i++));
            }
        }
        flush(literal, parts);
        if (!hasText) {
            throw new IllegalArgumentException("a prompt template must contain " + TEXT + ": '" + template + "'");
        }
        return new PromptTemplate(template, List.copyOf(parts));
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /** True when the template lists labels. */
    public boolean usesLabels() {
        return parts.stream().anyMatch(p -> p instanceof LabelsSlot);
    }

    /** The prompt for {@code text}, with {@code labels} joined by {@value #LABEL_SEPARATOR}. */
    public String render(String text, List<String> labels) {
        Objects.requireNonNull(text, "text");
        String joined = labels == null ? "" : String.join(LABEL_SEPARATOR, labels);
        StringBuilder sb = new StringBuilder(source.length() + text.length() + joined.length());
        for (Part p : parts) {
            if (p instanceof Literal l) sb.append(l.value());
            else if (p instanceof TextSlot) sb.append(text);
            else sb.append(joined);
        }
        return sb.toString();
    }

    /** The template as written. */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptTemplate other && other.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }
}

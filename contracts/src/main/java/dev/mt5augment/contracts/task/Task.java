package dev.mt5augment.contracts.task;

import java.util.Optional;

/**
 * What the model is asked to do with each text. Every task is a prompt template over the text
 * (see {@link PromptTemplates}); the wire form is {@link #wireName()}.
 */
public enum Task {
    /** Paraphrase the text into variants; sampling by default. */
    AUGMENT("augment", false),
    /** Pick one of the request's {@code labels} for the text. */
    CLASSIFY("classify", true),
    /** Summarise the text. */
    SUMMARIZE("summarize", true),
    /** Generate a title for the text. */
    TITLE("title", true),
    /** Extract keywords from the text. */
    KEYWORDS("keywords", true),
    /** Sentiment of the text. */
    SENTIMENT("sentiment", true),
    /** Translate the text into English. */
    TRANSLATE_EN("translate_en", true),
    /** The text is the whole prompt; sampling by default. */
    CUSTOM("custom", false);

    private final String wireName;
    private final boolean zeroShot;

    Task(String wireName, boolean zeroShot) {
        this.wireName = wireName;
        this.zeroShot = zeroShot;
    }

    /** The name producers write in {@code task}: lower case, e.g. {@code "translate_en"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * True for the tasks with one right answer (everything but {@code augment} and {@code custom}):
     * they default to beam search, the others to sampling.
     */
    public boolean zeroShot() {
        return zeroShot;
    }

    /** True when the prompt lists the request's labels. */
    public boolean needsLabels() {
        return this == CLASSIFY;
    }

    /** The task with this exact wire name (case-sensitive), if any. */
    public static Optional<Task> fromWireName(String name) {
        for (Task t : values()) {
            if (t.wireName.equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }
}

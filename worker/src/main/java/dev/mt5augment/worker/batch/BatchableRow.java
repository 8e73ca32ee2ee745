package dev.mt5augment.worker.batch;

/** What {@link BatchPlanner} needs to know about one encoder row. */
public interface BatchableRow {
    /** Encoder input length in tokens, {@code </s>} included. */
    int inputTokens();

    /** Decoder rows this encoder row becomes: return sequences, or beams for beam search. */
    int decoderRows();

    /** When the row became ready ({@link System#nanoTime()}); linger is measured from here. */
    long readyAtNanos();
}

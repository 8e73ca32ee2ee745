package dev.mt5augment.worker.intake;

import dev.mt5augment.worker.commit.Completion;

/** What the consumer thread does with one record: hand it to the model, or finish it at once. */
public sealed interface Intake {
    /** A valid request: goes to the inference thread. */
    record Accepted(WorkItem item) implements Intake {
    }

    /** Refused (malformed, invalid, not allowed): its dead letter and error reply are ready. */
    record Refused(Completion completion, String reason) implements Intake {
    }
}

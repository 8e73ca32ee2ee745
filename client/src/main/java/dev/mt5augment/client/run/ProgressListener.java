package dev.mt5augment.client.run;

/**
 * Told about a run's progress. Called on the run's thread after each input line is finished
 * (answered, failed, skipped or blank), and once at the end; implementations throttle themselves.
 */
interface ProgressListener {

    /**
     * Where a run stands.
     *
     * @param linesDone      input lines finished
     * @param linesTotal     input lines in the file, or -1 when not counted
     * @param linesSkipped   of {@code linesDone}, lines whose texts an earlier run already answered
     * @param textsAnswered  texts answered by this run
     * @param errors         inputs that failed in this run (see the errors file)
     * @param elapsedNanos   since the run started
     */
    record Snapshot(long linesDone, long linesTotal, long linesSkipped, long textsAnswered, long errors,
                    long elapsedNanos) {
    }

    void update(Snapshot s);

    default void finish(Snapshot s) {
        update(s);
    }

    ProgressListener NONE = s -> { };
}

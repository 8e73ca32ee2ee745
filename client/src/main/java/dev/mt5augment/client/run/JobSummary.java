package dev.mt5augment.client.run;

import java.util.Locale;

/**
 * What a run did.
 *
 * @param lines           input lines (records) read
 * @param blankLines      of those, blank lines (no input)
 * @param linesSkipped    lines whose every text an earlier run had answered
 * @param textsAnswered   texts answered by this run (their rows are in the output)
 * @param textsSkipped    texts already answered in the output
 * @param variantsWritten variants written by this run
 * @param errors          inputs that failed (lines that could not be read, texts not answered)
 * @param requests        requests sent, retries included
 * @param retries         of those, retries
 * @param elapsedNanos    wall time of the run
 */
record JobSummary(long lines, long blankLines, long linesSkipped, long textsAnswered, long textsSkipped,
                  long variantsWritten, long errors, long requests, long retries, long elapsedNanos) {

    boolean succeeded() {
        return errors == 0;
    }

    String describe() {
        double s = elapsedNanos / 1e9;
        return String.format(Locale.ROOT, "%,d lines: %,d texts answered (%,d variants), %,d already answered, %,d blank, "
                        + "%,d errors; %,d requests (%,d retries) in %.1f s, %,.1f texts/s",
                lines, textsAnswered, variantsWritten, textsSkipped, blankLines, errors, requests, retries, s,
                s > 0 ? textsAnswered / s : 0.0);
    }
}

package dev.mt5augment.worker.preflight;

import java.io.PrintStream;
import java.util.List;

/**
 * Everything the machine check found, in the order checked. The worker starts only when no finding
 * is a {@link Finding.Severity#FAIL}.
 */
public record PreflightReport(List<Finding> findings) {
    /** Exit status of {@code bin/worker} (and {@code bin/worker check}) when the machine is not ready. */
    public static final int EXIT_NOT_READY = 3;

    public PreflightReport {
        findings = List.copyOf(findings);
    }

    public List<Finding> failures() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.FAIL).toList();
    }

    public boolean ready() {
        return failures().isEmpty();
    }

    /** The findings of one check. */
    public List<Finding> of(String check) {
        return findings.stream().filter(f -> f.check().equals(check)).toList();
    }

    /** One line per finding, then, when something failed, one line saying the worker stops. */
    public void print(PrintStream out) {
        for (Finding f : findings) out.println(f.line());
        int n = failures().size();
        if (n > 0) {
            out.println("preflight: " + n + " problem" + (n == 1 ? "" : "s")
                    + " above: the worker does not start (exit " + EXIT_NOT_READY + ")");
        }
    }
}

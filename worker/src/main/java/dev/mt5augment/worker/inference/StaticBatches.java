package dev.mt5augment.worker.inference;

import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.worker.batch.BatchPlanner;
import dev.mt5augment.worker.batch.PlannedBatch;
import dev.mt5augment.worker.observe.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one planned batch to its end with {@link InferenceRunner}: a failing batch is split until the
 * poison rows are alone; a poison row fails its request. When every row failed, the device is
 * suspect: the circuit breaker records a failure and the rows go back to the planner for another
 * try, up to {@code maxAttempts}. Static batching runs every batch this way; continuous batching
 * runs beam-search rows and the rows of a failed step this way.
 *
 * <p>Threading: inference thread only.
 */
final class StaticBatches {
    private static final Logger log = LoggerFactory.getLogger(StaticBatches.class);

    private final InferenceRunner runner;
    private final BatchPlanner<InferenceRow> planner;
    private final CircuitBreaker breaker;
    private final RequestOutcomes outcomes;
    private final int maxAttempts;
    private final WorkerMetrics metrics;

    StaticBatches(InferenceRunner runner, BatchPlanner<InferenceRow> planner, CircuitBreaker breaker, RequestOutcomes outcomes,
                  int maxAttempts, WorkerMetrics metrics) {
        this.runner = runner;
        this.planner = planner;
        this.breaker = breaker;
        this.outcomes = outcomes;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
    }

    void run(PlannedBatch<InferenceRow> batch) {
        List<InferenceRow> rows = batch.rows();
        List<GenerationInput> inputs = new ArrayList<>(rows.size());
        for (InferenceRow r : rows) inputs.add(r.input);
        long start = System.nanoTime();
        long startEpochMs = System.currentTimeMillis();
        BatchReport report = runner.run(inputs);
        long elapsed = System.nanoTime() - start;
        metrics.batch(batch.decoderRows(), batch.paddingRatio(), report.modelNanos(), report.newTokens());
        if (report.failedCalls() > 0) metrics.inferenceCallFailed(report.failedCalls());
        if (report.allFailed()) {
            RowResult.Failed f = (RowResult.Failed) report.results().get(0);
            breaker.onError(elapsed, TimeUnit.NANOSECONDS, f.cause());
            log.warn("every row of a batch of {} failed ({} calls); breaker {}: {}", rows.size(), report.calls(),
                    breaker.getState(), f.cause().toString());
        } else {
            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        }

        Set<InFlightRequest> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (InferenceRow r : rows) {
            if (seen.add(r.request)) r.request.batchStarted(startEpochMs, report.modelNanos());
        }
        long now = System.nanoTime();
        for (int i = 0; i < rows.size(); i++) {
            InferenceRow row = rows.get(i);
            if (!RequestOutcomes.wanted(row)) continue;
            RowResult result = report.results().get(i);
            if (result instanceof RowResult.Generated g) {
                outcomes.generated(row, g.output());
            } else if (result instanceof RowResult.Failed f) {
                if (report.allFailed() && row.attempts() + 1 < maxAttempts) {
                    row.retryLater(now);
                    planner.add(row);
                } else {
                    outcomes.failed(row, f.cause());
                }
            }
        }
    }
}

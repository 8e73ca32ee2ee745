package dev.mt5augment.worker.inference;

import dev.mt5augment.models.generation.AdmissionPolicy;
import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.models.generation.FinishedInput;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationSession;
import dev.mt5augment.models.generation.StepResult;
import dev.mt5augment.worker.batch.BatchLimits;
import dev.mt5augment.worker.batch.BatchPlanner;
import dev.mt5augment.worker.batch.PlannedBatch;
import dev.mt5augment.worker.observe.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous batching on the inference thread: rows join the model's {@link GenerationSession}
 * between decoder steps and leave it the step they finish, so a short request no longer waits for
 * the longest one of its batch.
 *
 * <ul>
 *   <li><b>Admission</b>: waiting rows join as the {@link AdmissionPolicy} allows, within
 *       {@link BatchLimits#maxRows()} live decoder rows and {@link BatchLimits#maxTokens()} live
 *       encoder tokens, picked by the planner around the oldest row. An idle model lingers for batch
 *       mates as static batching does. Each admission counts as a call for the circuit breaker, and
 *       an open breaker admits nothing. Deadlines are checked before rows join (as before a static
 *       batch); a row that joined runs to its end.</li>
 *   <li><b>Failure isolation</b>: when the engine fails during a step (or while encoding an
 *       admission), every row the step held is taken out and run again from scratch through
 *       {@link StaticBatches}, whose halving finds a poison row; generation is deterministic, so
 *       the others get exactly what the session would have given them. When all of them fail, the
 *       breaker counts it and they wait for another try.</li>
 *   <li><b>Beam search</b> rows run as static batches between steps (the session has no beam
 *       search).</li>
 *   <li><b>Commit order</b> is not this class's concern: requests finish in any order and the
 *       consumer thread's offset tracker releases them in offset order.</li>
 * </ul>
 *
 * <p>Threading: inference thread only.
 */
final class ContinuousBatches implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContinuousBatches.class);

    private final GenerationSession<InferenceRow> session;
    private final AdmissionPolicy admission;
    private final BatchLimits limits;
    private final BatchPlanner<InferenceRow> planner;
    private final StaticBatches isolation;
    private final CircuitBreaker breaker;
    private final RequestOutcomes outcomes;
    private final WorkerMetrics metrics;
    private final Set<InferenceRow> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long liveTokens;

    ContinuousBatches(GenerationSession<InferenceRow> session, BatchLimits limits, BatchPlanner<InferenceRow> planner,
                      StaticBatches isolation, CircuitBreaker breaker, RequestOutcomes outcomes, WorkerMetrics metrics) {
        this.session = session;
        this.admission = AdmissionPolicy.forRows(limits.maxRows());
        this.limits = limits;
        this.planner = planner;
        this.isolation = isolation;
        this.breaker = breaker;
        this.outcomes = outcomes;
        this.metrics = metrics;
    }

    boolean isEmpty() {
        return live.isEmpty();
    }

    int liveRows() {
        return session.liveRows();
    }

    /** Drops the rows of revoked partitions: nobody will commit their results. */
    void evictRevoked() {
        forget(session.evict(r -> r.request.item().lease().isRevoked()));
    }

    /** Drops the live rows of a request that was just answered (one of its rows failed). */
    void withdraw(InFlightRequest request) {
        if (!live.isEmpty()) forget(session.evict(r -> r.request == request));
    }

    /** Lets waiting rows join before the next step, as the policy and limits allow. */
    void admit(long nowNanos) {
        boolean idle = session.isEmpty();
        boolean waiting = idle ? planner.nanosUntilDue(nowNanos) == 0 : !planner.isEmpty();
        int room = admission.admissibleRows(session.liveRows(), waiting);
        if (room == 0) return;
        if (!breaker.tryAcquirePermission()) return;
        int tokenRoom = (int) Math.max(0, Math.min(Integer.MAX_VALUE, limits.maxTokens() - liveTokens));
        Optional<PlannedBatch<InferenceRow>> planned = idle ? planner.next(nowNanos, true) : planner.nextWithin(room, tokenRoom);
        if (planned.isEmpty()) {
            breaker.releasePermission();
            return;
        }
        List<InferenceRow> beams = new ArrayList<>();
        List<InferenceRow> joining = new ArrayList<>();
        for (InferenceRow r : planned.get().rows()) {
            (r.input.config().strategy() == DecodingStrategy.BEAM ? beams : joining).add(r);
        }
        if (!beams.isEmpty()) isolation.run(PlannedBatch.of(beams));
        if (!joining.isEmpty()) join(joining, planned.get().paddingRatio());
    }

    private void join(List<InferenceRow> rows, double padding) {
        List<GenerationInput> inputs = new ArrayList<>(rows.size());
        for (InferenceRow r : rows) inputs.add(r.input);
        long start = System.nanoTime();
        try {
            session.admit(inputs, rows);
        } catch (RuntimeException e) {
            metrics.inferenceCallFailed(1);
            log.warn("{} rows could not join the running batch; running them alone to isolate the failure: {}", rows.size(), e.toString());
            isolation.run(PlannedBatch.of(rows));
            return;
        }
        long now = System.nanoTime();
        breaker.onSuccess(now - start, TimeUnit.NANOSECONDS);
        metrics.admitted(padding);
        long epochMs = System.currentTimeMillis();
        for (InferenceRow r : rows) {
            r.admittedAtNanos = start;
            r.request.batchStarted(epochMs, 0);
            live.add(r);
            liveTokens += r.inputTokens();
        }
    }

    /** One decoder step; finished rows complete their requests. */
    void step() {
        if (live.isEmpty()) return;
        long start = System.nanoTime();
        StepResult<InferenceRow> result = session.step();
        long now = System.nanoTime();
        if (result instanceof StepResult.Advanced<InferenceRow> advanced) {
            metrics.decoderStep(advanced.rows(), now - start);
            for (FinishedInput<InferenceRow> f : advanced.finished()) {
                InferenceRow row = f.tag();
                forget(List.of(row));
                row.request.addModelNanos(now - row.admittedAtNanos);
                metrics.generatedTokens(outcomes.newTokens(f.output()));
                outcomes.generated(row, f.output());
            }
        } else if (result instanceof StepResult.Failed<InferenceRow> failed) {
            metrics.inferenceCallFailed(1);
            forget(failed.evicted());
            List<InferenceRow> rerun = new ArrayList<>();
            for (InferenceRow r : failed.evicted()) if (RequestOutcomes.wanted(r)) rerun.add(r);
            log.warn("a decoder step holding {} inputs failed; running {} of them again in static batches to isolate the failure: {}",
                    failed.evicted().size(), rerun.size(), failed.cause().toString());
            if (!rerun.isEmpty()) isolation.run(PlannedBatch.of(rerun));
        }
    }

    private void forget(List<InferenceRow> rows) {
        for (InferenceRow r : rows) {
            if (live.remove(r)) liveTokens -= r.inputTokens();
        }
    }

    @Override
    public void close() {
        session.close();
    }
}

package dev.mt5augment.worker.inference;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.result.Timings;
import dev.mt5augment.models.generation.GeneratedSequence;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.tokenizer.TextTokenizer;
import dev.mt5augment.worker.batch.BatchLimits;
import dev.mt5augment.worker.batch.BatchPlanner;
import dev.mt5augment.worker.batch.PlannedBatch;
import dev.mt5augment.worker.commit.Completion;
import dev.mt5augment.worker.intake.WorkItem;
import dev.mt5augment.worker.observe.WorkerMetrics;
import dev.mt5augment.worker.reply.CompletionFactory;
import dev.mt5augment.worker.reply.VariantDeduper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The inference thread of a worker loop: takes work items from its inbox, plans batches, runs
 * them on the model, and puts a finished {@link Completion} per request in its outbox.
 *
 * <p>Rules:
 * <ul>
 *   <li>Only this thread touches the generator and the planner. The consumer thread only calls
 *       {@link #submit}, reads {@link #outbox()}, and calls {@link #stop()}.</li>
 *   <li>Rows of a revoked partition lease are dropped before each batch; results for them are
 *       not turned into completions.</li>
 *   <li>A request whose deadline passed before its batch runs is answered DEADLINE_EXCEEDED.</li>
 *   <li>A failing batch is split until the poison rows are alone ({@link InferenceRunner}); a
 *       poison row fails its request with INFERENCE_FAILED (dead letter). When every row of a
 *       batch failed, the device is suspect: the circuit breaker records a failure and the rows
 *       wait for another try, up to {@code maxAttempts}. An open breaker stops batches until its
 *       wait is over; the consumer pauses meanwhile.</li>
 * </ul>
 */
public final class InferenceStage implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(InferenceStage.class);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BlockingQueue<WorkItem> inbox = new LinkedBlockingQueue<>();
    private final Queue<Completion> outbox = new ConcurrentLinkedQueue<>();
    private final BatchPlanner<InferenceRow> planner;
    private final InferenceRunner runner;
    private final TextTokenizer tokenizer;
    private final int eosId;
    private final CircuitBreaker breaker;
    private final CompletionFactory completions;
    private final int maxAttempts;
    private final WorkerMetrics metrics;
    private final Runnable onOutput;

    private volatile boolean stopped;
    private volatile int waitingRows;
    private volatile boolean busy;

    /**
     * @param onOutput called after completions were added to the outbox (wakes the consumer thread)
     */
    public InferenceStage(BatchLimits limits, InferenceRunner runner, TextTokenizer tokenizer, int eosId,
                          CircuitBreaker breaker, CompletionFactory completions, int maxAttempts,
                          WorkerMetrics metrics, Runnable onOutput) {
        this.planner = new BatchPlanner<>(limits);
        this.runner = runner;
        this.tokenizer = tokenizer;
        this.eosId = eosId;
        this.breaker = breaker;
        this.completions = completions;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
        this.onOutput = onOutput;
    }

    /** Consumer thread: hand over a request. */
    public void submit(WorkItem item) {
        inbox.add(item);
    }

    /** Consumer thread: finished requests. */
    public Queue<Completion> outbox() {
        return outbox;
    }

    /** Leave the loop after the current batch (shutdown); rows still waiting are abandoned. */
    public void stop() {
        stopped = true;
    }

    /** Nothing waiting and nothing running (approximate, read from another thread). */
    public boolean idle() {
        return inbox.isEmpty() && waitingRows == 0 && !busy;
    }

    /** Encoder rows waiting for a batch (for the queue-depth gauge). */
    public int waitingRows() {
        return waitingRows + inbox.size();
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                step();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("inference thread failed; its work is left uncommitted and will be redone", e);
            throw e;
        }
    }

    private void step() throws InterruptedException {
        long now = System.nanoTime();
        long due = planner.nanosUntilDue(now);
        long wait = due < 0 ? IDLE_WAIT_NANOS : due;
        WorkItem first = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
        if (first != null) {
            List<WorkItem> items = new ArrayList<>();
            items.add(first);
            inbox.drainTo(items);
            long t = System.nanoTime();
            for (WorkItem item : items) {
                InFlightRequest request = new InFlightRequest(item);
                for (int i = 0; i < item.promptIds().size(); i++) planner.add(new InferenceRow(request, i, t));
            }
        }
        planner.removeIf(r -> r.request.item().lease().isRevoked());
        expireDeadlines();
        waitingRows = planner.waitingRows();
        if (planner.isEmpty()) return;

        now = System.nanoTime();
        if (planner.nanosUntilDue(now) > 0 || stopped) return;
        if (!breaker.tryAcquirePermission()) {
            Thread.sleep(50); // open breaker: no batches; the consumer thread has paused its partitions
            return;
        }
        Optional<PlannedBatch<InferenceRow>> planned = planner.next(now, true);
        waitingRows = planner.waitingRows();
        if (planned.isEmpty()) {
            breaker.releasePermission();
            return;
        }
        runBatch(planned.get());
        waitingRows = planner.waitingRows();
    }

    private void runBatch(PlannedBatch<InferenceRow> batch) {
        List<InferenceRow> rows = batch.rows();
        List<GenerationInput> inputs = new ArrayList<>(rows.size());
        for (InferenceRow r : rows) inputs.add(r.input);
        long start = System.nanoTime();
        long startEpochMs = System.currentTimeMillis();
        busy = true;
        BatchReport report;
        try {
            report = runner.run(inputs);
        } finally {
            busy = false;
        }
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

        java.util.Set<InFlightRequest> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (InferenceRow r : rows) {
            if (seen.add(r.request)) r.request.batchStarted(startEpochMs, report.modelNanos());
        }
        boolean produced = false;
        long now = System.nanoTime();
        for (int i = 0; i < rows.size(); i++) {
            InferenceRow row = rows.get(i);
            InFlightRequest request = row.request;
            if (request.finished() || request.item().lease().isRevoked()) continue;
            RowResult result = report.results().get(i);
            if (result instanceof RowResult.Generated g) {
                if (request.accept(row.textIndex, g.output())) {
                    Completion done;
                    try {
                        done = served(request);
                    } catch (RuntimeException e) { // decoding the ids or building the result failed
                        done = completions.failed(request.item(), ContractError.of(ErrorCode.INFERENCE_FAILED,
                                "the generated text could not be decoded: " + e.getMessage()), e, true, timings(request));
                    }
                    finish(request, done);
                    produced = true;
                }
            } else if (result instanceof RowResult.Failed f) {
                if (report.allFailed() && row.attempts() + 1 < maxAttempts) {
                    row.retryLater(now);
                    planner.add(row);
                } else {
                    withMdc(request, () -> log.warn("request failed in the model (row {} of {}): {}",
                            row.textIndex, request.item().promptIds().size(), f.cause().toString()));
                    finish(request, completions.failed(request.item(), ContractError.of(ErrorCode.INFERENCE_FAILED,
                            "texts[" + row.textIndex + "]", "the model failed on this text: " + f.cause().getMessage()),
                            f.cause(), true, timings(request)));
                    produced = true;
                }
            }
        }
        if (produced) onOutput.run();
    }

    private Completion served(InFlightRequest request) {
        WorkItem item = request.item();
        boolean dedupe = item.request().dedupe();
        List<List<String>> variants = new ArrayList<>(item.promptIds().size());
        int removed = 0;
        for (int t = 0; t < item.promptIds().size(); t++) {
            GenerationOutput out = request.output(t);
            List<String> texts = new ArrayList<>(out.sequences().size());
            for (GeneratedSequence s : out.sequences()) texts.add(tokenizer.decode(s.newTokens(eosId)));
            if (dedupe) {
                VariantDeduper.Deduped d = VariantDeduper.dedupe(item.request().texts().get(t), texts);
                removed += d.removed();
                variants.add(d.kept());
            } else {
                variants.add(List.copyOf(texts));
            }
        }
        if (removed > 0) metrics.deduplicated(removed);
        return completions.served(item, variants, timings(request));
    }

    /** Fails requests whose deadline passed while they waited; their rows leave the planner. */
    private void expireDeadlines() {
        if (planner.isEmpty()) return;
        long nowMs = System.currentTimeMillis();
        List<InferenceRow> expired = planner.removeIf(r -> r.request.item().deadlineEpochMs() < nowMs);
        boolean produced = false;
        for (InferenceRow r : expired) {
            InFlightRequest request = r.request;
            if (request.finished()) continue;
            WorkItem item = request.item();
            long budget = item.deadlineEpochMs() - item.source().timestamp();
            finish(request, completions.failed(item, ContractError.of(ErrorCode.DEADLINE_EXCEEDED,
                    "the request's deadline of " + budget + " ms from its record timestamp passed before it reached the model"),
                    null, false, timings(request)));
            produced = true;
        }
        if (produced) onOutput.run();
    }

    private void finish(InFlightRequest request, Completion completion) {
        request.markFinished();
        planner.removeIf(r -> r.request == request);
        WorkItem item = request.item();
        if (item.source().timestamp() >= 0) metrics.requestLatency(System.currentTimeMillis() - item.source().timestamp());
        outbox.add(completion);
    }

    /** As the contract defines them: queued and total from the record's timestamp. */
    private static Timings timings(InFlightRequest request) {
        long now = System.currentTimeMillis();
        long from = request.item().source().timestamp();
        if (from < 0) from = now - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.item().acceptedAtNanos());
        long batchStart = request.firstBatchStartEpochMs() < 0 ? now : request.firstBatchStartEpochMs();
        return new Timings(Math.max(0, batchStart - from), TimeUnit.NANOSECONDS.toMillis(request.modelNanos()),
                Math.max(0, now - from));
    }

    private static void withMdc(InFlightRequest request, Runnable r) {
        WorkItem item = request.item();
        try (var a = MDC.putCloseable("request_id", item.id());
             var b = MDC.putCloseable("partition", item.source().topic() + "-" + item.source().partition());
             var c = MDC.putCloseable("offset", Long.toString(item.source().offset()))) {
            r.run();
        }
    }
}

package dev.mt5augment.worker.inference;

import dev.mt5augment.models.generation.GenerationSession;
import dev.mt5augment.models.tokenizer.TextTokenizer;
import dev.mt5augment.worker.batch.BatchLimits;
import dev.mt5augment.worker.batch.BatchPlanner;
import dev.mt5augment.worker.batch.PlannedBatch;
import dev.mt5augment.worker.commit.Completion;
import dev.mt5augment.worker.intake.WorkItem;
import dev.mt5augment.worker.observe.WorkerMetrics;
import dev.mt5augment.worker.reply.CompletionFactory;
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

/**
 * The inference thread of a worker loop: takes work items from its inbox, plans batches, runs
 * them on the model, and puts a finished {@link Completion} per request in its outbox.
 *
 * <p>Rules:
 * <ul>
 *   <li>Only this thread touches the generator, its session and the batch planner. The consumer
 *       thread only calls {@link #submit}, reads {@link #outbox()}, and calls {@link #stop()}.</li>
 *   <li>Rows of a revoked partition lease are dropped before each batch or step; results for them
 *       are not turned into completions.</li>
 *   <li>A request whose deadline passed before its rows reach the model is answered
 *       DEADLINE_EXCEEDED.</li>
 *   <li>Static batching ({@link StaticBatches}): a planned batch runs to its end; a failing batch is
 *       split until the poison rows are alone; when every row of a batch failed, the circuit breaker
 *       records a failure and the rows wait for another try, up to {@code maxAttempts}. An open
 *       breaker stops batches until its wait is over; the consumer pauses meanwhile.</li>
 *   <li>Continuous batching ({@link ContinuousBatches}): rows join the running batch between decoder
 *       steps and finish one by one; a failed step's rows are isolated through the static path.</li>
 *   <li>On {@link #stop()}: nothing new starts; continuous batching finishes the rows it holds
 *       (the consumer thread commits them within its grace period), waiting rows are abandoned.</li>
 * </ul>
 */
public final class InferenceStage implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(InferenceStage.class);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BlockingQueue<WorkItem> inbox = new LinkedBlockingQueue<>();
    private final Queue<Completion> outbox = new ConcurrentLinkedQueue<>();
    private final BatchPlanner<InferenceRow> planner;
    private final CircuitBreaker breaker;
    private final RequestOutcomes outcomes;
    private final StaticBatches batches;
    /** Null with static batching. */
    private final ContinuousBatches continuous;

    private volatile boolean stopped;
    private volatile int waitingRows;
    private volatile boolean busy;

    /**
     * @param session  a session of {@code runner}'s generator for continuous batching, or null for static batches
     * @param onOutput called after completions were added to the outbox (wakes the consumer thread)
     */
    public InferenceStage(BatchLimits limits, InferenceRunner runner, GenerationSession<InferenceRow> session,
                          TextTokenizer tokenizer, int eosId, CircuitBreaker breaker, CompletionFactory completions,
                          int maxAttempts, WorkerMetrics metrics, Runnable onOutput) {
        this.planner = new BatchPlanner<>(limits);
        this.breaker = breaker;
        this.outcomes = new RequestOutcomes(outbox, tokenizer, eosId, completions, metrics, onOutput);
        this.batches = new StaticBatches(runner, planner, breaker, outcomes, maxAttempts, metrics);
        this.continuous = session == null ? null : new ContinuousBatches(session, limits, planner, batches, breaker, outcomes, metrics);
        outcomes.onFinished(request -> {
            planner.removeIf(r -> r.request == request);
            if (continuous != null) continuous.withdraw(request);
        });
    }

    /** Consumer thread: hand over a request. */
    public void submit(WorkItem item) {
        inbox.add(item);
    }

    /** Consumer thread: finished requests. */
    public Queue<Completion> outbox() {
        return outbox;
    }

    /** Start nothing new; rows waiting are abandoned (see the class rules for rows already running). */
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

    /** True when continuous batching is on. */
    public boolean continuousBatching() {
        return continuous != null;
    }

    @Override
    public void run() {
        try {
            while (!stopped || (continuous != null && !continuous.isEmpty())) {
                if (continuous == null) staticStep();
                else continuousStep();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("inference thread failed; its work is left uncommitted and will be redone", e);
            throw e;
        } finally {
            busy = false;
            if (continuous != null) continuous.close();
        }
    }

    /** Takes new work, drops revoked rows, expires deadlines; waits up to {@code waitNanos} for work. */
    private void intake(long waitNanos) throws InterruptedException {
        WorkItem first = waitNanos > 0 ? inbox.poll(waitNanos, TimeUnit.NANOSECONDS) : inbox.poll();
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
    }

    private static long idleWait(long due) {
        return due < 0 ? IDLE_WAIT_NANOS : due;
    }

    private void staticStep() throws InterruptedException {
        intake(idleWait(planner.nanosUntilDue(System.nanoTime())));
        if (planner.isEmpty()) return;

        long now = System.nanoTime();
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
        busy = true;
        try {
            batches.run(planned.get());
        } finally {
            busy = false;
        }
        waitingRows = planner.waitingRows();
    }

    private void continuousStep() throws InterruptedException {
        boolean running = !continuous.isEmpty();
        intake(running || stopped ? 0 : idleWait(planner.nanosUntilDue(System.nanoTime())));
        continuous.evictRevoked();
        if (!stopped) continuous.admit(System.nanoTime());
        waitingRows = planner.waitingRows();
        if (continuous.isEmpty()) {
            if (!planner.isEmpty() && !stopped && breaker.getState() == CircuitBreaker.State.OPEN) Thread.sleep(50);
            return;
        }
        busy = true;
        continuous.step();
        busy = !continuous.isEmpty();
    }

    /** Fails requests whose deadline passed while they waited; their rows leave the planner. */
    private void expireDeadlines() {
        if (planner.isEmpty()) return;
        long nowMs = System.currentTimeMillis();
        for (InferenceRow r : planner.removeIf(row -> row.request.item().deadlineEpochMs() < nowMs)) outcomes.expired(r);
    }
}

package dev.mt5augment.worker.loop;

import dev.mt5augment.worker.commit.Completion;
import dev.mt5augment.worker.commit.FatalCommitException;
import dev.mt5augment.worker.commit.OffsetTracker;
import dev.mt5augment.worker.commit.OutputCommitter;
import dev.mt5augment.worker.commit.PartitionLease;
import dev.mt5augment.worker.commit.RolledBackException;
import dev.mt5augment.worker.inference.InferenceStage;
import dev.mt5augment.worker.intake.Intake;
import dev.mt5augment.worker.intake.RecordIntake;
import dev.mt5augment.worker.intake.SourceRecord;
import dev.mt5augment.worker.observe.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One worker loop: one device, one consumer, one producer, one model replica.
 *
 * <h2>Threads and who touches what</h2>
 * <ul>
 *   <li><b>Consumer thread</b> ({@link #run()}): the only thread that touches the
 *       {@code KafkaConsumer}, the producer (inside the {@link OutputCommitter}) and the
 *       {@link OffsetTracker}. It polls, decodes records ({@link RecordIntake}), hands valid
 *       requests to the inference thread, collects finished work from the inference thread's
 *       outbox, and commits. The rebalance listener runs inside {@code poll()}, so on this thread
 *       too. It never waits for the model: while too many rows are pending (or the device's
 *       circuit breaker is open, or the loop is stopping) it {@code pause()}s its partitions and
 *       keeps polling, so the group never sees a missed {@code max.poll.interval.ms}.</li>
 *   <li><b>Inference thread</b> ({@link InferenceStage}): the only thread that touches the
 *       generator and the batch planner. It talks to the consumer thread through two queues
 *       (inbox of work items, outbox of completions) and reads lease flags.</li>
 * </ul>
 *
 * <h2>Exactly once</h2>
 * Kafka's consume-transform-produce pattern needs the transaction's offsets and its records to
 * come from one owner: here the consumer thread, which begins, fills and commits each transaction
 * with {@code sendOffsetsToTransaction(offsets, consumer.groupMetadata())}. The model's results
 * reach it through the outbox. Because batches finish requests out of order, a finished request
 * waits in the {@link OffsetTracker} until all earlier records of its partition are finished: a
 * reply is only committed in the same transaction as its record's offset. On revocation, released
 * work is committed first, then the revoked partitions' leases are revoked: their in-flight work
 * is dropped wherever it is and redone by the partition's next owner. A failed commit rewinds:
 * every lease is revoked and the consumer seeks back to the last committed offsets.
 *
 * <h2>Shutdown</h2>
 * {@link #requestStop()} (from any thread): the consumer pauses everything, the inference thread
 * runs no new batch, and the consumer thread commits what finishes until the running batch is done
 * or the grace period ends; then it closes the consumer (leaving the group) and the producer.
 * Requests not finished are simply not committed, and are re-delivered to the next owner.
 */
public final class WorkerLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);
    private static final long LAG_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A producer that cannot commit this many times in a row is broken for good: the loop fails. */
    static final int MAX_ROLLBACKS_IN_A_ROW = 10;

    private final String device;
    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final OutputCommitter committer;
    private final RecordIntake intake;
    private final InferenceStage stage;
    private final ModelReplica model;
    private final WorkerMetrics metrics;
    private final Duration pollTimeout;
    private final Duration commitInterval;
    private final int maxQueuedRows;
    private final Duration shutdownGrace;
    private final OffsetTracker tracker = new OffsetTracker();
    private final CountDownLatch finished = new CountDownLatch(1);

    private volatile boolean stopRequested;
    /** {@link OffsetTracker#pendingRows()} as last seen by the consumer thread, for the gauge. */
    private volatile int pendingRowsSnapshot;
    private Thread inference;
    private volatile LoopState state = LoopState.STARTING;
    private volatile String failure;
    private boolean paused;
    private long lastCommitNanos = System.nanoTime();
    private long lastLagNanos;
    private int rollbacksInARow;

    public WorkerLoop(String device, String topic, Consumer<byte[], byte[]> consumer, OutputCommitter committer,
                      RecordIntake intake, InferenceStage stage, ModelReplica model, WorkerMetrics metrics,
                      Duration pollTimeout, Duration commitInterval, int maxQueuedRows, Duration shutdownGrace) {
        this.device = device;
        this.topic = topic;
        this.consumer = consumer;
        this.committer = committer;
        this.intake = intake;
        this.stage = stage;
        this.model = model;
        this.metrics = metrics;
        this.pollTimeout = pollTimeout;
        this.commitInterval = commitInterval;
        this.maxQueuedRows = maxQueuedRows;
        this.shutdownGrace = shutdownGrace;
        metrics.gauge("mt5.queue.rows", "Decoder rows consumed and not yet committed", () -> pendingRowsSnapshot);
        metrics.gauge("mt5.planner.rows", "Encoder rows waiting for a batch", stage::waitingRows);
        metrics.gauge("mt5.circuit.breaker.open", "1 while the device's circuit breaker is open",
                () -> stage.breaker().getState() == CircuitBreaker.State.OPEN ? 1 : 0);
    }


    public String device() {
        return device;
    }

    public LoopState state() {
        return state;
    }

    /** Why the loop failed, or null. */
    public String failure() {
        return failure;
    }

    public CircuitBreaker.State breakerState() {
        return stage.breaker().getState();
    }

    /** Any thread: begin the graceful stop. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Waits until {@link #run()} has returned. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        inference = new Thread(stage, "mt5-inference-" + device);
        inference.setDaemon(true);
        inference.start();
        try {
            consumer.subscribe(List.of(topic), new Listener());
            state = LoopState.RUNNING;
            log.info("worker loop on {} consuming {}", device, topic);
            while (!stopRequested) {
                if (!inference.isAlive()) throw new IllegalStateException("the inference thread died");
                iterate();
            }
            state = LoopState.STOPPING;
            drainAndCommit();
            state = LoopState.STOPPED;
        } catch (FatalCommitException e) {
            fail("cannot commit: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            fail(e.toString(), e);
        } finally {
            stage.stop();
            closeQuietly();
            try {
                inference.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!inference.isAlive()) model.close(); // never free the model under a running batch
            finished.countDown();
            log.info("worker loop on {} {}", device, state == LoopState.FAILED ? "failed: " + failure : "stopped");
        }
    }

    private void fail(String why, Throwable e) {
        failure = why;
        state = LoopState.FAILED;
        log.error("worker loop on {} failed; its uncommitted work will be redone by another worker", device, e);
    }

    private void iterate() {
        collectCompletions();
        commitIfDue(false);
        applyBackpressure();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
        for (ConsumerRecord<byte[], byte[]> r : records) take(r);
        refreshLag();
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        PartitionLease lease = tracker.lease(new TopicPartition(r.topic(), r.partition()));
        if (lease == null) return; // not ours any more (cannot happen within one poll, kept for safety)
        metrics.consumed();
        try (var p = MDC.putCloseable("partition", r.topic() + "-" + r.partition());
             var o = MDC.putCloseable("offset", Long.toString(r.offset()))) {
            if (log.isDebugEnabled()) {
                log.debug("record value: {}", r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8));
            }
            Intake in = intake.read(SourceRecord.of(r), lease);
            if (in instanceof Intake.Accepted a) {
                try (var id = MDC.putCloseable("request_id", a.item().id())) {
                    tracker.register(lease, r.offset(), a.item().decoderRows());
                    stage.submit(a.item());
                    log.debug("accepted: {} texts, {} decoder rows", a.item().promptIds().size(), a.item().decoderRows());
                }
            } else if (in instanceof Intake.Refused f) {
                tracker.register(lease, r.offset(), 0);
                tracker.complete(f.completion());
                log.info("refused {}: {}", SourceRecord.of(r).coordinates(), f.reason());
            }
        }
        pendingRowsSnapshot = tracker.pendingRows();
    }

    private void collectCompletions() {
        int dropped = 0;
        Completion c;
        while ((c = stage.outbox().poll()) != null) {
            if (!tracker.complete(c)) dropped++;
        }
        if (dropped > 0) metrics.dropped(dropped);
    }

    private void commitIfDue(boolean force) {
        if (!tracker.hasReleasable()) return;
        long now = System.nanoTime();
        if (!force && now - lastCommitNanos < commitInterval.toNanos()) return;
        OffsetTracker.Release release = tracker.release();
        try {
            committer.commit(release);
            tracker.committed(release.offsets());
            int ok = 0;
            int errors = 0;
            for (Completion done : release.completions()) {
                if (done.ok()) ok++;
                else errors++;
                if (done.deadLettered()) metrics.deadLettered(done.errorCode());
            }
            metrics.committed(ok, errors);
            rollbacksInARow = 0;
        } catch (RolledBackException e) {
            metrics.rolledBack();
            if (++rollbacksInARow >= MAX_ROLLBACKS_IN_A_ROW) {
                throw new FatalCommitException(rollbacksInARow + " commits in a row rolled back; last: " + e.getMessage(), e);
            }
            metrics.dropped(release.completions().size());
            log.warn("commit of {} finished records rolled back; rewinding to the last committed offsets: {}",
                    release.completions().size(), e.getMessage());
            rewind();
        }
        lastCommitNanos = System.nanoTime();
        pendingRowsSnapshot = tracker.pendingRows();
    }

    /** Forget all uncommitted work and consume it again from the last committed offsets. */
    private void rewind() {
        Map<TopicPartition, Long> restart = tracker.revoke(tracker.assigned());
        Set<TopicPartition> assignment = consumer.assignment();
        for (TopicPartition tp : assignment) {
            tracker.assign(tp);
            Long offset = restart.get(tp);
            if (offset != null) consumer.seek(tp, offset);
        }
    }

    private void applyBackpressure() {
        boolean breakerOpen = stage.breaker().getState() == CircuitBreaker.State.OPEN;
        boolean full = tracker.pendingRows() >= maxQueuedRows;
        boolean wantPause = stopRequested || full || breakerOpen;
        if (wantPause) {
            Set<TopicPartition> assignment = consumer.assignment();
            if (!paused || consumer.paused().size() < assignment.size()) {
                consumer.pause(assignment);
                if (!paused) log.debug("paused {} partitions ({} rows pending, breaker {})", assignment.size(), tracker.pendingRows(), stage.breaker().getState());
                paused = true;
            }
        } else if (paused) {
            consumer.resume(consumer.paused());
            paused = false;
            log.debug("resumed ({} rows pending)", tracker.pendingRows());
        }
    }

    /**
     * Shutdown: no new records, no new batches. The running batch finishes (within the grace
     * period) and everything finished is committed; requests still waiting for a batch are left
     * uncommitted and go to the partitions' next owner.
     */
    private void drainAndCommit() {
        stage.stop();
        applyBackpressure();
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        while (inference.isAlive() && System.nanoTime() < deadline) {
            collectCompletions();
            commitIfDue(true);
            consumer.poll(pollTimeout); // keeps the group membership alive; partitions are paused
        }
        collectCompletions();
        commitIfDue(true);
        int left = tracker.pendingRecords();
        if (inference.isAlive()) {
            log.warn("shutdown grace of {} over with a batch still running; it is abandoned", shutdownGrace);
        }
        log.info("on the way out: finished work committed; {} consumed records left uncommitted, to be re-delivered", left);
    }

    private void refreshLag() {
        long now = System.nanoTime();
        if (now - lastLagNanos < LAG_REFRESH_NANOS) return;
        lastLagNanos = now;
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) lag += l.getAsLong();
        }
        metrics.consumerLag(lag);
    }

    private void closeQuietly() {
        try {
            consumer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            log.warn("consumer close: {}", e.toString());
        }
        committer.close(Duration.ofSeconds(10));
    }

    /** Runs inside {@code poll()}, on the consumer thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) return;
            collectCompletions();
            commitIfDue(true); // finished work of every partition, revoked ones included
            tracker.revoke(partitions);
            pendingRowsSnapshot = tracker.pendingRows();
            if (!stopRequested) metrics.partitionsRevoked(partitions.size());
            log.info("revoked {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            tracker.revoke(partitions); // another member owns them already: commit nothing
            pendingRowsSnapshot = tracker.pendingRows();
            metrics.partitionsRevoked(partitions.size());
            log.warn("lost {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) tracker.assign(tp);
            if (paused && !partitions.isEmpty()) consumer.pause(partitions);
            if (!partitions.isEmpty()) log.info("assigned {}", partitions);
        }
    }
}

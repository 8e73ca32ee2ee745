package dev.mt5augment.worker.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The meters of one worker loop, tagged with its device. Names follow Prometheus conventions
 * ({@code mt5_..._total} counters, {@code _seconds} timers) once scraped.
 *
 * <p>Threading: Micrometer meters are thread-safe; the consumer and inference threads both record.
 */
public final class WorkerMetrics {
    private final MeterRegistry registry;
    private final String device;
    private final Counter consumed;
    private final Counter replied;
    private final Counter repliedError;
    private final Counter dropped;
    private final Counter deduped;
    private final Counter commits;
    private final Counter rollbacks;
    private final Counter generatedTokens;
    private final Counter inferenceCallFailures;
    private final Counter partitionsRevoked;
    private final DistributionSummary batchRows;
    private final DistributionSummary paddingRatio;
    private final Timer inference;
    private final Timer endToEnd;
    private final AtomicLong consumerLag = new AtomicLong();
    private final AtomicLong tokensPerSecond = new AtomicLong();

    public WorkerMetrics(MeterRegistry registry, String device) {
        this.registry = registry;
        this.device = device;
        consumed = Counter.builder("mt5.records.consumed").description("Request records consumed").tag("device", device).register(registry);
        replied = Counter.builder("mt5.replies").description("Results committed to a reply topic").tag("device", device).tag("status", "ok").register(registry);
        repliedError = Counter.builder("mt5.replies").description("Results committed to a reply topic").tag("device", device).tag("status", "error").register(registry);
        dropped = Counter.builder("mt5.work.dropped").description("Finished work dropped because its partition was revoked or its commit rolled back (it is redone)").tag("device", device).register(registry);
        deduped = Counter.builder("mt5.variants.deduplicated").description("Variants removed as duplicates or equal to their input").tag("device", device).register(registry);
        commits = Counter.builder("mt5.commits").description("Successful commits (transactions in exactly-once mode)").tag("device", device).register(registry);
        rollbacks = Counter.builder("mt5.rollbacks").description("Commits that failed; the work was rewound and redone").tag("device", device).register(registry);
        generatedTokens = Counter.builder("mt5.generated.tokens").description("Tokens generated").tag("device", device).register(registry);
        inferenceCallFailures = Counter.builder("mt5.inference.call.failures").description("Generator calls that threw (a failed batch is split and retried)").tag("device", device).register(registry);
        partitionsRevoked = Counter.builder("mt5.partitions.revoked").description("Partitions taken from this loop by rebalances (revoked or lost)").tag("device", device).register(registry);
        batchRows = DistributionSummary.builder("mt5.batch.rows").description("Decoder rows per batch").tag("device", device)
                .publishPercentiles(0.5, 0.95).register(registry);
        paddingRatio = DistributionSummary.builder("mt5.batch.padding.ratio").description("Share of a batch's padded encoder input that is padding").tag("device", device)
                .publishPercentiles(0.5, 0.95).register(registry);
        inference = Timer.builder("mt5.inference").description("Time inside the generator per batch").tag("device", device)
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        endToEnd = Timer.builder("mt5.request.latency").description("Record timestamp to result ready, per request").tag("device", device)
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        Gauge.builder("mt5.consumer.lag", consumerLag, AtomicLong::get).description("Records behind the end of the assigned partitions").tag("device", device).register(registry);
        Gauge.builder("mt5.generated.tokens.per.second", tokensPerSecond, AtomicLong::get).description("Generation speed of the last batch").tag("device", device).register(registry);
    }

    /** Registers a gauge read on demand (queue depths). */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag("device", device).register(registry);
    }

    public void consumed() { consumed.increment(); }

    public void committed(int ok, int errors) {
        commits.increment();
        replied.increment(ok);
        repliedError.increment(errors);
    }

    public void deadLettered(String code) {
        Counter.builder("mt5.dead.letters").description("Records sent to the dead-letter topic, by error code")
                .tag("device", device).tag("code", code).register(registry).increment();
    }

    public void dropped(int n) { dropped.increment(n); }
    public void rolledBack() { rollbacks.increment(); }
    public void deduplicated(int n) { deduped.increment(n); }
    public void inferenceCallFailed(int n) { inferenceCallFailures.increment(n); }
    public void consumerLag(long lag) { consumerLag.set(lag); }
    public void partitionsRevoked(int n) { partitionsRevoked.increment(n); }

    public void batch(int decoderRows, double padding, long modelNanos, long newTokens) {
        batchRows.record(decoderRows);
        paddingRatio.record(padding);
        inference.record(modelNanos, TimeUnit.NANOSECONDS);
        generatedTokens.increment(newTokens);
        if (modelNanos > 0) tokensPerSecond.set(Math.round(newTokens * 1e9 / modelNanos));
    }

    public void requestLatency(long millis) {
        endToEnd.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }
}

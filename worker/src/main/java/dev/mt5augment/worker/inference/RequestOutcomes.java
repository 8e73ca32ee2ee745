package dev.mt5augment.worker.inference;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.result.Timings;
import dev.mt5augment.models.generation.GeneratedSequence;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.tokenizer.TextTokenizer;
import dev.mt5augment.worker.commit.Completion;
import dev.mt5augment.worker.intake.WorkItem;
import dev.mt5augment.worker.observe.WorkerMetrics;
import dev.mt5augment.worker.reply.CompletionFactory;
import dev.mt5augment.worker.reply.VariantDeduper;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns what happened to rows into finished requests: collects a request's row outputs, decodes and
 * dedupes its variants once the last row is in, or fails it, and puts one {@link Completion} per
 * request in the outbox. A finished request's other rows are withdrawn wherever they wait or run.
 *
 * <p>Threading: inference thread only (the outbox is the hand-over to the consumer thread).
 */
final class RequestOutcomes {
    private static final Logger log = LoggerFactory.getLogger(RequestOutcomes.class);

    private final Queue<Completion> outbox;
    private final TextTokenizer tokenizer;
    private final int eosId;
    private final CompletionFactory completions;
    private final WorkerMetrics metrics;
    private final Runnable onOutput;
    private Consumer<InFlightRequest> withdraw = r -> { };

    RequestOutcomes(Queue<Completion> outbox, TextTokenizer tokenizer, int eosId, CompletionFactory completions,
                    WorkerMetrics metrics, Runnable onOutput) {
        this.outbox = outbox;
        this.tokenizer = tokenizer;
        this.eosId = eosId;
        this.completions = completions;
        this.metrics = metrics;
        this.onOutput = onOutput;
    }

    /** What to do with the other rows of a request that just finished (drop them from planner and batch). */
    void onFinished(Consumer<InFlightRequest> withdraw) {
        this.withdraw = withdraw;
    }

    /** True when the row's result still matters: its request is unanswered and its partition still ours. */
    static boolean wanted(InferenceRow row) {
        return !row.request.finished() && !row.request.item().lease().isRevoked();
    }

    /** A row's sequences; the request completes when it was its last missing row. */
    void generated(InferenceRow row, GenerationOutput output) {
        if (!wanted(row)) return;
        InFlightRequest request = row.request;
        if (!request.accept(row.textIndex, output)) return;
        Completion done;
        try {
            done = served(request);
        } catch (RuntimeException e) { // decoding the ids or building the result failed
            done = completions.failed(request.item(), ContractError.of(ErrorCode.INFERENCE_FAILED,
                    "the generated text could not be decoded: " + e.getMessage()), e, true, timings(request));
        }
        finish(request, done);
    }

    /** The model failed on this row alone (or for good): its request fails with INFERENCE_FAILED. */
    void failed(InferenceRow row, RuntimeException cause) {
        if (!wanted(row)) return;
        InFlightRequest request = row.request;
        withMdc(request, () -> log.warn("request failed in the model (row {} of {}): {}",
                row.textIndex, request.item().promptIds().size(), cause.toString()));
        finish(request, completions.failed(request.item(), ContractError.of(ErrorCode.INFERENCE_FAILED,
                "texts[" + row.textIndex + "]", "the model failed on this text: " + cause.getMessage()),
                cause, true, timings(request)));
    }

    /** The request's deadline passed before this row reached the model. */
    void expired(InferenceRow row) {
        InFlightRequest request = row.request;
        if (request.finished()) return;
        WorkItem item = request.item();
        long budget = item.deadlineEpochMs() - item.source().timestamp();
        finish(request, completions.failed(item, ContractError.of(ErrorCode.DEADLINE_EXCEEDED,
                "the request's deadline of " + budget + " ms from its record timestamp passed before it reached the model"),
                null, false, timings(request)));
    }

    private void finish(InFlightRequest request, Completion completion) {
        request.markFinished();
        withdraw.accept(request);
        WorkItem item = request.item();
        if (item.source().timestamp() >= 0) metrics.requestLatency(System.currentTimeMillis() - item.source().timestamp());
        outbox.add(completion);
        onOutput.run();
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

    /** Generated tokens of an output, {@code </s>} not counted. */
    long newTokens(GenerationOutput output) {
        long n = 0;
        for (GeneratedSequence s : output.sequences()) n += s.newTokens(eosId).length;
        return n;
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

package dev.mt5augment.worker.inference;

import dev.mt5augment.models.generation.GeneratedSequence;
import dev.mt5augment.models.generation.GenerationException;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a batch on the generator and isolates failing rows: when a call throws, the batch is split
 * in halves and each half is run again, down to single rows. One poison row in a batch of n costs
 * about 2·log2(n) extra calls; the other rows succeed.
 *
 * <p>Threading: confined to the inference thread, like the generator it drives.
 */
public final class InferenceRunner {
    private final Seq2SeqGenerator generator;
    private final int eosId;

    public InferenceRunner(Seq2SeqGenerator generator, int eosId) {
        this.generator = generator;
        this.eosId = eosId;
    }

    public BatchReport run(List<GenerationInput> batch) {
        RowResult[] results = new RowResult[batch.size()];
        Counters counters = new Counters();
        runRange(batch, 0, batch.size(), results, counters);
        return new BatchReport(Arrays.asList(results), counters.calls, counters.failedCalls, counters.modelNanos, counters.newTokens);
    }

    private void runRange(List<GenerationInput> batch, int from, int to, RowResult[] results, Counters c) {
        List<GenerationInput> part = batch.subList(from, to);
        long start = System.nanoTime();
        c.calls++;
        try {
            List<GenerationOutput> outputs = generator.generate(new ArrayList<>(part));
            c.modelNanos += System.nanoTime() - start;
            if (outputs == null || outputs.size() != part.size()) {
                throw new GenerationException("generator returned " + (outputs == null ? "null" : outputs.size() + " outputs")
                        + " for " + part.size() + " inputs");
            }
            for (int i = 0; i < outputs.size(); i++) {
                GenerationOutput out = outputs.get(i);
                results[from + i] = new RowResult.Generated(out);
                for (GeneratedSequence s : out.sequences()) c.newTokens += s.newTokens(eosId).length;
            }
        } catch (RuntimeException e) {
            c.modelNanos += System.nanoTime() - start;
            c.failedCalls++;
            if (to - from == 1) {
                results[from] = new RowResult.Failed(e);
                return;
            }
            int mid = from + (to - from) / 2;
            runRange(batch, from, mid, results, c);
            runRange(batch, mid, to, results, c);
        }
    }

    private static final class Counters {
        int calls;
        int failedCalls;
        long modelNanos;
        long newTokens;
    }
}

package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.GeneratedSequence;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * TEMPORARY deterministic stand-in for the mT5 generator, used only by Kafka-path tests until
 * {@code Mt5Model} is on main: each return sequence is the input ids shifted by its index (all
 * equal when {@code top_k} is 1), cut at {@code maxNewTokens}. The tokenizer the tests use is the
 * fixture's real one.
 */
public final class StandInModel {
    private StandInModel() {
    }

    public static final class Generator implements Seq2SeqGenerator {
        @Override
        public List<GenerationOutput> generate(List<GenerationInput> batch) {
            List<GenerationOutput> out = new ArrayList<>(batch.size());
            for (GenerationInput in : batch) {
                int r = in.config().numReturnSequences();
                List<GeneratedSequence> seqs = new ArrayList<>(r);
                for (int s = 0; s < r; s++) {
                    int n = Math.min(in.config().maxNewTokens() - 1, in.inputIds().length - 1);
                    int[] ids = new int[n + 2];
                    for (int i = 0; i < n; i++) ids[i + 1] = 3 + Math.floorMod(in.inputIds()[i] - 3 + (in.config().topK() == 1 ? 1 : s + 1) + (int) (in.config().seed() & 7), 1397);
                    ids[n + 1] = 1;
                    seqs.add(new GeneratedSequence(ids, -1f));
                }
                out.add(new GenerationOutput(seqs));
            }
            return out;
        }

        @Override
        public int maxInputTokens() {
            return 512;
        }

        @Override
        public void close() {
        }
    }
}

package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Beam search as transformers 4.26.1 runs it. Each step: log-softmax of the logits, the logits
 * processors, plus each beam's running score; the top {@code 2·numBeams} candidates over all
 * {@code numBeams × vocab} scores (one device call per step, only those come back); walked in order, a
 * {@code </s>} ranked within the first {@code numBeams} closes a hypothesis, any other token continues
 * a beam until {@code numBeams} beams are filled. An input is done once its hypotheses say so; at its
 * length limit its open beams join the hypotheses. The KV cache follows the beams by row selection.
 */
final class BeamSearch {

    /** Score of the beams that do not exist yet at the first step (only beam 0 is live). */
    static final float DEAD_BEAM = -1e9f;

    private final int eosId;
    private final int padId;

    BeamSearch(int eosId, int padId) {
        this.eosId = eosId;
        this.padId = padId;
    }

    private static final class InputBeams {
        final GenerationConfig config;
        final BeamHypotheses hypotheses;
        final DecodingRow[] beams;
        final float[] scores;
        boolean done;

        InputBeams(int input, GenerationConfig config, int startToken) {
            this.config = config;
            this.hypotheses = new BeamHypotheses(config.numBeams(), config.lengthPenalty(), config.earlyStopping());
            this.beams = new DecodingRow[config.numBeams()];
            this.scores = new float[config.numBeams()];
            for (int b = 0; b < beams.length; b++) {
                beams[b] = new DecodingRow(input, b, config, startToken, config.maxNewTokens() + 1);
                scores[b] = b == 0 ? 0f : DEAD_BEAM;
            }
        }

        void finish() {
            done = true;
            for (DecodingRow row : beams) row.finished = true;
        }
    }

    /** @param configs per batch input of the session; all with the same {@code numBeams} */
    List<GenerationOutput> run(DecoderSession session, List<GenerationConfig> configs, int startToken) {
        int width = configs.get(0).numBeams();
        InputBeams[] inputs = new InputBeams[configs.size()];
        for (int i = 0; i < inputs.length; i++) inputs[i] = new InputBeams(i, configs.get(i), startToken);

        while (true) {
            int rowCount = session.rows();
            List<DecodingRow> rows = new ArrayList<>(rowCount);
            boolean anyLive = false;
            for (int r = 0; r < rowCount; r++) {
                InputBeams in = inputs[session.inputOf(r)];
                rows.add(in.beams[session.slotOf(r)]);
                anyLive |= !in.done;
            }
            if (!anyLive) break;
            long[] last = new long[rowCount];
            float[] beamScores = new float[rowCount];
            for (int r = 0; r < rowCount; r++) {
                InputBeams in = inputs[session.inputOf(r)];
                last[r] = in.done ? padId : rows.get(r).lastToken();
                beamScores[r] = in.done ? 0f : in.scores[session.slotOf(r)];
            }
            float[] candidateScores;
            long[] candidateIds;
            int vocab;
            try (NDScope ignored = new NDScope()) {
                NDArray logits = session.step(last);
                vocab = Math.toIntExact(logits.getShape().get(1));
                NDArray scores = logits.logSoftmax(1);
                LogitsProcessors.apply(scores, rows, eosId);
                scores.addi(session.manager().create(beamScores, new Shape(rowCount, 1)));
                NDList top = scores.reshape(rowCount / width, (long) width * vocab).topK(2 * width, 1, true, true);
                candidateScores = top.get(0).toFloatArray();
                candidateIds = top.get(1).toLongArray();
            }
            long[] sources = new long[rowCount];
            for (int r = 0; r < rowCount; r++) sources[r] = r;
            for (int p = 0; p < rowCount / width; p++) {
                InputBeams in = inputs[session.inputOf(p * width)];
                if (in.done) continue;
                advance(in, p, width, vocab, candidateScores, candidateIds, sources);
            }
            session.reorderRows(sources);
            compact(session, inputs);
        }

        List<GenerationOutput> out = new ArrayList<>(inputs.length);
        for (InputBeams in : inputs) {
            List<GeneratedSequence> sequences = new ArrayList<>();
            for (BeamHypotheses.Hypothesis h : in.hypotheses.best(in.config.numReturnSequences())) {
                int[] tokens = h.finished() ? appendEos(h.tokens()) : h.tokens();
                sequences.add(new GeneratedSequence(tokens, (float) h.score()));
            }
            out.add(new GenerationOutput(sequences));
        }
        return out;
    }

    /** transformers' {@code BeamSearchScorer.process} for one input, then the length check. */
    private void advance(InputBeams in, int position, int width, int vocab, float[] candidateScores, long[] candidateIds,
                         long[] sources) {
        int currentLength = in.beams[0].length();
        int base = position * 2 * width;
        DecodingRow[] next = new DecodingRow[width];
        float[] nextScores = new float[width];
        int filled = 0;
        float best = Float.NEGATIVE_INFINITY;
        for (int rank = 0; rank < 2 * width; rank++) best = Math.max(best, candidateScores[base + rank]);
        for (int rank = 0; rank < 2 * width && filled < width; rank++) {
            float score = candidateScores[base + rank];
            int beam = (int) (candidateIds[base + rank] / vocab);
            int token = (int) (candidateIds[base + rank] % vocab);
            if (token == eosId) {
                if (rank >= width) continue;
                in.hypotheses.add(in.beams[beam].sequence(), score, true);
            } else {
                DecodingRow row = in.beams[beam].copy();
                row.append(token);
                next[filled] = row;
                nextScores[filled] = score;
                sources[position * width + filled] = (long) position * width + beam;
                filled++;
            }
        }
        in.done = in.hypotheses.isDone(best, currentLength);
        System.arraycopy(next, 0, in.beams, 0, width);
        System.arraycopy(nextScores, 0, in.scores, 0, width);
        if (in.done) {
            in.finish();
        } else if (currentLength + 1 >= in.config.maxNewTokens() + 1) {
            for (int b = 0; b < width; b++) in.hypotheses.add(in.beams[b].sequence(), in.scores[b], false);
            in.finish();
        }
    }

    private int[] appendEos(int[] tokens) {
        int[] out = java.util.Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = eosId;
        return out;
    }

    private static void compact(DecoderSession session, InputBeams[] inputs) {
        int rows = session.rows();
        int leaving = 0;
        for (int r = 0; r < rows; r++) if (inputs[session.inputOf(r)].done) leaving++;
        if (leaving == 0 || leaving == rows || leaving < RowwiseSearch.COMPACT_FRACTION * rows) return;
        boolean[] keep = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) keep[i] = !inputs[i].done;
        session.retainInputs(keep);
    }
}

package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Ancestral sampling after temperature, top-k and top-p, as transformers' warpers define them. DJL
 * has no multinomial draw, and a full-vocabulary sort per step is what makes transformers slow here,
 * so: the device takes each row's top-k candidates (one engine call, sorted), only those
 * {@code k} scores and ids travel to Java, and temperature, the nucleus cut and the draw happen in
 * Java with the row's own {@link java.util.SplittableRandom}, one {@code nextDouble()} per step.
 *
 * <p>With top-k off ({@code topK == 0}) the device takes {@link #UNBOUNDED_CANDIDATES} candidates and
 * their log-probabilities over the whole vocabulary (a row-wise log-softmax, which the engine computes
 * the same way whatever the number of rows); if the probability left outside them could still belong
 * to the nucleus
 * (more than {@code 1 − topP}, or more than {@link #NEGLIGIBLE_TAIL} when {@code topP == 1}), that row
 * falls back to its whole vocabulary.
 *
 * <p>The score of a sampled token is its log-probability under the distribution actually sampled
 * from (after temperature, top-k and top-p).
 */
final class Sampler implements TokenSelector {

    static final int UNBOUNDED_CANDIDATES = 1000;
    static final double NEGLIGIBLE_TAIL = 1e-7;

    @Override
    public Choice[] select(NDArray scores, List<DecodingRow> rows) {
        int vocab = Math.toIntExact(scores.getShape().get(1));
        int rowCount = rows.size();
        int k = 1;
        boolean needsLogProbabilities = false;
        for (DecodingRow row : rows) {
            if (row.finished) continue;
            k = Math.max(k, candidates(row.config, vocab));
            needsLogProbabilities |= row.config.topK() == 0;
        }
        NDList top = scores.topK(k, 1, true, true);
        float[] values = top.get(0).toFloatArray();
        long[] ids = top.get(1).toLongArray();
        float[] logProbs = needsLogProbabilities ? candidateLogProbabilities(scores, top.get(1), rows) : null;
        Choice[] out = new Choice[rowCount];
        for (int r = 0; r < rowCount; r++) {
            DecodingRow row = rows.get(r);
            if (row.finished) continue;
            int rowK = candidates(row.config, vocab);
            float[] v = java.util.Arrays.copyOfRange(values, r * k, r * k + rowK);
            float[] lp = null;
            int[] t = new int[rowK];
            for (int i = 0; i < rowK; i++) t[i] = (int) ids[r * k + i];
            if (row.config.topK() == 0 && rowK < vocab) lp = java.util.Arrays.copyOfRange(logProbs, r * k, r * k + rowK);
            if (lp != null && !tailNegligible(lp, row.config)) {
                // The nucleus may reach past the candidates: take the whole row, sorted.
                try (NDArray full = scores.get(r).reshape(new Shape(1, vocab))) {
                    NDList all = full.topK(vocab, 1, true, true);
                    v = all.get(0).toFloatArray();
                    long[] allIds = all.get(1).toLongArray();
                    t = new int[vocab];
                    for (int i = 0; i < vocab; i++) t[i] = (int) allIds[i];
                    all.close();
                }
                lp = null;
            }
            out[r] = lp == null ? draw(v, t, row) : drawFromCut(lp, t, row);
        }
        top.close();
        return out;
    }

    private static int candidates(GenerationConfig c, int vocab) {
        return Math.min(c.topK() > 0 ? c.topK() : UNBOUNDED_CANDIDATES, vocab);
    }

    /**
     * Log-probabilities of the candidates {@code ids [rows, k]} under {@code softmax(scores / T)} over
     * the whole vocabulary, each row with its own temperature: {@code [rows·k]}.
     */
    private static float[] candidateLogProbabilities(NDArray scores, NDArray ids, List<DecodingRow> rows) {
        float[] t = new float[rows.size()];
        for (int r = 0; r < t.length; r++) t[r] = rows.get(r).config.temperature();
        NDArray scaled = scores.div(scores.getManager().create(t, new Shape(t.length, 1)));
        NDArray logSoftmax = scaled.logSoftmax(1);
        scaled.close();
        NDArray picked = logSoftmax.gather(ids, 1);
        logSoftmax.close();
        float[] out = picked.toFloatArray();
        picked.close();
        return out;
    }

    /** True when no token outside the candidates can be in the nucleus (or the tail is negligible). */
    private static boolean tailNegligible(float[] candidateLogProbs, GenerationConfig c) {
        double mass = 0;
        for (float l : candidateLogProbs) mass += Math.exp(l);
        double tail = Math.max(0, 1 - mass);
        return c.topP() < 1f ? tail <= 1 - c.topP() : tail <= NEGLIGIBLE_TAIL;
    }

    /**
     * Temperature, top-p and the draw when the candidates are the whole distribution (top-k on, or
     * the full vocabulary), sorted by descending logit.
     */
    static Choice draw(float[] logits, int[] tokens, DecodingRow row) {
        GenerationConfig c = row.config;
        int n = logits.length;
        double[] p = new double[n];
        // Temperature divides in float32, as transformers' warper does.
        double top = logits[0] / c.temperature();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logits[i] / c.temperature() - top);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) p[i] /= sum;
        return nucleusDraw(p, 0, tokens, row);
    }

    /**
     * The draw when the candidates are the best of an unbounded top-k: {@code logProbs} are relative
     * to the whole vocabulary, and the mass outside the candidates counts as less likely than all of them.
     */
    static Choice drawFromCut(float[] logProbs, int[] tokens, DecodingRow row) {
        double[] p = new double[logProbs.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logProbs[i]);
            sum += p[i];
        }
        return nucleusDraw(p, Math.max(0, 1 - sum), tokens, row);
    }

    /**
     * Top-p as transformers defines it, then the draw: a token goes when the probability of it and
     * every less likely token (including {@code outsideMass}) is at most {@code 1 − topP}; the most
     * likely token always stays.
     */
    private static Choice nucleusDraw(double[] p, double outsideMass, int[] tokens, DecodingRow row) {
        GenerationConfig c = row.config;
        int n = p.length;
        int keep = n;
        if (c.topP() < 1f) {
            double fromTail = outsideMass;
            for (int i = n - 1; i > 0; i--) {
                fromTail += p[i];
                if (fromTail <= 1 - c.topP()) keep = i;
                else break;
            }
        }
        double kept = 0;
        for (int i = 0; i < keep; i++) kept += p[i];
        double u = row.random.nextDouble() * kept;
        int chosen = keep - 1;
        double cumulative = 0;
        for (int i = 0; i < keep; i++) {
            cumulative += p[i];
            if (u < cumulative) {
                chosen = i;
                break;
            }
        }
        return new Choice(tokens[chosen], Math.log(p[chosen] / kept));
    }
}

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
 * the full log-sum-exp; if the probability left outside them could still belong to the nucleus
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
        boolean needsLogSumExp = false;
        for (DecodingRow row : rows) {
            if (row.finished) continue;
            k = Math.max(k, candidates(row.config, vocab));
            needsLogSumExp |= row.config.topK() == 0;
        }
        NDList top = scores.topK(k, 1, true, true);
        float[] values = top.get(0).toFloatArray();
        long[] ids = top.get(1).toLongArray();
        double[] logSumExp = needsLogSumExp ? logSumExp(scores, rows) : null;
        Choice[] out = new Choice[rowCount];
        for (int r = 0; r < rowCount; r++) {
            DecodingRow row = rows.get(r);
            if (row.finished) continue;
            int rowK = candidates(row.config, vocab);
            double normaliser = Double.NaN;
            float[] v = java.util.Arrays.copyOfRange(values, r * k, r * k + rowK);
            int[] t = new int[rowK];
            for (int i = 0; i < rowK; i++) t[i] = (int) ids[r * k + i];
            if (row.config.topK() == 0 && rowK < vocab) normaliser = logSumExp[r];
            if (!Double.isNaN(normaliser) && !tailNegligible(v, row.config, normaliser)) {
                // The nucleus may reach past the candidates: take the whole row, sorted.
                try (NDArray full = scores.get(r).reshape(new Shape(1, vocab))) {
                    NDList all = full.topK(vocab, 1, true, true);
                    v = all.get(0).toFloatArray();
                    long[] allIds = all.get(1).toLongArray();
                    t = new int[vocab];
                    for (int i = 0; i < vocab; i++) t[i] = (int) allIds[i];
                    all.close();
                }
                normaliser = Double.NaN;
            }
            out[r] = draw(v, t, normaliser, row);
        }
        top.close();
        return out;
    }

    private static int candidates(GenerationConfig c, int vocab) {
        return Math.min(c.topK() > 0 ? c.topK() : UNBOUNDED_CANDIDATES, vocab);
    }

    /** Per-row log-sum-exp of {@code scores / temperature} over the whole vocabulary. */
    private static double[] logSumExp(NDArray scores, List<DecodingRow> rows) {
        try (NDArray scaled = scores.div(scores.getManager().create(temperatures(rows), new Shape(rows.size(), 1)))) {
            NDArray max = scaled.max(new int[] {1}, true);
            NDArray sum = scaled.sub(max).exp().sum(new int[] {1});
            float[] m = max.toFloatArray();
            float[] s = sum.toFloatArray();
            double[] out = new double[rows.size()];
            for (int r = 0; r < out.length; r++) out[r] = m[r] + Math.log(s[r]);
            return out;
        }
    }

    private static float[] temperatures(List<DecodingRow> rows) {
        float[] t = new float[rows.size()];
        for (int r = 0; r < t.length; r++) t[r] = rows.get(r).config.temperature();
        return t;
    }

    /** True when no token outside the candidates can be in the nucleus (or the tail is negligible). */
    private static boolean tailNegligible(float[] candidateLogits, GenerationConfig c, double logSumExp) {
        double mass = 0;
        for (float l : candidateLogits) mass += Math.exp(l / c.temperature() - logSumExp);
        double tail = Math.max(0, 1 - mass);
        return c.topP() < 1f ? tail <= 1 - c.topP() : tail <= NEGLIGIBLE_TAIL;
    }

    /**
     * Temperature, top-p and the draw over candidates sorted by descending logit. Top-p follows
     * transformers: a token goes when the probability of it and every less likely token is at most
     * {@code 1 − topP}; the most likely token always stays.
     *
     * @param logSumExp over the whole vocabulary when the candidates are a cut of an unbounded top-k
     *                  (probabilities are then relative to the whole vocabulary and the mass outside
     *                  the candidates counts as less likely than all of them); NaN when the candidates
     *                  are the whole distribution (top-k on, or the full vocabulary)
     */
    static Choice draw(float[] logits, int[] tokens, double logSumExp, DecodingRow row) {
        GenerationConfig c = row.config;
        int n = logits.length;
        double[] p = new double[n];
        boolean partial = !Double.isNaN(logSumExp);
        double shift = partial ? logSumExp : logits[0] / c.temperature();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            // Temperature divides in float32, as transformers' warper does.
            p[i] = Math.exp(logits[i] / c.temperature() - shift);
            sum += p[i];
        }
        if (!partial) {
            for (int i = 0; i < n; i++) p[i] /= sum;
        }
        int keep = n;
        if (c.topP() < 1f) {
            double fromTail = partial ? Math.max(0, 1 - sum) : 0;
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

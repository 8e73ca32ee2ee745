package dev.mt5augment.models.generation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The finished hypotheses of one input in beam search, as transformers 4.26's {@code BeamHypotheses}:
 * at most {@code numBeams} kept, each scored {@code sumLogProbs / length^lengthPenalty} with the
 * length counting the start token and not {@code </s>}.
 */
final class BeamHypotheses {

    /** One hypothesis; {@code finished} when it ended with {@code </s>} (not stored in {@code tokens}). */
    record Hypothesis(double score, int[] tokens, boolean finished) {
    }

    private final int numBeams;
    private final double lengthPenalty;
    private final boolean earlyStopping;
    private final List<Hypothesis> beams = new ArrayList<>();
    private double worstScore = 1e9;

    BeamHypotheses(int numBeams, double lengthPenalty, boolean earlyStopping) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
    }

    int size() {
        return beams.size();
    }

    void add(int[] tokens, double sumLogProbs, boolean finished) {
        double score = sumLogProbs / Math.pow(tokens.length, lengthPenalty);
        if (beams.size() < numBeams || score > worstScore) {
            beams.add(new Hypothesis(score, tokens, finished));
            if (beams.size() > numBeams) {
                // transformers sorts (score, index) pairs and deletes the first: the lowest score, the
                // earliest among equals; the worst score becomes the next lowest.
                int worst = 0;
                for (int i = 1; i < beams.size(); i++) if (beams.get(i).score() < beams.get(worst).score()) worst = i;
                beams.remove(worst);
                double min = Double.POSITIVE_INFINITY;
                for (Hypothesis h : beams) min = Math.min(min, h.score());
                worstScore = min;
            } else {
                worstScore = Math.min(score, worstScore);
            }
        }
    }

    /** Whether the input can stop: {@code bestSumLogProbs} is the best live candidate score this step. */
    boolean isDone(double bestSumLogProbs, int currentLength) {
        if (beams.size() < numBeams) return false;
        if (earlyStopping) return true;
        return worstScore >= bestSumLogProbs / Math.pow(currentLength, lengthPenalty);
    }

    /** The {@code n} best, best first; among equal scores the later added first (transformers pops a stable sort). */
    List<Hypothesis> best(int n) {
        List<Hypothesis> sorted = new ArrayList<>(beams);
        sorted.sort(Comparator.comparingDouble(Hypothesis::score));
        List<Hypothesis> out = new ArrayList<>(n);
        for (int i = 0; i < n && !sorted.isEmpty(); i++) out.add(sorted.remove(sorted.size() - 1));
        return out;
    }
}

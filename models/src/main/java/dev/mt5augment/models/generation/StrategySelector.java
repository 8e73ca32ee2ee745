package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks each row's token with its own strategy when greedy and sampled rows share a step: each
 * strategy's rows are taken out of the scores (a row copy) and given to its selector. Selectors are
 * row-wise, so a row's choice is what it would be among rows of its own strategy only.
 */
final class StrategySelector implements TokenSelector {

    private final TokenSelector greedy = new GreedySearch();
    private final TokenSelector sampler = new Sampler();

    @Override
    public Choice[] select(NDArray scores, List<DecodingRow> rows) {
        List<Integer> greedyRows = new ArrayList<>();
        List<Integer> sampledRows = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            DecodingStrategy s = rows.get(r).config.strategy();
            if (s == DecodingStrategy.GREEDY) greedyRows.add(r);
            else if (s == DecodingStrategy.SAMPLE) sampledRows.add(r);
            else throw new IllegalArgumentException("row " + r + ": " + s + " is not a row-wise strategy");
        }
        if (sampledRows.isEmpty()) return greedy.select(scores, rows);
        if (greedyRows.isEmpty()) return sampler.select(scores, rows);
        Choice[] out = new Choice[rows.size()];
        selectSubset(greedy, scores, rows, greedyRows, out);
        selectSubset(sampler, scores, rows, sampledRows, out);
        return out;
    }

    private static void selectSubset(TokenSelector selector, NDArray scores, List<DecodingRow> rows, List<Integer> subset,
                                     Choice[] out) {
        long[] index = subset.stream().mapToLong(Integer::longValue).toArray();
        List<DecodingRow> subRows = new ArrayList<>(subset.size());
        for (int r : subset) subRows.add(rows.get(r));
        try (NDArray indices = scores.getManager().create(index); NDArray part = scores.get(indices)) {
            Choice[] choices = selector.select(part, subRows);
            for (int i = 0; i < subset.size(); i++) out[subset.get(i)] = choices[i];
        }
    }
}

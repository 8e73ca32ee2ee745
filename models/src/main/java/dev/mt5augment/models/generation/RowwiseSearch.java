package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.List;

/**
 * The step loop of searches whose rows evolve independently (greedy, sampling): feed every row's last
 * token, process the logits, let the {@link TokenSelector} choose, and finish rows at {@code </s>} or
 * at their own {@code maxNewTokens}. Inputs whose rows have all finished leave the batch once they hold
 * a quarter of its rows, so finished rows soon stop costing compute.
 */
final class RowwiseSearch {

    /** Compact when at least this fraction of the rows belongs to finished inputs. */
    static final double COMPACT_FRACTION = 0.25;

    private final TokenSelector selector;
    private final int eosId;
    private final int padId;

    RowwiseSearch(TokenSelector selector, int eosId, int padId) {
        this.selector = selector;
        this.eosId = eosId;
        this.padId = padId;
    }

    /**
     * Runs until every row finished. {@code rows} are in the session's row order on entry; the
     * objects are updated in place.
     */
    void run(DecoderSession session, List<DecodingRow> rows, int inputs) {
        List<DecodingRow> live = new ArrayList<>(rows);
        while (true) {
            boolean any = false;
            for (DecodingRow row : live) any |= !row.finished;
            if (!any) return;
            long[] last = new long[live.size()];
            for (int r = 0; r < last.length; r++) last[r] = live.get(r).finished ? padId : live.get(r).lastToken();
            TokenSelector.Choice[] choices;
            try (NDScope ignored = new NDScope()) {
                NDArray scores = session.step(last);
                LogitsProcessors.apply(scores, live, eosId);
                choices = selector.select(scores, live);
            }
            for (int r = 0; r < live.size(); r++) {
                DecodingRow row = live.get(r);
                if (row.finished) continue;
                TokenSelector.Choice c = choices[r];
                row.append(c.token());
                row.score += c.logProbability();
                if (c.token() == eosId || row.generated() >= row.config.maxNewTokens()) row.finished = true;
            }
            live = compact(session, live, inputs);
        }
    }

    private static List<DecodingRow> compact(DecoderSession session, List<DecodingRow> live, int inputs) {
        boolean[] unfinishedInput = new boolean[inputs];
        for (DecodingRow row : live) unfinishedInput[row.input] |= !row.finished;
        int leaving = 0;
        for (DecodingRow row : live) if (!unfinishedInput[row.input]) leaving++;
        if (leaving == 0 || leaving == live.size() || leaving < COMPACT_FRACTION * live.size()) return live;
        session.retainInputs(unfinishedInput);
        List<DecodingRow> kept = new ArrayList<>(live.size() - leaving);
        for (DecodingRow row : live) if (unfinishedInput[row.input]) kept.add(row);
        return kept;
    }
}

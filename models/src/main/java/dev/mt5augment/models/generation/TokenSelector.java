package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;

import java.util.List;

/** How a row-independent search picks each row's next token from the processed logits. */
interface TokenSelector {

    /** The choice for one row: the token and its log-probability under the distribution it came from. */
    record Choice(int token, double logProbability) {
    }

    /**
     * @param scores processed logits {@code [rows, vocab]} float32
     * @param rows   the rows, in the same order; finished rows get {@code null}
     */
    Choice[] select(NDArray scores, List<DecodingRow> rows);
}

package dev.mt5augment.models.tokenizer;

import java.util.BitSet;

/**
 * What decoding and the injection check need to know about ids.
 *
 * @param pieceCount   pieces in the model (mT5: 250,100; the embedding has more rows, which have no piece)
 * @param eosId        {@code </s>}, appended to every encoding
 * @param unkId        {@code <unk>}, produced for characters the vocabulary lacks
 * @param specialIds   ids that text must never produce and decoding skips: special added tokens
 *                     ({@code <pad>}, {@code </s>}, {@code <unk>}) and the model's unk id
 * @param textIds      ids that decode to text: the non-special pieces and non-special added tokens
 */
public record Vocabulary(int pieceCount, int eosId, int unkId, BitSet specialIds, BitSet textIds) {

    public Vocabulary {
        specialIds = (BitSet) specialIds.clone();
        textIds = (BitSet) textIds.clone();
    }

    /** True when {@code id} decodes to text; false for special ids, negative ids and ids with no piece. */
    public boolean isText(int id) {
        return id >= 0 && textIds.get(id);
    }

    public boolean isSpecial(int id) {
        return id >= 0 && specialIds.get(id);
    }

    @Override
    public BitSet specialIds() {
        return (BitSet) specialIds.clone();
    }

    @Override
    public BitSet textIds() {
        return (BitSet) textIds.clone();
    }
}

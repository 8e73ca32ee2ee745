package dev.mt5augment.models.vocab;

import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The ids a trim keeps, in their original order, and why each was kept.
 *
 * @param mapping new id to old id
 * @param keptBy  number of ids kept for each reason (the first applicable reason in {@link KeepReason} order)
 */
public record VocabularySelection(IdMapping mapping, Map<KeepReason, Integer> keptBy) {

    public VocabularySelection {
        keptBy = Collections.unmodifiableMap(new EnumMap<>(keptBy));
    }

    /**
     * Selects the ids to keep.
     *
     * @param vocabRows  rows of the model's embedding and LM head
     * @param pieces     the tokenizer's pieces, or null for a model without a tokenizer (ids only)
     * @param usage      the corpus counts, or null when no corpus is given
     * @param specialIds ids the model config names (pad, eos, decoder start)
     * @throws TrimException when an extra id is outside the vocabulary
     */
    public static VocabularySelection select(int vocabRows, PieceTable pieces, PieceUsage usage, int[] specialIds,
                                             KeepPolicy policy) {
        KeepReason[] reason = new KeepReason[vocabRows];
        for (int id : specialIds) mark(reason, id, KeepReason.SPECIAL);
        if (pieces != null) {
            for (int id = pieces.specialIds().nextSetBit(0); id >= 0; id = pieces.specialIds().nextSetBit(id + 1)) {
                mark(reason, id, KeepReason.SPECIAL);
            }
        }
        for (int id : policy.extraIds()) {
            if (id >= vocabRows) {
                throw new TrimException("kept id " + id + " is outside the model's vocabulary of " + vocabRows + " rows");
            }
            mark(reason, id, KeepReason.REQUESTED);
        }
        if (usage != null) {
            for (int id = 0; id < vocabRows; id++) {
                if (usage.count(id) >= policy.minCount()) mark(reason, id, KeepReason.CORPUS);
            }
        }
        if (pieces != null) {
            for (int id = 0; id < pieces.size(); id++) {
                if (policy.keepAscii() && pieces.isAscii(id)) mark(reason, id, KeepReason.ASCII);
                if (pieces.isAdded(id)) mark(reason, id, KeepReason.ADDED_TOKEN);
                if (pieces.byteFallback() && pieces.isBytePiece(id)) mark(reason, id, KeepReason.BYTE_FALLBACK);
            }
            mark(reason, pieces.lowestScoreId(), KeepReason.LOWEST_SCORE);
        }
        BitSet kept = new BitSet(vocabRows);
        Map<KeepReason, Integer> counts = new EnumMap<>(KeepReason.class);
        for (KeepReason r : KeepReason.values()) counts.put(r, 0);
        for (int id = 0; id < vocabRows; id++) {
            if (reason[id] != null) {
                kept.set(id);
                counts.merge(reason[id], 1, Integer::sum);
            }
        }
        return new VocabularySelection(IdMapping.keeping(vocabRows, kept.stream().toArray()), counts);
    }

    private static void mark(KeepReason[] reason, int id, KeepReason why) {
        if (id < 0 || id >= reason.length) return;
        if (reason[id] == null || why.ordinal() < reason[id].ordinal()) reason[id] = why;
    }

    public int keptCount() {
        return mapping.newVocabSize();
    }
}

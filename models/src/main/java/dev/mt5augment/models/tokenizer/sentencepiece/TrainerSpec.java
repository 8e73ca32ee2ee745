package dev.mt5augment.models.tokenizer.sentencepiece;

/**
 * The fields of {@code TrainerSpec} that change how text is segmented. Defaults, when a field is
 * absent from the file, are those of {@code sentencepiece_model.proto}.
 *
 * @param modelType               segmentation algorithm (default UNIGRAM)
 * @param unkId                   id of {@code <unk>} (default 0)
 * @param bosId                   id of {@code <s>}, or -1 when there is none (default 1)
 * @param eosId                   id of {@code </s>}, or -1 (default 2)
 * @param padId                   id of {@code <pad>}, or -1 (default -1)
 * @param byteFallback            unknown characters become {@code <0xXX>} byte pieces instead of {@code <unk>} (default false)
 * @param treatWhitespaceAsSuffix {@code ▁} ends a word instead of starting it (default false)
 */
public record TrainerSpec(
        ModelType modelType,
        int unkId,
        int bosId,
        int eosId,
        int padId,
        boolean byteFallback,
        boolean treatWhitespaceAsSuffix) {

    /** The proto defaults, as SentencePiece applies them to a model with no trainer_spec. */
    public static TrainerSpec defaults() {
        return new TrainerSpec(ModelType.UNIGRAM, 0, 1, 2, -1, false, false);
    }
}

package dev.mt5augment.models.tokenizer.sentencepiece;

/** {@code TrainerSpec.ModelType}, with its protobuf numbers. */
public enum ModelType {
    UNIGRAM(1),
    BPE(2),
    WORD(3),
    CHAR(4);

    private final int number;

    ModelType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    static ModelType fromNumber(long number) {
        for (ModelType t : values()) {
            if (t.number == number) return t;
        }
        return null;
    }
}

package dev.mt5augment.models.tokenizer.sentencepiece;

/** {@code ModelProto.SentencePiece.Type}, with its protobuf numbers. */
public enum PieceType {
    /** An ordinary piece the segmenter may choose. */
    NORMAL(1),
    /** The {@code <unk>} piece; exactly one per model. */
    UNKNOWN(2),
    /** {@code </s>}, {@code <pad>}, {@code <s>}: never produced from text, only added around it. */
    CONTROL(3),
    /** Always segmented as one piece wherever it appears in the text. */
    USER_DEFINED(4),
    /** Reserved and never produced. */
    UNUSED(5),
    /** {@code <0xXX>}: one byte, used by byte fallback. */
    BYTE(6);

    private final int number;

    PieceType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The type with protobuf number {@code number}, or null when the number is not one of them. */
    static PieceType fromNumber(long number) {
        for (PieceType t : values()) {
            if (t.number == number) return t;
        }
        return null;
    }
}

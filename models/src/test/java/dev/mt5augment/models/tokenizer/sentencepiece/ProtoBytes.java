package dev.mt5augment.models.tokenizer.sentencepiece;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes protobuf wire-format bytes by hand, to build small or malformed models in tests. */
final class ProtoBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoBytes varint(int field, long value) {
        tag(field, 0);
        rawVarint(value);
        return this;
    }

    ProtoBytes fixed32Float(int field, float value) {
        tag(field, 5);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    ProtoBytes bytes(int field, byte[] value) {
        tag(field, 2);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoBytes string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoBytes message(int field, ProtoBytes message) {
        return bytes(field, message.toByteArray());
    }

    ProtoBytes tag(int field, int wireType) {
        rawVarint((long) field << 3 | wireType);
        return this;
    }

    ProtoBytes rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    ProtoBytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    static ProtoBytes piece(String text, float score, PieceType type) {
        return new ProtoBytes().string(1, text).fixed32Float(2, score).varint(3, type.number());
    }

    /**
     * A small valid unigram model laid out like mT5's: 0 {@code <pad>}, 1 {@code </s>}, 2 {@code <unk>},
     * then {@code ▁}, {@code a}, {@code b}, {@code ▁ab}; no charsmap. {@code trainer} and
     * {@code normalizer} may add or override fields (later fields win in protobuf).
     */
    static ProtoBytes smallModel(ProtoBytes trainer, ProtoBytes normalizer) {
        ProtoBytes model = new ProtoBytes()
                .message(1, piece("<pad>", 0f, PieceType.CONTROL))
                .message(1, piece("</s>", 0f, PieceType.CONTROL))
                .message(1, piece("<unk>", 0f, PieceType.UNKNOWN))
                .message(1, piece("\u2581", -1f, PieceType.NORMAL))
                .message(1, piece("a", -2f, PieceType.NORMAL))
                .message(1, piece("b", -2.5f, PieceType.NORMAL))
                .message(1, piece("\u2581ab", -3f, PieceType.NORMAL));
        ProtoBytes t = new ProtoBytes().varint(3, 1).varint(40, 2).varint(41, -1).varint(42, 1).varint(43, 0);
        t.raw(trainer.toByteArray());
        ProtoBytes n = new ProtoBytes().string(1, "identity");
        n.raw(normalizer.toByteArray());
        return model.message(2, t).message(3, n);
    }
}

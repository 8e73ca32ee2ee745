package dev.mt5augment.models.tokenizer.sentencepiece;

import dev.mt5augment.models.tokenizer.TokenizerException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code sentencepiece_model.proto}'s {@code ModelProto} into a {@link SentencePieceModel}
 * and checks what SentencePiece itself checks when it loads a model (non-empty unique pieces,
 * exactly one {@code <unk>} at {@code unk_id}, special ids inside the vocabulary).
 *
 * <p>Field numbers (proto2): ModelProto {1 pieces, 2 trainer_spec, 3 normalizer_spec};
 * SentencePiece {1 piece, 2 score, 3 type}; TrainerSpec {3 model_type, 24 treat_whitespace_as_suffix,
 * 35 byte_fallback, 40 unk_id, 41 bos_id, 42 eos_id, 43 pad_id}; NormalizerSpec {1 name,
 * 2 precompiled_charsmap, 3 add_dummy_prefix, 4 remove_extra_whitespaces, 5 escape_whitespaces}.
 * Everything else is skipped.
 */
final class ModelProtoParser {

    private ModelProtoParser() {
    }

    static SentencePieceModel parse(byte[] bytes, String source) {
        ProtoWireReader in = ProtoWireReader.of(bytes, source, "ModelProto");
        List<Piece> pieces = new ArrayList<>();
        TrainerSpec trainer = TrainerSpec.defaults();
        NormalizerSpec normalizer = NormalizerSpec.defaults();
        while (in.hasRemaining()) {
            int tag = in.readTag();
            switch (ProtoWireReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(in, tag, ProtoWireReader.LENGTH_DELIMITED, "pieces");
                    pieces.add(readPiece(in.readMessage("pieces[" + pieces.size() + "]"), pieces.size()));
                }
                case 2 -> {
                    expect(in, tag, ProtoWireReader.LENGTH_DELIMITED, "trainer_spec");
                    trainer = readTrainerSpec(in.readMessage("trainer_spec"), trainer);
                }
                case 3 -> {
                    expect(in, tag, ProtoWireReader.LENGTH_DELIMITED, "normalizer_spec");
                    normalizer = readNormalizerSpec(in.readMessage("normalizer_spec"), normalizer);
                }
                default -> in.skipField(tag);
            }
        }
        SentencePieceModel model = new SentencePieceModel(source, pieces, trainer, normalizer);
        validate(model);
        return model;
    }

    private static Piece readPiece(ProtoWireReader in, int id) {
        String text = "";
        float score = 0f;
        PieceType type = PieceType.NORMAL;
        while (in.hasRemaining()) {
            int tag = in.readTag();
            switch (ProtoWireReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(in, tag, ProtoWireReader.LENGTH_DELIMITED, "piece");
                    text = in.readString("piece " + id);
                }
                case 2 -> {
                    expect(in, tag, ProtoWireReader.FIXED32, "score");
                    score = in.readFloat();
                }
                case 3 -> {
                    expect(in, tag, ProtoWireReader.VARINT, "type");
                    long number = in.readVarint();
                    type = PieceType.fromNumber(number);
                    if (type == null) throw fail(in, "piece " + id + " has unknown type " + number);
                }
                default -> in.skipField(tag);
            }
        }
        return new Piece(text, score, type);
    }

    private static TrainerSpec readTrainerSpec(ProtoWireReader in, TrainerSpec base) {
        ModelType modelType = base.modelType();
        int unkId = base.unkId();
        int bosId = base.bosId();
        int eosId = base.eosId();
        int padId = base.padId();
        boolean byteFallback = base.byteFallback();
        boolean suffix = base.treatWhitespaceAsSuffix();
        while (in.hasRemaining()) {
            int tag = in.readTag();
            int field = ProtoWireReader.fieldNumber(tag);
            switch (field) {
                case 3 -> {
                    expect(in, tag, ProtoWireReader.VARINT, "model_type");
                    long number = in.readVarint();
                    modelType = ModelType.fromNumber(number);
                    if (modelType == null) throw fail(in, "trainer_spec.model_type " + number + " is not a SentencePiece model type");
                }
                case 24 -> suffix = readBool(in, tag, "treat_whitespace_as_suffix");
                case 35 -> byteFallback = readBool(in, tag, "byte_fallback");
                case 40 -> unkId = readInt32(in, tag, "unk_id");
                case 41 -> bosId = readInt32(in, tag, "bos_id");
                case 42 -> eosId = readInt32(in, tag, "eos_id");
                case 43 -> padId = readInt32(in, tag, "pad_id");
                default -> in.skipField(tag);
            }
        }
        return new TrainerSpec(modelType, unkId, bosId, eosId, padId, byteFallback, suffix);
    }

    private static NormalizerSpec readNormalizerSpec(ProtoWireReader in, NormalizerSpec base) {
        String name = base.name();
        byte[] charsmap = base.precompiledCharsmap();
        boolean dummyPrefix = base.addDummyPrefix();
        boolean removeExtra = base.removeExtraWhitespaces();
        boolean escape = base.escapeWhitespaces();
        while (in.hasRemaining()) {
            int tag = in.readTag();
            switch (ProtoWireReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(in, tag, ProtoWireReader.LENGTH_DELIMITED, "name");
                    name = in.readString("normalizer_spec.name");
                }
                case 2 -> {
                    expect(in, tag, ProtoWireReader.LENGTH_DELIMITED, "precompiled_charsmap");
                    charsmap = in.readBytes();
                }
                case 3 -> dummyPrefix = readBool(in, tag, "add_dummy_prefix");
                case 4 -> removeExtra = readBool(in, tag, "remove_extra_whitespaces");
                case 5 -> escape = readBool(in, tag, "escape_whitespaces");
                default -> in.skipField(tag);
            }
        }
        return new NormalizerSpec(name, charsmap, dummyPrefix, removeExtra, escape);
    }

    private static boolean readBool(ProtoWireReader in, int tag, String field) {
        expect(in, tag, ProtoWireReader.VARINT, field);
        return in.readBool();
    }

    private static int readInt32(ProtoWireReader in, int tag, String field) {
        expect(in, tag, ProtoWireReader.VARINT, field);
        return in.readInt32();
    }

    /** A known field with the wrong wire type is corruption, not something to skip silently. */
    private static void expect(ProtoWireReader in, int tag, int wireType, String field) {
        if (ProtoWireReader.wireType(tag) != wireType) {
            throw fail(in, field + " has wire type " + ProtoWireReader.wireType(tag) + ", expected " + wireType);
        }
    }

    private static TokenizerException fail(ProtoWireReader in, String what) {
        return in.corrupt(in.position(), what);
    }

    private static void validate(SentencePieceModel model) {
        String source = model.source();
        List<Piece> pieces = model.pieces();
        if (pieces.isEmpty()) {
            throw new TokenizerException(source + ": not a SentencePiece model: it has no pieces");
        }
        Map<String, Integer> seen = new HashMap<>();
        int unknownCount = 0;
        for (int id = 0; id < pieces.size(); id++) {
            Piece p = pieces.get(id);
            if (p.text().isEmpty()) throw new TokenizerException(source + ": piece " + id + " is empty");
            if (!Float.isFinite(p.score())) {
                throw new TokenizerException(source + ": piece " + id + " '" + p.text() + "' has score " + p.score());
            }
            Integer previous = seen.putIfAbsent(p.text(), id);
            if (previous != null) {
                throw new TokenizerException(source + ": piece '" + p.text() + "' is defined twice (ids " + previous + " and " + id + ")");
            }
            if (p.type() == PieceType.UNKNOWN) unknownCount++;
        }
        TrainerSpec t = model.trainerSpec();
        if (t.unkId() < 0 || t.unkId() >= pieces.size()) {
            throw new TokenizerException(source + ": unk_id " + t.unkId() + " is outside the " + pieces.size() + " pieces");
        }
        if (pieces.get(t.unkId()).type() != PieceType.UNKNOWN || unknownCount != 1) {
            throw new TokenizerException(source + ": expected exactly one UNKNOWN piece, at unk_id " + t.unkId()
                    + "; found " + unknownCount + " and piece " + t.unkId() + " is " + pieces.get(t.unkId()).type());
        }
        checkOptionalId(source, "bos_id", t.bosId(), pieces.size());
        checkOptionalId(source, "eos_id", t.eosId(), pieces.size());
        checkOptionalId(source, "pad_id", t.padId(), pieces.size());
    }

    private static void checkOptionalId(String source, String field, int id, int size) {
        if (id < -1 || id >= size) {
            throw new TokenizerException(source + ": " + field + " " + id + " is outside the " + size + " pieces");
        }
    }
}

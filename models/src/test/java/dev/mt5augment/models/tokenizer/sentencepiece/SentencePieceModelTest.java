package dev.mt5augment.models.tokenizer.sentencepiece;

import dev.mt5augment.models.tokenizer.TinyMt5Fixture;
import dev.mt5augment.models.tokenizer.TokenizerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SentencePieceModelTest {

    @Test
    void readsTheFixtureModel() throws IOException {
        SentencePieceModel model = SentencePieceModel.read(TinyMt5Fixture.spieceModel());
        assertEquals(1400, model.size());
        assertEquals(new Piece("<pad>", 0f, PieceType.CONTROL), model.piece(0));
        assertEquals(new Piece("</s>", 0f, PieceType.CONTROL), model.piece(1));
        assertEquals(new Piece("<unk>", 0f, PieceType.UNKNOWN), model.piece(2));
        assertEquals(new TrainerSpec(ModelType.UNIGRAM, 2, -1, 1, 0, false, false), model.trainerSpec());
        NormalizerSpec n = model.normalizerSpec();
        assertEquals("nmt_nfkc", n.name());
        assertEquals(237_561, n.precompiledCharsmap().length);
        assertTrue(n.addDummyPrefix() && n.removeExtraWhitespaces() && n.escapeWhitespaces());

        // spiece.vocab is the same vocabulary as text: piece<TAB>score in id order, scores rounded.
        List<String> lines = Files.readAllLines(TinyMt5Fixture.dir().resolve("spiece.vocab"));
        assertEquals(model.size(), lines.size());
        for (int id = 0; id < lines.size(); id++) {
            String[] cols = lines.get(id).split("\t");
            assertEquals(cols[0], model.piece(id).text(), "piece " + id);
            assertEquals(Float.parseFloat(cols[1]), model.piece(id).score(), 1e-4, "score of piece " + id);
            if (id > 2) assertEquals(PieceType.NORMAL, model.piece(id).type());
        }
    }

    @Test
    void appliesProtoDefaultsAndReadsNegativeInt32s() {
        // bos_id -1 is a 10-byte sign-extended varint; absent normalizer flags default to true.
        SentencePieceModel model = SentencePieceModel.parse(
                ProtoBytes.smallModel(new ProtoBytes(), new ProtoBytes()).toByteArray(), "small.model");
        assertEquals(7, model.size());
        assertEquals(-1, model.trainerSpec().bosId());
        assertEquals(1, model.trainerSpec().eosId());
        assertEquals(0, model.trainerSpec().padId());
        assertEquals(new NormalizerSpec("identity", new byte[0], true, true, true), model.normalizerSpec());
        assertEquals(-3f, model.piece(6).score());
    }

    @Test
    void skipsUnknownFieldsOfEveryWireType() {
        ProtoBytes unknown = new ProtoBytes()
                .varint(900, 7)
                .tag(901, 1).raw(new byte[8])
                .string(902, "ignored")
                .fixed32Float(903, 1.5f)
                .tag(904, 3).varint(1, 5).tag(2, 3).string(3, "nested").tag(2, 4).tag(904, 4);
        byte[] plain = ProtoBytes.smallModel(new ProtoBytes(), new ProtoBytes()).toByteArray();
        byte[] withUnknown = new ProtoBytes().raw(unknown.toByteArray())
                .raw(ProtoBytes.smallModel(unknown, unknown).toByteArray()).toByteArray();
        assertEquals(SentencePieceModel.parse(plain, "a").pieces(), SentencePieceModel.parse(withUnknown, "b").pieces());
        assertEquals(SentencePieceModel.parse(plain, "a").trainerSpec(), SentencePieceModel.parse(withUnknown, "b").trainerSpec());
    }

    @Test
    void hugeLengthPrefixIsACleanError() {
        // pieces field claiming 2^63-1 bytes, and one claiming 2 GB, in a 12-byte file.
        byte[] huge = new ProtoBytes().tag(1, 2).rawVarint(Long.MAX_VALUE).raw((byte) 1).toByteArray();
        TokenizerException e = assertThrows(TokenizerException.class, () -> SentencePieceModel.parse(huge, "huge.model"));
        assertTrue(e.getMessage().startsWith("huge.model: corrupt SentencePiece model at byte 1"), e.getMessage());
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        byte[] twoGb = new ProtoBytes().tag(1, 2).rawVarint(2_000_000_000L).toByteArray();
        assertThrows(TokenizerException.class, () -> SentencePieceModel.parse(twoGb, "2gb.model"));
        byte[] negative = new ProtoBytes().tag(1, 2).rawVarint(-1L).toByteArray();
        assertThrows(TokenizerException.class, () -> SentencePieceModel.parse(negative, "neg.model"));
    }

    @Test
    void malformedWireDataIsACleanError() {
        assertMessage(new byte[] {(byte) 0x80}, "varint runs past the end");
        assertMessage(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}, "varint longer than 10 bytes");
        assertMessage(new byte[] {0x0F}, "invalid wire type 7");
        assertMessage(new byte[] {0x00}, "invalid field number 0");
        assertMessage(new ProtoBytes().tag(5, 4).toByteArray(), "end-group for field 5 without a start");
        assertMessage(new ProtoBytes().tag(5, 3).varint(1, 1).toByteArray(), "never closed");
        assertMessage(new ProtoBytes().tag(1, 0).rawVarint(1).toByteArray(), "pieces has wire type 0");
        assertMessage(new ProtoBytes().tag(9, 5).raw((byte) 1).toByteArray(), "fixed32 needs 4 bytes");
        ProtoBytes deep = new ProtoBytes();
        for (int i = 0; i < 100; i++) deep.tag(7, 3);
        assertMessage(deep.toByteArray(), "nested deeper than 64");
        byte[] badUtf8 = new ProtoBytes().message(1, new ProtoBytes().bytes(1, new byte[] {(byte) 0xC3, 0x28})).toByteArray();
        assertMessage(badUtf8, "piece 0 is not valid UTF-8");
        byte[] badType = new ProtoBytes().message(1, new ProtoBytes().string(1, "x").varint(3, 9)).toByteArray();
        assertMessage(badType, "piece 0 has unknown type 9");
    }

    @Test
    void semanticallyInvalidModelsAreRefused() {
        assertMessage(new byte[0], "has no pieces");
        ProtoBytes noUnk = new ProtoBytes().message(1, ProtoBytes.piece("a", -1f, PieceType.NORMAL));
        assertMessage(noUnk.toByteArray(), "expected exactly one UNKNOWN piece");
        byte[] duplicate = new ProtoBytes().raw(ProtoBytes.smallModel(new ProtoBytes(), new ProtoBytes()).toByteArray())
                .message(1, ProtoBytes.piece("a", -1f, PieceType.NORMAL)).toByteArray();
        assertMessage(duplicate, "piece 'a' is defined twice (ids 4 and 7)");
        assertMessage(ProtoBytes.smallModel(new ProtoBytes().varint(42, 99), new ProtoBytes()).toByteArray(),
                "eos_id 99 is outside the 7 pieces");
        assertMessage(ProtoBytes.smallModel(new ProtoBytes().varint(40, 4), new ProtoBytes()).toByteArray(),
                "piece 4 is NORMAL");
        byte[] nanScore = new ProtoBytes().raw(ProtoBytes.smallModel(new ProtoBytes(), new ProtoBytes()).toByteArray())
                .message(1, ProtoBytes.piece("c", Float.NaN, PieceType.NORMAL)).toByteArray();
        assertMessage(nanScore, "piece 7 'c' has score NaN");
    }

    @Test
    void everyTruncationOfTheFixtureIsACleanErrorOrAValidModel() throws IOException {
        byte[] file = Files.readAllBytes(TinyMt5Fixture.spieceModel());
        Random random = new Random(42);
        int[] cuts = new int[80];
        for (int i = 0; i < cuts.length; i++) cuts[i] = random.nextInt(file.length);
        cuts[0] = 1;
        cuts[1] = file.length - 1;
        cuts[2] = file.length / 2;
        for (int cut : cuts) {
            byte[] truncated = Arrays.copyOf(file, cut);
            parsesOrFailsCleanly(truncated, "truncated at " + cut);
        }
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> SentencePieceModel.parse(Arrays.copyOf(file, file.length - 1), "cut.model"));
        assertTrue(e.getMessage().startsWith("cut.model: corrupt SentencePiece model at byte "), e.getMessage());
    }

    @Test
    void randomBytesAndBitFlipsNeverEscapeAsAnotherError() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] noise = new byte[random.nextInt(2048)];
            random.nextBytes(noise);
            parsesOrFailsCleanly(noise, "random #" + i);
        }
        byte[] file = Files.readAllBytes(TinyMt5Fixture.spieceModel());
        for (int i = 0; i < 60; i++) {
            byte[] flipped = file.clone();
            for (int k = 0; k < 4; k++) flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
            parsesOrFailsCleanly(flipped, "bit flips #" + i);
        }
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("spiece.model");
        TokenizerException e = assertThrows(TokenizerException.class, () -> SentencePieceModel.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        Path garbage = Files.write(dir.resolve("garbage.model"), "this is not a model".getBytes());
        e = assertThrows(TokenizerException.class, () -> SentencePieceModel.read(garbage));
        assertTrue(e.getMessage().startsWith(garbage.toString()), e.getMessage());
    }

    private static void parsesOrFailsCleanly(byte[] bytes, String label) {
        try {
            SentencePieceModel model = SentencePieceModel.parse(bytes, label);
            assertFalse(model.pieces().isEmpty(), label);
        } catch (TokenizerException expected) {
            assertTrue(expected.getMessage().startsWith(label + ": "), expected.getMessage());
        } catch (RuntimeException | Error other) {
            fail(label + ": escaped as " + other, other);
        }
    }

    private static void assertMessage(byte[] bytes, String fragment) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> SentencePieceModel.parse(bytes, "bad.model"));
        assertTrue(e.getMessage().startsWith("bad.model: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}

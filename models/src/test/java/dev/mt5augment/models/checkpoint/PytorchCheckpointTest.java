package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.mt5augment.models.checkpoint.SafetensorsCheckpointTest.assertBitsEqual;
import static dev.mt5augment.models.checkpoint.SafetensorsCheckpointTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pytorch_model.bin: the real fixture, torch-shaped zips built here, and hostile or corrupt ones. */
class PytorchCheckpointTest {

    private static final float[] SIX = {1f, -2f, 3.5f, 0f, -0f, 1e-30f};

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void fixtureBinGivesTheSafetensorsTensorsBitForBit() throws Exception {
        Map<String, TinyFixture.Raw> fp32 = TinyFixture.readSafetensors(TinyFixture.dir().resolve("model.safetensors"));
        try (PytorchCheckpoint bin = PytorchCheckpoint.open(TinyFixture.dir().resolve("pytorch_model.bin"));
             NDManager m = manager.newSubManager()) {
            Set<String> expected = new HashSet<>(fp32.keySet());
            expected.add("encoder.embed_tokens.weight");
            expected.add("decoder.embed_tokens.weight");
            assertEquals(expected, bin.tensorNames());
            for (Map.Entry<String, TinyFixture.Raw> e : fp32.entrySet()) {
                assertEquals(TensorDType.F32, bin.info(e.getKey()).dtype());
                assertArrayEquals(e.getValue().shape(), bin.info(e.getKey()).shape(), e.getKey());
                assertBitsEqual(e.getValue().floats(), bin.loadFloat32(e.getKey(), m).toFloatArray(), e.getKey());
            }
            // The tied embeddings share shared.weight's storage: the same bytes, not a copy.
            for (String alias : new String[] {"encoder.embed_tokens.weight", "decoder.embed_tokens.weight"}) {
                assertEquals(bin.stored("shared.weight").offset(), bin.stored(alias).offset());
                assertBitsEqual(fp32.get("shared.weight").floats(), bin.loadFloat32(alias, m).toFloatArray(), alias);
            }
        }
    }

    @Test
    void readsTorchShapedZipsWithOffsetsAndHalfTypes(@TempDir Path tmp) throws Exception {
        // Two tensors over one storage of 8 floats: rows 0..1 and a [3] tail at storage offset 5.
        byte[] pickle = new PickleAssembler().proto(2).global("collections", "OrderedDict").op(')').op('R').op('(')
                .string("a").tensor("FloatStorage", "0", 8, 0, new long[] {2, 2}, new long[] {2, 1})
                .string("b").tensor("FloatStorage", "0", 8, 5, new long[] {3}, new long[] {1})
                .string("h").tensor("HalfStorage", "1", 2, 0, new long[] {2}, new long[] {1})
                .string("bf").tensor("BFloat16Storage", "2", 2, 0, new long[] {1, 2}, new long[] {2, 1})
                .string("scalar").tensor("FloatStorage", "0", 8, 7, new long[] {}, new long[] {})
                .op('u').op('.').bytes();
        ByteBuffer half = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00).putShort((short) 0xC500);
        ByteBuffer bf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3F80).putShort((short) 0xC0A0);
        Path file = TorchZipFiles.write(tmp.resolve("pytorch_model.bin"), pickle, Map.of(
                "0", PickleAssembler.floatsLe(0, 1, 2, 3, 4, 5, 6, 7), "1", half.array(), "2", bf.array()));
        try (PytorchCheckpoint c = PytorchCheckpoint.open(file); NDManager m = manager.newSubManager()) {
            assertArrayEquals(new float[] {0, 1, 2, 3}, c.loadFloat32("a", m).toFloatArray());
            assertArrayEquals(new long[] {2, 2}, c.loadFloat32("a", m).getShape().getShape());
            assertArrayEquals(new float[] {5, 6, 7}, c.loadFloat32("b", m).toFloatArray());
            assertArrayEquals(new float[] {1f, -5f}, c.loadFloat32("h", m).toFloatArray());
            assertArrayEquals(new float[] {1f, -5f}, c.loadFloat32("bf", m).toFloatArray());
            assertEquals(TensorDType.BF16, c.info("bf").dtype());
            assertArrayEquals(new float[] {7}, c.loadFloat32("scalar", m).toFloatArray());
        }
    }

    @Test
    void readsProtocol4OpcodesAndParameters(@TempDir Path tmp) throws Exception {
        PickleAssembler p = new PickleAssembler().proto(4).frame(0)
                .shortString("collections").op(0x94).shortString("OrderedDict").op(0x94).op(0x93).op(0x94)
                .op(')').op('R').op(0x94)
                .shortString("w").op(0x94)
                .global("torch._utils", "_rebuild_parameter")
                .tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .op(0x88).global("collections", "OrderedDict").op(')').op('R').op(0x87).op('R')
                .op('s')
                // The state dict's _metadata, set with BUILD, as torch writes it.
                .op('}').shortString("_metadata").op('}').op('s').op('b')
                .op('.');
        Path file = TorchZipFiles.write(tmp.resolve("p.bin"), p.bytes(), Map.of("0", PickleAssembler.floatsLe(SIX)));
        try (PytorchCheckpoint c = PytorchCheckpoint.open(file); NDManager m = manager.newSubManager()) {
            assertEquals(Set.of("w"), c.tensorNames());
            assertBitsEqual(SIX, c.loadFloat32("w", m).toFloatArray(), "w");
        }
    }

    @Test
    void refusesEveryGlobalAStateDictDoesNotNeed(@TempDir Path tmp) throws Exception {
        String[][] hostile = {{"os", "system"}, {"builtins", "eval"}, {"posix", "system"}, {"torch", "load"},
                {"torch.storage", "_load_from_bytes"}, {"__builtin__", "getattr"}, {"subprocess", "Popen"}};
        for (String[] g : hostile) {
            byte[] pickle = new PickleAssembler().proto(2).global(g[0], g[1]).string("touch /tmp/pwned").op(0x85)
                    .op('R').op('.').bytes();
            Path file = TorchZipFiles.write(tmp.resolve(g[1] + ".bin"), pickle, Map.of());
            assertMessage(() -> PytorchCheckpoint.open(file), file.toString(), "refusing global '" + g[0] + "." + g[1] + "'");
        }
        // The same through STACK_GLOBAL (protocol 4).
        byte[] stacked = new PickleAssembler().proto(4).shortString("builtins").shortString("exec").op(0x93)
                .shortString("print(1)").op(0x85).op('R').op('.').bytes();
        Path file = TorchZipFiles.write(tmp.resolve("stacked.bin"), stacked, Map.of());
        assertMessage(() -> PytorchCheckpoint.open(file), "refusing global 'builtins.exec'");
    }

    @Test
    void refusesOpcodesAndShapesOutsideAStateDict(@TempDir Path tmp) throws Exception {
        byte[] six = PickleAssembler.floatsLe(SIX);
        Map<String, byte[]> pickles = new java.util.LinkedHashMap<>();
        pickles.put("0x81", new PickleAssembler().proto(2).global("collections", "OrderedDict").op(')').op(0x81).op('.').bytes());
        pickles.put("0x69 ('i')", new PickleAssembler().proto(2).op('(').op('i').bytes()); // INST os\nsystem
        pickles.put("0xff", new PickleAssembler().proto(2).op(0xff).op('.').bytes());
        pickles.put("GLOBAL operand", new PickleAssembler().proto(2).op('c').op('.').bytes());
        pickles.put("truncated", Arrays.copyOf(PickleAssembler.oneTensor("w", "FloatStorage", new long[] {2, 3}), 40));
        pickles.put("not contiguous", new PickleAssembler().proto(2).global("collections", "OrderedDict").op(')').op('R')
                .string("w").tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {1, 2}).op('s').op('.').bytes());
        pickles.put("outside storage", new PickleAssembler().proto(2).global("collections", "OrderedDict").op(')').op('R')
                .string("w").tensor("FloatStorage", "0", 6, 4, new long[] {3}, new long[] {1}).op('s').op('.').bytes());
        pickles.put("not in the zip", new PickleAssembler().proto(2).global("collections", "OrderedDict").op(')').op('R')
                .string("w").tensor("FloatStorage", "7", 6, 0, new long[] {6}, new long[] {1}).op('s').op('.').bytes());
        pickles.put("should hold 60", new PickleAssembler().proto(2).global("collections", "OrderedDict").op(')').op('R')
                .string("w").tensor("FloatStorage", "0", 60, 0, new long[] {60}, new long[] {1}).op('s').op('.').bytes());
        pickles.put("the storage type torch.FloatStorage", new PickleAssembler().proto(2).global("torch", "FloatStorage")
                .op(')').op('R').op('.').bytes());
        pickles.put("not a string or number", new PickleAssembler().proto(2).op('}').op('2').op('2').op('s').op('.').bytes());
        pickles.put("not a tensor", new PickleAssembler().proto(2).op('}').string("x").integer(3).op('s').op('.').bytes());
        pickles.put("not a state dict", new PickleAssembler().proto(2).op(']').op('.').bytes());
        pickles.put("stack underflow", new PickleAssembler().proto(2).op('R').op('.').bytes());
        pickles.put("memo entry 9", new PickleAssembler().proto(2).binget(9).op('.').bytes());
        pickles.put("runs past the pickle", new PickleAssembler().proto(2).op('X').le(1_000_000, 4).op('.').bytes());
        for (Map.Entry<String, byte[]> e : pickles.entrySet()) {
            Path file = TorchZipFiles.write(tmp.resolve("bad.bin"), e.getValue(), Map.of("0", six));
            assertMessage(() -> PytorchCheckpoint.open(file), file.toString(), e.getKey());
        }
        Path named = TorchZipFiles.write(tmp.resolve("named.bin"), pickles.get("outside storage"), Map.of("0", six));
        assertMessage(() -> PytorchCheckpoint.open(named), "tensor 'w'");
    }

    @Test
    void refusesCompressedStoragesAndCorruptZips(@TempDir Path tmp) throws Exception {
        byte[] pickle = PickleAssembler.oneTensor("w", "FloatStorage", new long[] {2, 3});
        Path compressed = TorchZipFiles.write(tmp.resolve("c.bin"), pickle, Map.of("0", PickleAssembler.floatsLe(SIX)), Set.of("0"));
        assertMessage(() -> PytorchCheckpoint.open(compressed), "tensor 'w'", "compressed");

        byte[] fixture = Files.readAllBytes(TinyFixture.dir().resolve("pytorch_model.bin"));
        for (int cut : new int[] {fixture.length / 2, fixture.length - 10, 100, 21, 0}) {
            Path truncated = Files.write(tmp.resolve("t" + cut + ".bin"), Arrays.copyOf(fixture, cut));
            assertMessage(() -> PytorchCheckpoint.open(truncated), truncated.toString());
        }

        byte[] wrongOffset = fixture.clone();
        // Point the central directory past the end of the file.
        int eocd = fixture.length - 22;
        ByteBuffer.wrap(wrongOffset).order(ByteOrder.LITTLE_ENDIAN).putInt(eocd + 16, fixture.length + 100);
        Path bad = Files.write(tmp.resolve("cd.bin"), wrongOffset);
        assertMessage(() -> PytorchCheckpoint.open(bad), bad.toString(), "central directory");

        Path legacy = Files.write(tmp.resolve("legacy.bin"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertMessage(() -> PytorchCheckpoint.open(legacy), "legacy");
        Path text = Files.writeString(tmp.resolve("text.bin"), "version https://git-lfs.github.com/spec/v1\n");
        assertMessage(() -> PytorchCheckpoint.open(text), "not a PyTorch zip");
    }

    @Test
    void readsZip64FilesWithStoragesPastFourGibibytes(@TempDir Path tmp) throws Exception {
        byte[] pickle = PickleAssembler.oneTensor("w", "FloatStorage", new long[] {2, 3});
        long offset = (4L << 30) + 4096;
        Path file = Zip64TorchFile.write(tmp.resolve("big.bin"), pickle, PickleAssembler.floatsLe(SIX), offset);
        assertTrue(Files.size(file) > (4L << 30));
        try (PytorchCheckpoint c = PytorchCheckpoint.open(file); NDManager m = manager.newSubManager()) {
            assertTrue(c.stored("w").offset() > (4L << 30));
            assertBitsEqual(SIX, c.loadFloat32("w", m).toFloatArray(), "w");
        }
    }

    @Test
    void corruptPickleFailsItsChecksum(@TempDir Path tmp) throws Exception {
        byte[] fixture = Files.readAllBytes(TinyFixture.dir().resolve("pytorch_model.bin"));
        // A byte inside a tensor name in data.pkl: still a well-formed pickle, but not the one written.
        fixture[300] ^= 1;
        Path file = Files.write(tmp.resolve("crc.bin"), fixture);
        assertMessage(() -> PytorchCheckpoint.open(file), file.toString(), "CRC-32");
    }

    @Test
    void randomlyCorruptedPicklesAndDirectoriesGiveCheckpointExceptions(@TempDir Path tmp) throws Exception {
        byte[] fixture = Files.readAllBytes(TinyFixture.dir().resolve("pytorch_model.bin"));
        byte[] pickle;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(TinyFixture.dir().resolve("pytorch_model.bin").toFile())) {
            pickle = zip.getInputStream(zip.getEntry("pytorch_model/data.pkl")).readAllBytes();
        }
        java.util.Random random = new java.util.Random(42);
        int parsed = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = pickle.clone();
            for (int k = 0; k <= trial % 3; k++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            if (trial % 7 == 0) b = Arrays.copyOf(b, random.nextInt(b.length));
            try {
                StateDictUnpickler.read(b, "fuzz");
                parsed++;
            } catch (CheckpointException e) {
                assertTrue(e.getMessage().startsWith("fuzz: offset "), e.getMessage());
            }
        }
        assertTrue(parsed < 2000, "corruption was never detected");

        for (int trial = 0; trial < 40; trial++) {
            byte[] b = fixture.clone();
            // The zip's central directory and end records are the last ~5 KB.
            for (int k = 0; k < 3; k++) b[b.length - 1 - random.nextInt(5_000)] = (byte) random.nextInt(256);
            Path file = Files.write(tmp.resolve("r.bin"), b);
            try (PytorchCheckpoint c = PytorchCheckpoint.open(file); NDManager m = manager.newSubManager()) {
                for (String name : c.tensorNames()) c.loadFloat32(name, m);
            } catch (CheckpointException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            }
        }
    }
}

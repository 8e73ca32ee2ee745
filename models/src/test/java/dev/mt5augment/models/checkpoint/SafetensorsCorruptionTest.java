package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.mt5augment.models.checkpoint.SafetensorsCheckpointTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed, hostile and huge safetensors files: each is a CheckpointException naming file and tensor, never a crash. */
class SafetensorsCorruptionTest {

    private static final byte[] TWO = SafetensorsFiles.floats(1f, 2f);

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static Path file(Path dir, String header, byte[] data) throws Exception {
        return SafetensorsFiles.write(dir.resolve("model.safetensors"), header, data);
    }

    @Test
    void headerLengthMustFitTheFile(@TempDir Path tmp) throws Exception {
        String header = "{" + tensor("w", "F32", "[2]", 0, 8) + "}";
        Path tooLong = SafetensorsFiles.write(tmp.resolve("a.safetensors"), header.length() + 9, header, TWO);
        assertMessage(() -> SafetensorsCheckpoint.open(tooLong), tooLong.toString(), "exceeds the file");
        Path huge = SafetensorsFiles.write(tmp.resolve("b.safetensors"), 1L << 40, header, TWO);
        assertMessage(() -> SafetensorsCheckpoint.open(huge), huge.toString(), "header length");
        Path negative = SafetensorsFiles.write(tmp.resolve("c.safetensors"), -8, header, TWO);
        assertMessage(() -> SafetensorsCheckpoint.open(negative), negative.toString(), "header length");
        Path tiny = Files.write(tmp.resolve("d.safetensors"), new byte[] {1, 0, 0});
        assertMessage(() -> SafetensorsCheckpoint.open(tiny), tiny.toString(), "too short");
        Path empty = Files.write(tmp.resolve("e.safetensors"), new byte[0]);
        assertMessage(() -> SafetensorsCheckpoint.open(empty), empty.toString(), "too short");
    }

    @Test
    void truncatedFilesAreRefused(@TempDir Path tmp) throws Exception {
        byte[] fixture = Files.readAllBytes(TinyFixture.dir().resolve("model.safetensors"));
        for (int cut : new int[] {fixture.length - 1, fixture.length / 2, 5000, 100, 8, 4}) {
            Path f = Files.write(tmp.resolve("t" + cut + ".safetensors"), Arrays.copyOf(fixture, cut));
            assertMessage(() -> SafetensorsCheckpoint.open(f), f.toString());
        }
        // Cut inside the data: the message names the tensor that no longer fits.
        Path f = Files.write(tmp.resolve("data.safetensors"), Arrays.copyOf(fixture, fixture.length - 1));
        assertMessage(() -> SafetensorsCheckpoint.open(f), "tensor 'shared.weight'", "past the data area");
    }

    @Test
    void headerJsonAndEntriesAreValidated(@TempDir Path tmp) throws Exception {
        String ok = tensor("w", "F32", "[2]", 0, 8);
        Object[][] cases = {
                {"{\"w\": ", "not valid JSON"},
                {"[1,2]", "does not start with '{'"},
                {"{" + ok + "} trailing", "not valid JSON"},
                {"{" + ok + "," + ok + "}", "Duplicate field 'w'"},
                {"{" + tensor("w", "F128", "[2]", 0, 8) + "}", "tensor 'w'", "unknown dtype 'F128'"},
                {"{" + tensor("w", "F32", "[3]", 0, 8) + "}", "tensor 'w'", "needs 12 bytes"},
                {"{" + tensor("w", "F32", "[2]", 0, 12) + "}", "tensor 'w'", "past the data area"},
                {"{" + tensor("w", "F32", "[2]", -4, 4) + "}", "tensor 'w'", "non-negative"},
                {"{" + tensor("w", "F32", "[2]", 8, 0) + "}", "tensor 'w'", "end before begin"},
                {"{" + tensor("w", "F32", "[-2]", 0, 8) + "}", "tensor 'w'", "shape[0]"},
                {"{" + tensor("w", "F32", "[2.5]", 0, 8) + "}", "tensor 'w'", "shape[0]"},
                {"{" + tensor("w", "F32", "[4294967296,4294967296,4294967296]", 0, 8) + "}", "tensor 'w'", "overflows"},
                {"{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "tensor 'w'", "data_offsets"},
                {"{\"w\":{\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'w'", "dtype"},
                {"{\"w\":[]}", "tensor 'w'", "expected an object"},
                {"{\"__metadata__\":{\"format\":1}," + ok + "}", "__metadata__.format"},
                {"{" + tensor("a", "F32", "[1]", 0, 4) + "}", "4 bytes after the last tensor"},
                {"{" + tensor("a", "F32", "[1]", 4, 8) + "}", "tensor 'a'", "unindexed bytes"},
                {"{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[1]", 4, 8) + "}",
                        "tensor 'b'", "overlaps tensor 'a'"},
                {"{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 0, 8) + "}", "overlaps tensor"},
        };
        for (Object[] c : cases) {
            Path f = file(tmp, (String) c[0], TWO);
            String[] parts = new String[c.length];
            parts[0] = f.toString();
            for (int i = 1; i < c.length; i++) parts[i] = (String) c[i];
            assertMessage(() -> SafetensorsCheckpoint.open(f), parts);
        }
        byte[] notUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        Path f = tmp.resolve("u.safetensors");
        ByteBuffer b = ByteBuffer.allocate(8 + notUtf8.length).order(ByteOrder.LITTLE_ENDIAN).putLong(notUtf8.length).put(notUtf8);
        Files.write(f, b.array());
        assertMessage(() -> SafetensorsCheckpoint.open(f), "UTF-8");
    }

    @Test
    void emptyTensorsAndPaddedHeadersAreValid(@TempDir Path tmp) throws Exception {
        String header = "{\"__metadata__\":{\"k\":\"v\"}," + tensor("empty", "F32", "[0,3]", 8, 8) + ","
                + tensor("w", "F32", "[2]", 0, 8) + "}    ";
        Path f = file(tmp, header, TWO);
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(f); NDManager m = NDManager.newBaseManager()) {
            assertEquals(0, c.loadFloat32("empty", m).size());
            assertArrayEquals(new long[] {0, 3}, c.loadFloat32("empty", m).getShape().getShape());
            assertArrayEquals(new float[] {1f, 2f}, c.loadFloat32("w", m).toFloatArray());
        }
    }

    @Test
    void fileShrunkAfterOpeningIsAnErrorNotACrash(@TempDir Path tmp) throws Exception {
        Path f = Files.copy(TinyFixture.dir().resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(f); NDManager m = NDManager.newBaseManager()) {
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(raf.length() / 2);
            }
            assertMessage(() -> c.loadFloat32("shared.weight", m), "tensor 'shared.weight'", "truncated while open");
        }
    }

    /**
     * A sparse file whose last tensor starts past 4 GiB (costs no disk): offsets are 64-bit end to end and
     * no single mapping spans the file. Only the small tensor is ever touched.
     */
    @Test
    void tensorsPastFourGibibytesAreRead(@TempDir Path tmp) throws Exception {
        long filler = (4L << 30) + 12;
        float[] values = {3.25f, -1f, 0.5f, 7f, 1e-3f, 42f};
        String header = "{" + tensor("filler", "U8", "[" + filler + "]", 0, filler) + ","
                + tensor("far.weight", "F32", "[2,3]", filler, filler + 24) + "}";
        while ((header.length() + 8) % 8 != 0) header += " ";
        Path f = tmp.resolve("model.safetensors");
        byte[] headerBytes = header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            raf.write(headerBytes);
            long dataStart = 8 + headerBytes.length;
            raf.setLength(dataStart + filler + 24);
            raf.seek(dataStart + filler);
            raf.write(SafetensorsFiles.floats(values));
        }
        assertTrue(Files.size(f) > (4L << 30));
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(f); NDManager m = NDManager.newBaseManager()) {
            assertEquals(filler, c.info("filler").elementCount());
            assertArrayEquals(values, c.loadFloat32("far.weight", m).toFloatArray());
            assertArrayEquals(values, c.loadFloat32("far.weight", m).toFloatArray(), "mapped once, read twice");
            assertMessage(() -> c.loadFloat32("filler", m), "tensor 'filler'", "U8");
        }
    }
}

package dev.mt5augment.models.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes safetensors files byte by byte for tests, including malformed ones. */
final class SafetensorsFiles {

    private SafetensorsFiles() {
    }

    /** Header length taken from the header itself. */
    static Path write(Path file, String header, byte[] data) throws IOException {
        return write(file, header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    /** Any declared header length, true or not. */
    static Path write(Path file, long declaredHeaderLength, String header, byte[] data) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredHeaderLength).array());
            out.write(header.getBytes(StandardCharsets.UTF_8));
            out.write(data);
        }
        return file;
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }
}

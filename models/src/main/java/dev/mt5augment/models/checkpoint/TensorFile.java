package dev.mt5augment.models.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open weight file. Tensors the engine uses in place are memory-mapped one by one (never one
 * mapping of the whole file, so files past 2 GiB work); tensors that are converted are read through
 * buffers instead.
 *
 * <p>Mappings made with {@link #mapRetained} stay referenced until {@link #close()}: an engine array
 * may alias one (torch {@code from_blob}), and a mapping the GC unmapped under torch would crash the
 * JVM. After close the references are dropped and the GC unmaps once nothing else holds them.
 *
 * <p>Threading: safe for concurrent use.
 */
final class TensorFile implements AutoCloseable {

    /** The largest region one {@link ByteBuffer} can hold. */
    static final long MAX_MAPPING = Integer.MAX_VALUE;

    private record Region(long offset, long length) {
    }

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final Map<Region, MappedByteBuffer> retained = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private TensorFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens {@code path} for reading. */
    static TensorFile open(Path path) {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            try {
                if (!Files.isRegularFile(path)) throw new CheckpointException(path + ": not a regular file");
                return new TensorFile(path, channel, channel.size());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new CheckpointException(path + ": no such file", e);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot open: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** The size when the file was opened; every header was validated against it. */
    long size() {
        return size;
    }

    /** Reads {@code length} bytes at {@code offset} onto the heap (headers and pickles only, never tensor data). */
    ByteBuffer read(long offset, int length, String what) {
        checkRange(offset, length, what);
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, offset + buf.position());
                if (n < 0) throw new CheckpointException(path + ": " + what + ": file ended early (truncated while open?)");
            }
        } catch (IOException e) {
            throw new CheckpointException(path + ": " + what + ": read failed: " + e.getMessage(), e);
        }
        return buf.flip();
    }

    /**
     * A little-endian read-only view of {@code [offset, offset + length)}, kept mapped until
     * {@link #close()}; mapping the same region twice gives the same memory.
     */
    ByteBuffer mapRetained(long offset, long length, String tensor) {
        MappedByteBuffer mapping = retained.computeIfAbsent(new Region(offset, length), r -> map(offset, length, tensor));
        if (closed) {
            retained.clear();
            throw new CheckpointException(path + ": tensor '" + tensor + "': checkpoint is closed");
        }
        return mapping.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Fills {@code dst}'s remaining bytes from {@code offset}: for data that is converted on the way in,
     * so it never needs mapping (pages read this way are not part of this process's resident set).
     */
    void readInto(long offset, ByteBuffer dst, String tensor) {
        if (closed) throw new CheckpointException(path + ": tensor '" + tensor + "': checkpoint is closed");
        checkRange(offset, dst.remaining(), "tensor '" + tensor + "'");
        long position = offset;
        try {
            while (dst.hasRemaining()) {
                int n = channel.read(dst, position);
                if (n < 0) {
                    throw new CheckpointException(path + ": tensor '" + tensor + "': file ended at " + position
                            + " (truncated while open?)");
                }
                position += n;
            }
        } catch (IOException e) {
            throw new CheckpointException(path + ": tensor '" + tensor + "': read failed: " + e.getMessage(), e);
        }
    }

    private MappedByteBuffer map(long offset, long length, String tensor) {
        if (closed) throw new CheckpointException(path + ": tensor '" + tensor + "': checkpoint is closed");
        if (length > MAX_MAPPING) {
            throw new CheckpointException(path + ": tensor '" + tensor + "': a region of " + length
                    + " bytes cannot be mapped at once");
        }
        checkRange(offset, length, "tensor '" + tensor + "'");
        try {
            // The file may have shrunk since it was validated; touching a mapping past its end is SIGBUS.
            long now = channel.size();
            if (offset + length > now) {
                throw new CheckpointException(path + ": tensor '" + tensor + "': bytes [" + offset + ", "
                        + (offset + length) + ") lie past the end of the file (" + now + " bytes; truncated while open?)");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (IOException e) {
            throw new CheckpointException(path + ": tensor '" + tensor + "': cannot map: " + e.getMessage(), e);
        }
    }

    private void checkRange(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new CheckpointException(path + ": " + what + ": bytes [" + offset + ", " + (offset + length)
                    + ") lie outside the file (" + size + " bytes)");
        }
    }

    @Override
    public void close() {
        closed = true;
        retained.clear();
        try {
            channel.close();
        } catch (IOException e) {
            // Read-only channel: nothing was written that a failed close could lose.
        }
    }
}

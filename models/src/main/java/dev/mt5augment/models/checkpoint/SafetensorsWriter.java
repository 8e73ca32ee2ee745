package dev.mt5augment.models.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams a safetensors file to disk without holding any tensor in memory: the header (names sorted,
 * compact JSON, {@code __metadata__} first, padded with spaces to a multiple of 8 so the data is
 * 8-byte aligned) is written up front from the declared shapes, then the caller appends each tensor's
 * little-endian bytes in {@link #order()}, in as many pieces as it likes.
 *
 * <p>The file is written next to its destination under a temporary name and moved into place by
 * {@link #close()} only when every declared byte arrived, so a crash never leaves a half-written
 * {@code model.safetensors}. {@link #abort()} discards it.
 *
 * <p>Not thread-safe.
 */
public final class SafetensorsWriter implements AutoCloseable {

    /** A tensor to be written. */
    public record Entry(String name, TensorDType dtype, long[] shape) {
        public Entry {
            shape = shape.clone();
        }

        public long byteCount() {
            long n = dtype.bytes();
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }
    }

    private final Path destination;
    private final Path partial;
    private final FileChannel channel;
    private final List<Entry> order;
    private int current;
    private long writtenInCurrent;
    private boolean finished;

    private SafetensorsWriter(Path destination, Path partial, FileChannel channel, List<Entry> order) {
        this.destination = destination;
        this.partial = partial;
        this.channel = channel;
        this.order = order;
    }

    /** Writes the header for {@code tensors} (sorted by name) and {@code metadata}; data follows. */
    public static SafetensorsWriter create(Path file, Collection<Entry> tensors, Map<String, String> metadata) {
        List<Entry> order = new ArrayList<>(tensors);
        order.sort(Comparator.comparing(Entry::name));
        Set<String> seen = new HashSet<>();
        ObjectNode header = new ObjectMapper().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
        }
        long offset = 0;
        for (Entry e : order) {
            if (e.name().isEmpty() || e.name().equals("__metadata__") || !seen.add(e.name())) {
                throw new IllegalArgumentException("tensor name '" + e.name() + "' is empty, reserved or repeated");
            }
            ObjectNode t = header.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) shape.add(d);
            long end = offset + e.byteCount();
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            SafetensorsWriter w = new SafetensorsWriter(file, partial, channel, List.copyOf(order));
            w.writeFully(head);
            return w;
        } catch (IOException e) {
            throw new CheckpointException(partial + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The order tensors' bytes must be written in: by name. */
    public List<Entry> order() {
        return order;
    }

    /** The tensor the next {@link #write} bytes belong to, or null once all are written. */
    public Entry currentTensor() {
        skipEmpty();
        return current < order.size() ? order.get(current) : null;
    }

    /**
     * Appends {@code data}'s remaining bytes to the current tensor (they must not run past its end);
     * moves on to the next tensor once the current one is complete.
     */
    public void write(ByteBuffer data) {
        Entry e = currentTensor();
        if (e == null) throw new IllegalStateException("every tensor is already written");
        if (data.remaining() > e.byteCount() - writtenInCurrent) {
            throw new IllegalStateException("tensor '" + e.name() + "' takes " + e.byteCount() + " bytes; "
                    + (writtenInCurrent + data.remaining()) + " were written");
        }
        writtenInCurrent += data.remaining();
        writeFully(data);
        if (writtenInCurrent == e.byteCount()) {
            current++;
            writtenInCurrent = 0;
        }
    }

    private void skipEmpty() {
        while (current < order.size() && writtenInCurrent == 0 && order.get(current).byteCount() == 0) current++;
    }

    private void writeFully(ByteBuffer data) {
        try {
            while (data.hasRemaining()) channel.write(data);
        } catch (IOException e) {
            throw new CheckpointException(partial + ": write failed: " + e.getMessage(), e);
        }
    }

    /** Moves the finished file into place. @throws CheckpointException when tensors are missing bytes */
    @Override
    public void close() {
        if (finished) return;
        Entry missing = currentTensor();
        if (missing != null) {
            abort();
            throw new CheckpointException(destination + ": tensor '" + missing.name() + "' "
                    + Arrays.toString(missing.shape()) + " was not fully written; the file was discarded");
        }
        finished = true;
        try {
            // No fsync: the rename protects against a crash of this process; power loss is out of scope.
            channel.close();
            Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CheckpointException(destination + ": cannot finish writing: " + e.getMessage(), e);
        }
    }

    /** Discards the partial file. */
    public void abort() {
        finished = true;
        try {
            channel.close();
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // Best effort: a leftover .partial file is visible and harmless.
        }
    }
}

package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint whose tensors were located and validated when it was opened and are read from
 * memory-mapped files on demand. The file formats differ only in how they are opened.
 *
 * <p>Threading: immutable after opening; {@link #loadFloat32} is safe for concurrent use.
 */
public abstract sealed class MappedCheckpoint implements Checkpoint permits SafetensorsCheckpoint, PytorchCheckpoint {

    private final Path source;
    private final Map<String, StoredTensor> tensors;
    private final List<TensorFile> files;
    private final Float32Loader loader;

    MappedCheckpoint(Path source, Map<String, StoredTensor> tensors, List<TensorFile> files, Float32Loader loader) {
        this.source = source;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.files = List.copyOf(files);
        this.loader = loader;
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return stored(name).info();
    }

    /** The files the tensors are read from, in the order they were opened. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (TensorFile f : files) out.add(f.path());
        return out;
    }

    @Override
    public NDArray loadFloat32(String name, NDManager manager) {
        return load(name, manager, false);
    }

    @Override
    public NDArray readFloat32(String name, NDManager manager) {
        return load(name, manager, true);
    }

    private NDArray load(String name, NDManager manager, boolean copy) {
        StoredTensor t = stored(name);
        try {
            return copy ? loader.copy(t, manager) : loader.load(t, manager);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(t.info().file() + ": tensor '" + name + "' " + t.info().dtype()
                    + t.info().shapeString() + ": the engine could not load it: " + e, e);
        }
    }

    /**
     * Copies the tensor's stored bytes (its own dtype, little-endian, unconverted) from {@code byteOffset}
     * into {@code dst}'s remaining space, without mapping them: for tools that rewrite a checkpoint
     * piecewise (vocabulary trimming gathers embedding rows this way) and never hold a whole tensor.
     *
     * @throws CheckpointException when the range lies outside the tensor or the file cannot be read
     */
    public void readStoredBytes(String name, long byteOffset, java.nio.ByteBuffer dst) {
        StoredTensor t = stored(name);
        long size = t.info().byteCount();
        if (byteOffset < 0 || byteOffset > size - dst.remaining()) {
            throw new CheckpointException(t.info().file() + ": tensor '" + name + "': bytes [" + byteOffset + ", "
                    + (byteOffset + dst.remaining()) + ") lie outside its " + size + " bytes");
        }
        t.file().readInto(t.offset() + byteOffset, dst, name);
    }

    /** Where the tensor's bytes lie, for tools in this package that stream weights to another file. */
    StoredTensor stored(String name) {
        StoredTensor t = tensors.get(name);
        if (t == null) throw new CheckpointException(source + ": no tensor named '" + name + "'");
        return t;
    }

    @Override
    public void close() {
        for (TensorFile f : files) f.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + source + ", " + tensors.size() + " tensors]";
    }
}

package dev.mt5augment.models.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, so tests can build both torch-like and hostile pickles without Python. */
final class PickleAssembler {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleAssembler op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleAssembler proto(int version) {
        return op(0x80).op(version);
    }

    PickleAssembler global(String module, String name) {
        op('c');
        byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
        return this;
    }

    PickleAssembler string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le(b.length, 4);
        out.write(b, 0, b.length);
        return this;
    }

    PickleAssembler shortString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8c).op(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    PickleAssembler integer(long v) {
        if (v >= 0 && v < 256) return op('K').op((int) v);
        if (v >= 0 && v < 65536) {
            op('M');
            return le(v, 2);
        }
        op('J');
        return le(v, 4);
    }

    PickleAssembler binput(int index) {
        return op('q').op(index);
    }

    PickleAssembler binget(int index) {
        return op('h').op(index);
    }

    PickleAssembler frame(long length) {
        op(0x95);
        return le(length, 8);
    }

    PickleAssembler le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
        return this;
    }

    /** {@code _rebuild_tensor_v2(persistent_load(('storage', StorageType, key, 'cpu', numel)), offset, size, stride, False, OrderedDict())}. */
    PickleAssembler tensor(String storageType, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(').string("storage").global("torch", storageType).string(key).string("cpu").integer(numel).op('t');
        op('Q');
        integer(offset);
        op('(');
        for (long s : size) integer(s);
        op('t');
        op('(');
        for (long s : stride) integer(s);
        op('t');
        op(0x89);
        global("collections", "OrderedDict").op(')').op('R');
        op('t');
        return op('R');
    }

    /** An OrderedDict state dict of one contiguous tensor {@code name} over all of storage {@code 0}. */
    static byte[] oneTensor(String name, String storageType, long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        return new PickleAssembler().proto(2).global("collections", "OrderedDict").op(')').op('R')
                .string(name).tensor(storageType, "0", n, 0, shape, stride).op('s').op('.').bytes();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] floatsLe(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }
}

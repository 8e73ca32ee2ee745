package dev.mt5augment.models.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code data.pkl} of a {@code torch.save(state_dict)} zip into tensor descriptions, and
 * nothing else.
 *
 * <p>This is not a general unpickler. It interprets the opcodes {@code torch.save} emits for a state
 * dict (protocols 2–5) as data: lists, tuples, dicts, strings, numbers. The only "calls" it knows are
 * the handful of globals a state dict needs, each replaced by a Java function that builds a
 * description ({@code OrderedDict()}, {@code _rebuild_tensor_v2}, {@code _rebuild_parameter}, storage
 * types as persistent-id tags). Any other global ({@code os.system}, {@code builtins.eval}, a model
 * class...) is refused when it is named, and opcodes that build arbitrary objects ({@code NEWOBJ},
 * {@code INST}, {@code OBJ}, {@code EXT*}) are refused as unknown. Nothing is executed or emulated.
 *
 * <p>Not thread-safe; one instance reads one pickle.
 */
final class StateDictUnpickler {

    /** A tensor storage: {@code numel} elements of {@code dtype} in zip entry {@code data/KEY}. */
    record StorageRef(TensorDType dtype, String key, String location, long numel) {
    }

    /** A tensor: a strided view of a storage, offsets and strides in elements. */
    record TensorRef(StorageRef storage, long storageOffset, long[] size, long[] stride) {
    }

    /** The callables a state dict may name; everything else is refused by name. */
    private enum Callable {
        ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER
    }

    /** A storage class ({@code torch.FloatStorage}...): only valid as the tag of a persistent id. */
    private record StorageType(String name, TensorDType dtype) {
    }

    private static final Map<String, Object> ALLOWED_GLOBALS = allowedGlobals();

    private static Map<String, Object> allowedGlobals() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("collections.OrderedDict", Callable.ORDERED_DICT);
        m.put("torch._utils._rebuild_tensor_v2", Callable.REBUILD_TENSOR_V2);
        m.put("torch._utils._rebuild_parameter", Callable.REBUILD_PARAMETER);
        Object[][] storages = {
                {"FloatStorage", TensorDType.F32}, {"HalfStorage", TensorDType.F16},
                {"BFloat16Storage", TensorDType.BF16}, {"DoubleStorage", TensorDType.F64},
                {"LongStorage", TensorDType.I64}, {"IntStorage", TensorDType.I32},
                {"ShortStorage", TensorDType.I16}, {"CharStorage", TensorDType.I8},
                {"ByteStorage", TensorDType.U8}, {"BoolStorage", TensorDType.BOOL}};
        for (Object[] s : storages) {
            m.put("torch." + s[0], new StorageType("torch." + s[0], (TensorDType) s[1]));
        }
        return Collections.unmodifiableMap(m);
    }

    /** Python's None. */
    private enum None { NONE }

    /** A Python tuple (immutable, unlike a list). */
    private record Tuple(List<Object> items) {
    }

    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final String where;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages = new HashMap<>();
    private int opcodeOffset;

    private StateDictUnpickler(byte[] pickle, String where) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.where = where;
    }

    /**
     * The state dict in {@code pickle}: tensor name → tensor, in pickle order.
     *
     * @param where names the file and entry in error messages
     */
    static Map<String, TensorRef> read(byte[] pickle, String where) {
        return new StateDictUnpickler(pickle, where).run();
    }

    /** The globals a state dict may name, for error messages. */
    static String allowedGlobalNames() {
        return String.join(", ", ALLOWED_GLOBALS.keySet());
    }

    private Map<String, TensorRef> run() {
        Object result = null;
        boolean stopped = false;
        while (!stopped) {
            if (!in.hasRemaining()) throw fail("pickle ends without STOP: truncated");
            opcodeOffset = in.position();
            int op = in.get() & 0xFF;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto < 2 || proto > 5) throw fail("pickle protocol " + proto + " is not one torch.save writes");
                }
                case 0x95 -> { // FRAME: a length hint; the frame's opcodes follow inline
                    long frame = in.remaining() >= 8 ? in.getLong() : -1;
                    if (frame < 0 || frame > in.remaining()) throw fail("FRAME of " + frame + " bytes runs past the pickle");
                }
                case '.' -> { // STOP
                    result = pop();
                    stopped = true;
                }
                case '(' -> { // MARK
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<Object>()); // EMPTY_LIST
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case 't' -> push(new Tuple(popMark())); // TUPLE
                case 0x85 -> push(tuple(1)); // TUPLE1
                case 0x86 -> push(tuple(2)); // TUPLE2
                case 0x87 -> push(tuple(3)); // TUPLE3
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'd' -> { // DICT
                    Map<Object, Object> d = new LinkedHashMap<>();
                    setItems(d, popMark());
                    push(d);
                }
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(u32())); // LONG_BINGET
                case 'J' -> push((long) int32()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) u16()); // BININT2
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(binFloat()); // BINFLOAT (big-endian)
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'N' -> push(None.NONE); // NONE
                case 'X' -> push(utf8(u32())); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(in.remaining() >= 8 ? in.getLong() : -1)); // BINUNICODE8
                case 'c' -> push(global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail("STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n));
                }
                case 'Q' -> push(persistentLoad(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args));
                }
                case 'b' -> { // BUILD: only a dict's attributes (a state dict's _metadata), which are ignored
                    Object state = pop();
                    Object target = peek();
                    if (!(target instanceof Map)) {
                        throw fail("BUILD on " + describe(target) + " is not part of a state dict");
                    }
                    if (!(state instanceof Map) && state != None.NONE) {
                        throw fail("BUILD state " + describe(state) + " is not a dict");
                    }
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    setItems(dictAt(peek()), List.of(key, value));
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    setItems(dictAt(peek()), items);
                }
                case 'a' -> { // APPEND
                    Object value = pop();
                    listAt(peek()).add(value);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    listAt(peek()).addAll(items);
                }
                default -> throw fail(String.format("unsupported pickle opcode 0x%02x%s: not one torch.save writes for a "
                        + "state dict", op, op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : ""));
            }
        }
        return stateDict(result);
    }

    private Map<String, TensorRef> stateDict(Object result) {
        if (!(result instanceof Map<?, ?> dict)) {
            throw fail("the pickle holds " + describe(result) + ", not a state dict");
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name)) throw fail("state dict key " + describe(e.getKey()) + " is not a string");
            if (!(e.getValue() instanceof TensorRef t)) {
                throw fail("state dict entry '" + name + "' is " + describe(e.getValue())
                        + ", not a tensor (nested checkpoints are not supported)");
            }
            out.put(name, t);
        }
        return out;
    }

    private Object global(String module, String name) {
        String qualified = module + "." + name;
        Object allowed = ALLOWED_GLOBALS.get(qualified);
        if (allowed == null) {
            throw fail("refusing global '" + qualified + "': a state dict needs only " + allowedGlobalNames()
                    + "; this file may be hostile, and nothing in it was run");
        }
        return allowed;
    }

    private StorageRef persistentLoad(Object pid) {
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
            throw fail("persistent id " + describe(pid) + " is not ('storage', type, key, location, numel)");
        }
        List<Object> f = t.items();
        if (!(f.get(1) instanceof StorageType type)) throw fail("persistent id names " + describe(f.get(1)) + ", not a storage type");
        if (!(f.get(2) instanceof String key)) throw fail("storage key " + describe(f.get(2)) + " is not a string");
        if (!(f.get(3) instanceof String location)) throw fail("storage location " + describe(f.get(3)) + " is not a string");
        long numel = nonNegative(f.get(4), "storage " + key + " numel");
        StorageRef ref = new StorageRef(type.dtype(), key, location, numel);
        StorageRef earlier = storages.putIfAbsent(key, ref);
        if (earlier != null && !earlier.equals(ref)) {
            throw fail("storage " + key + " is described twice differently: " + earlier + " and " + ref);
        }
        return earlier != null ? earlier : ref;
    }

    private Object reduce(Object callable, Object argsObject) {
        if (!(argsObject instanceof Tuple argsTuple)) throw fail("REDUCE arguments " + describe(argsObject) + " are not a tuple");
        List<Object> args = argsTuple.items();
        if (!(callable instanceof Callable c)) {
            throw fail("REDUCE calls " + describe(callable) + ", which a state dict never calls");
        }
        return switch (c) {
            case ORDERED_DICT -> {
                if (!args.isEmpty()) throw fail("OrderedDict is only ever built empty in a state dict");
                yield new LinkedHashMap<Object, Object>();
            }
            case REBUILD_TENSOR_V2 -> {
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.size() != 6 && args.size() != 7) throw fail("_rebuild_tensor_v2 takes 6 or 7 arguments, got " + args.size());
                if (!(args.get(0) instanceof StorageRef storage)) throw fail("_rebuild_tensor_v2 storage is " + describe(args.get(0)));
                long offset = nonNegative(args.get(1), "storage offset");
                long[] size = longs(args.get(2), "size");
                long[] stride = longs(args.get(3), "stride");
                if (size.length != stride.length) throw fail("size " + Arrays.toString(size) + " and stride "
                        + Arrays.toString(stride) + " differ in rank");
                if (!(args.get(4) instanceof Boolean)) throw fail("requires_grad is " + describe(args.get(4)));
                if (!(args.get(5) instanceof Map<?, ?> hooks) || !hooks.isEmpty()) {
                    throw fail("backward hooks " + describe(args.get(5)) + " are not an empty OrderedDict");
                }
                yield new TensorRef(storage, offset, size, stride);
            }
            case REBUILD_PARAMETER -> {
                // (data, requires_grad, backward_hooks): a Parameter is its data here.
                if (args.size() != 3 || !(args.get(0) instanceof TensorRef t)) {
                    throw fail("_rebuild_parameter expects (tensor, requires_grad, hooks), got " + describe(argsObject));
                }
                yield t;
            }
        };
    }

    private void setItems(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) throw fail("odd number of items for a dict");
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            // Scalar keys only: hashing a container key could recurse forever on a cyclic value.
            if (!(key instanceof String || key instanceof Long || key instanceof Boolean || key == None.NONE)) {
                throw fail("dict key " + describe(key) + " is not a string or number");
            }
            dict.put(key, items.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictAt(Object o) {
        if (!(o instanceof Map)) throw fail("SETITEM(S) on " + describe(o) + ", not a dict");
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> listAt(Object o) {
        if (!(o instanceof ArrayList)) throw fail("APPEND(S) on " + describe(o) + ", not a list");
        return (List<Object>) o;
    }

    private Tuple tuple(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) items[i] = pop();
        return new Tuple(Arrays.asList(items));
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty()) throw fail("stack underflow");
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) throw fail("a MARK where a value was expected");
        return o;
    }

    private Object peek() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw fail("stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw fail("no MARK to pop to");
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        if (items.contains(MARK)) throw fail("nested MARK inside a marked group");
        return items;
    }

    private Object memoGet(long index) {
        Object o = memo.get(index);
        if (o == null) throw fail("memo entry " + index + " was never stored");
        return o;
    }

    private int u8() {
        need(1);
        return in.get() & 0xFF;
    }

    private int u16() {
        need(2);
        return in.getShort() & 0xFFFF;
    }

    private long u32() {
        need(4);
        return in.getInt() & 0xFFFFFFFFL;
    }

    private int int32() {
        need(4);
        return in.getInt();
    }

    private Object long1() {
        int n = u8();
        if (n > 8) throw fail("LONG1 of " + n + " bytes is larger than any size a state dict holds");
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) v |= (in.get() & 0xFFL) << (8 * i);
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) v |= -1L << (8 * n); // sign-extend
        return v;
    }

    private double binFloat() {
        need(8);
        return Double.longBitsToDouble(Long.reverseBytes(in.getLong()));
    }

    private String utf8(long length) {
        if (length < 0 || length > in.remaining()) throw fail("string of " + length + " bytes runs past the pickle: truncated");
        byte[] b = new byte[(int) length];
        in.get(b);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw fail("string is not valid UTF-8");
        }
    }

    /** A newline-terminated ASCII line (GLOBAL's operands), at most 256 bytes. */
    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) throw fail("GLOBAL operand runs past the pickle: truncated");
            int c = in.get() & 0xFF;
            if (c == '\n') return sb.toString();
            if (c < 0x20 || c > 0x7e || sb.length() > 256) throw fail("GLOBAL operand is not a short ASCII name");
            sb.append((char) c);
        }
    }

    private void need(int n) {
        if (in.remaining() < n) throw fail("operand runs past the end of the pickle: truncated");
    }

    private long nonNegative(Object o, String what) {
        if (!(o instanceof Long v) || v < 0) throw fail(what + " is " + describe(o) + ", not a non-negative integer");
        return v;
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof Tuple t)) throw fail(what + " is " + describe(o) + ", not a tuple");
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) out[i] = nonNegative(t.items().get(i), what + "[" + i + "]");
        return out;
    }

    /** A short, non-recursive description: values may be cyclic or huge. */
    private static String describe(Object o) {
        if (o == null) return "nothing";
        if (o == None.NONE) return "None";
        if (o instanceof String s) return "the string '" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
        if (o instanceof Long || o instanceof Double || o instanceof Boolean) return "the value " + o;
        if (o instanceof Tuple t) return "a tuple of " + t.items().size();
        if (o instanceof Map<?, ?> m) return "a dict of " + m.size();
        if (o instanceof List<?> l) return "a list of " + l.size();
        if (o instanceof Callable c) return "the global " + c;
        if (o instanceof StorageType s) return "the storage type " + s.name();
        if (o instanceof StorageRef s) return "storage " + s.key();
        if (o instanceof TensorRef) return "a tensor";
        return o.getClass().getSimpleName();
    }

    private CheckpointException fail(String message) {
        return new CheckpointException(where + ": offset " + opcodeOffset + ": " + message);
    }
}

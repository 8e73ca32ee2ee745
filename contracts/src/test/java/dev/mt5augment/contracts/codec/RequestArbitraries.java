package dev.mt5augment.contracts.codec;

import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.request.Decoding;
import dev.mt5augment.contracts.task.Task;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generators for the property tests: valid requests, raw request-like objects, byte mutations. */
public final class RequestArbitraries {

    private RequestArbitraries() {
    }

    /** Valid requests over the whole parameter space, built through the public builder. */
    public static Arbitrary<AugmentRequest> validRequests() {
        return Builders.withBuilder(Spec::new)
                .use(Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("._:-AZ")
                        .ofMinLength(1).ofMaxLength(128)).in((s, v) -> { s.id = v; return s; })
                .use(texts().list().ofMinSize(1).ofMaxSize(6)).in((s, v) -> { s.texts = v; return s; })
                .use(Arbitraries.of(Task.class)).in((s, v) -> { s.task = v; return s; })
                .use(texts().map(t -> t.codePoints().limit(30).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append) + "x").list().ofMinSize(1).ofMaxSize(5))
                .in((s, v) -> { s.labels = v; return s; })
                .use(Arbitraries.of(Decoding.class).injectNull(0.3)).in((s, v) -> { s.decoding = v; return s; })
                .use(Arbitraries.integers().between(1, 10)).in((s, v) -> { s.nrs = v; return s; })
                .use(Arbitraries.integers().between(1, 16)).in((s, v) -> { s.beams = v; return s; })
                .use(Arbitraries.doubles().between(0, false, 2, true)).in((s, v) -> { s.temperature = v; return s; })
                .use(Arbitraries.doubles().between(0, false, 1, true)).in((s, v) -> { s.topP = v; return s; })
                .use(Arbitraries.integers().between(0, 1000)).in((s, v) -> { s.topK = v; return s; })
                .use(Arbitraries.integers().between(1, 512)).in((s, v) -> { s.maxLength = v; return s; })
                .use(Arbitraries.integers().between(0, 512)).in((s, v) -> { s.minLength = v; return s; })
                .use(Arbitraries.doubles().between(0, false, 10, true)).in((s, v) -> { s.repetitionPenalty = v; return s; })
                .use(Arbitraries.integers().between(0, 10)).in((s, v) -> { s.noRepeat = v; return s; })
                .use(Arbitraries.of(true, false)).in((s, v) -> { s.dedupe = v; return s; })
                .use(Arbitraries.longs().injectNull(0.3)).in((s, v) -> { s.seed = v; return s; })
                .use(Arbitraries.strings().withCharRange('a', 'z').withChars("._-").ofMinLength(3).ofMaxLength(249)
                        .injectNull(0.5)).in((s, v) -> { s.replyTo = v; return s; })
                .use(Arbitraries.integers().between(1, 3_600_000).injectNull(0.5)).in((s, v) -> { s.deadline = v; return s; })
                .build(Spec::build);
    }

    /** Mixed scripts, white space around, emoji and ZWJ sequences; never blank. */
    static Arbitrary<String> texts() {
        Arbitrary<String> core = Arbitraries.strings().withCharRange('\u4e00', '\u9fff').withCharRange('a', 'z')
                .withChars(' ', '，', '。', '!', '"', '\\', '\n', '\u00e9').ofMinLength(1).ofMaxLength(60);
        Arbitrary<String> extra = Arbitraries.of("", "😀", "👨\u200D👩\u200D👧", "\u0000", "\uFEFF");
        Arbitrary<String> pad = Arbitraries.of("", " ", "\u3000", "\t");
        return Combinators.combine(pad, core, extra, pad).as((a, b, c, d) -> a + b + c + d)
                .filter(s -> !s.strip().isEmpty());
    }

    /** The mutable spec behind {@link #validRequests()}; {@link #build()} makes the parameters consistent. */
    static final class Spec {
        String id;
        List<String> texts;
        Task task;
        List<String> labels;
        Decoding decoding;
        int nrs;
        int beams;
        double temperature;
        double topP;
        int topK;
        int maxLength;
        int minLength;
        double repetitionPenalty;
        int noRepeat;
        boolean dedupe;
        Long seed;
        String replyTo;
        Integer deadline;

        AugmentRequest build() {
            Decoding effective = decoding != null ? decoding : (task.zeroShot() ? Decoding.BEAM : Decoding.SAMPLE);
            int n = effective == Decoding.GREEDY ? 1 : nrs;
            AugmentRequest.Builder b = AugmentRequest.builder().id(id).texts(texts).task(task)
                    .numReturnSequences(n).temperature(temperature).topP(topP).topK(topK).maxLength(maxLength)
                    .minLength(minLength % (maxLength + 1)).repetitionPenalty(repetitionPenalty).noRepeatNgramSize(noRepeat)
                    .dedupe(dedupe).seed(seed).replyTo(replyTo == null || replyTo.matches("\\.{1,2}") ? null : replyTo);
            if (decoding != null) b.decoding(decoding);
            if (effective == Decoding.BEAM) b.numBeams(Math.max(n, beams));
            if (task.needsLabels() || beams % 2 == 0) b.labels(labels);
            if (deadline != null) b.deadlineMs(deadline);
            return b.build();
        }
    }

    /** A field's candidate raw JSON values: valid ones, and boundary, wrong-typed or malformed ones. */
    private record Pool(List<String> valid, List<String> invalid) {
    }

    private static final Map<String, Pool> POOLS = new LinkedHashMap<>();

    static {
        Pool ints = new Pool(List.of("0", "1", "2", "3", "4", "10", "16", "128", "512", "1e2", "2.0", "null"),
                List.of("11", "17", "513", "-1", "2.5", "\"3\"", "1e400", "99999999999999999999", "true", "[]"));
        Pool reals = new Pool(List.of("0.5", "1", "0.95", "2", "10", "1e-300", "null"),
                List.of("0", "0.0", "2.5", "10.5", "-1", "1e-400", "1e400", "\"0.5\"", "false", "{}"));
        POOLS.put("id", new Pool(List.of("\"r1\"", "\"a:b.c-d_e\""),
                List.of("\"\"", "\"a b\"", "\"" + "x".repeat(129) + "\"", "5", "\"\\ud800\"")));
        POOLS.put("text", new Pool(List.of("\"你好\"", "\" padded \"", "\"😀\"", "\"\\u0000\""),
                List.of("\"  \"", "\"\"", "\"" + "字".repeat(513) + "\"", "[]", "7", "\"a\\ud800\"")));
        POOLS.put("texts", new Pool(List.of("[\"a\",\"b\"]", "[\"一\"]", "null"),
                List.of("[]", "[\"\"]", "[\" \"]", "[1]", "\"a\"", "[null]", "[\"\\udc00\"]", HostileCorpus.array(257, "t"))));
        POOLS.put("task", new Pool(List.of("\"augment\"", "\"classify\"", "\"summarize\"", "\"title\"", "\"keywords\"",
                "\"sentiment\"", "\"translate_en\"", "\"custom\"", "null"), List.of("\"Augment\"", "\"x\"", "5")));
        POOLS.put("labels", new Pool(List.of("[\"a\",\"b\"]", "[\" 好 \"]", "null"),
                List.of("[]", "[\"\"]", "[\" \"]", "[1]", "\"a\"", HostileCorpus.array(65, "l"), "[\"" + "l".repeat(65) + "\"]")));
        POOLS.put("decoding", new Pool(List.of("\"sample\"", "\"greedy\"", "\"beam\"", "null"), List.of("\"BEAM\"", "1")));
        for (String f : List.of("num_return_sequences", "num_beams", "top_k", "max_length", "min_length", "no_repeat_ngram_size",
                "deadline_ms", "seed")) {
            POOLS.put(f, ints);
        }
        for (String f : List.of("temperature", "top_p", "repetition_penalty")) POOLS.put(f, reals);
        POOLS.put("dedupe", new Pool(List.of("true", "false", "null"), List.of("\"true\"", "1")));
        POOLS.put("reply_to", new Pool(List.of("\"out\"", "\"a.b-c_d\"", "null"), List.of("\".\"", "\"..\"", "\"a b\"", "\"\"", "3")));
        POOLS.put("schema_version", new Pool(List.of("1", "1.0", "null"), List.of("2", "0", "\"1\"", "1.5")));
        POOLS.put("txt", new Pool(List.of(), List.of("\"typo\"", "null")));
    }

    /**
     * Objects of request fields (and an occasional unknown one) with values drawn from the pools,
     * mostly valid ones, in random order; each field at most once.
     */
    public static Arbitrary<String> requestObjects() {
        List<Arbitrary<Map.Entry<String, String>>> perField = new ArrayList<>();
        POOLS.forEach((name, pool) -> {
            double absent = switch (name) {
                case "id", "text" -> 0.1;
                case "texts", "txt" -> 0.9;
                default -> 0.6;
            };
            Arbitrary<String> value = pool.valid().isEmpty() ? Arbitraries.of(pool.invalid())
                    : Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(pool.valid())), Tuple.of(1, Arbitraries.of(pool.invalid())));
            perField.add(value.injectNull(absent).map(v -> v == null ? null : Map.entry(name, v)));
        });
        return Combinators.combine(perField).as(entries -> entries.stream().filter(e -> e != null).toList())
                .flatMap(entries -> Arbitraries.shuffle(entries))
                .map(entries -> {
                    StringBuilder sb = new StringBuilder("{");
                    for (Map.Entry<String, String> e : entries) {
                        sb.append(sb.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":").append(e.getValue());
                    }
                    return sb.append('}').toString();
                });
    }

    /** Record keys: absent, valid, invalid. */
    public static Arbitrary<String> keys() {
        return Arbitraries.of("k-1", "bad key", "", "键").injectNull(0.4);
    }

    /** Applies 1–8 random edits (flip, insert, delete, duplicate a slice) to some bytes. */
    public static Arbitrary<byte[]> mutate(byte[] original) {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(1, 40)).as((kind, pos, value, len) -> new int[]{kind, pos, value, len});
        return edit.list().ofMinSize(1).ofMaxSize(8).map(edits -> {
            byte[] b = original;
            for (int[] e : edits) b = apply(b, e[0], e[1], (byte) e[2], e[3]);
            return b;
        });
    }

    private static byte[] apply(byte[] b, int kind, int pos, byte value, int len) {
        if (b.length == 0) return new byte[]{value};
        int at = pos % b.length;
        var out = new java.io.ByteArrayOutputStream(b.length + len);
        switch (kind) {
            case 0 -> { // overwrite
                byte[] c = b.clone();
                c[at] = value;
                return c;
            }
            case 1 -> { // insert
                out.write(b, 0, at);
                out.write(value);
                out.write(b, at, b.length - at);
            }
            case 2 -> { // delete a slice
                int end = Math.min(b.length, at + len);
                out.write(b, 0, at);
                out.write(b, end, b.length - end);
            }
            default -> { // duplicate a slice
                int end = Math.min(b.length, at + len);
                out.write(b, 0, end);
                out.write(b, at, b.length - at);
            }
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

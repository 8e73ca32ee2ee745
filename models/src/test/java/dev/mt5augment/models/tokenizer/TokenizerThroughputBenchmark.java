package dev.mt5augment.models.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tokenizer throughput, run by hand (not a test). Encodes corpus lines (cycled to N texts) in one
 * batch call, in worker-sized batches, and one at a time, and decodes the result; prints JSON.
 *
 * <pre>
 * ./mvnw -q -B -o -pl models -am package -DskipTests
 * java -cp models/target/test-classes:models/target/classes:$(cat models/target/runtime.classpath) \
 *     dev.mt5augment.models.tokenizer.TokenizerThroughputBenchmark ../shared/fixtures/tiny-mt5 10000
 * </pre>
 * Arguments: model folder (default the tiny-mt5 fixture), number of texts (default 10,000),
 * text file with one text per line (default the folder's corpus.txt).
 */
public final class TokenizerThroughputBenchmark {

    private static final int ROUNDS = 5;
    private static final int WORKER_BATCH = 256;

    private TokenizerThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/tiny-mt5");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path corpus = args.length > 2 ? Path.of(args[2]) : dir.resolve("corpus.txt");
        List<String> lines = Files.readAllLines(corpus, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) texts.add(lines.get(i % lines.size()));
        long chars = texts.stream().mapToLong(String::length).sum();

        try (HuggingFaceTextTokenizer tokenizer = Tokenizers.load(dir)) {
            List<int[]> encoded = tokenizer.encode(texts); // warm-up
            long tokens = encoded.stream().mapToLong(ids -> ids.length).sum();
            double batch = best(() -> tokenizer.encode(texts));
            double chunked = best(() -> {
                for (int from = 0; from < n; from += WORKER_BATCH) tokenizer.encode(texts.subList(from, Math.min(n, from + WORKER_BATCH)));
            });
            double single = best(() -> {
                for (String t : texts) tokenizer.encode(t);
            });
            double decode = best(() -> {
                for (int[] ids : encoded) tokenizer.decode(ids);
            });
            System.out.printf(
                    "{\"tokenizer\":\"%s\",\"pieces\":%d,\"texts\":%d,\"chars\":%d,\"tokens\":%d,\"cpus\":%d,"
                            + "\"batch_encode_texts_per_s\":%.0f,\"batch_encode_tokens_per_s\":%.0f,"
                            + "\"batch%d_encode_texts_per_s\":%.0f,\"single_encode_texts_per_s\":%.0f,"
                            + "\"decode_texts_per_s\":%.0f}%n",
                    tokenizer.source().replace("\\", "/"), tokenizer.pieceCount(), n, chars, tokens,
                    Runtime.getRuntime().availableProcessors(),
                    n / batch, tokens / batch, WORKER_BATCH, n / chunked, n / single, n / decode);
        }
    }

    /** Best wall time in seconds over {@link #ROUNDS} runs. */
    private static double best(Runnable work) {
        double[] seconds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            work.run();
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        return Arrays.stream(seconds).min().orElseThrow();
    }
}

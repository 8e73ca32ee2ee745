package dev.mt5augment.client.run;

import dev.mt5augment.client.AugmentClient;
import dev.mt5augment.client.cli.Arguments;
import dev.mt5augment.client.cli.Console;
import dev.mt5augment.client.cli.ExitStatus;
import dev.mt5augment.client.cli.UsageException;
import dev.mt5augment.client.cli.Verb;
import dev.mt5augment.contracts.codec.RequestDecoder;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.messaging.Topics;
import dev.mt5augment.contracts.request.RequestLimits;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code augment run --in FILE --out FILE [OPTIONS]}: augments every text of a .txt, .csv, .tsv or
 * .jsonl file through the workers and writes .jsonl, .csv or .tsv rows (see {@link OutputLayout}),
 * with a progress line on standard error. A rerun with the same output skips the inputs it already
 * answers; inputs that fail go to {@code OUT.errors.jsonl}. Exit status 0 when every input is
 * answered, 1 when some failed, 2 on usage errors (bad flags, unreadable input, Kafka unreachable).
 * The options are listed in the README ("Producers").
 */
public final class RunCommand implements Verb {

    static final int DEFAULT_TEXTS_PER_REQUEST = 16;
    static final int DEFAULT_IN_FLIGHT = 8;
    static final long DEFAULT_TIMEOUT_MS = 120_000;
    static final int DEFAULT_RETRIES = 2;

    @Override
    public String synopsis() {
        return "run --in FILE --out FILE [--column text] [--split] [--task T] [--num-return-sequences N] ...\n"
                + "      augment a .txt/.csv/.tsv/.jsonl file through the workers into .jsonl/.csv/.tsv rows "
                + "(resumable; options: README, \"Producers\")";
    }

    @Override
    public Set<String> flags() {
        return Set.of("split", "dedupe", "no-dedupe", "exclude-original", "one-row-per-input");
    }

    @Override
    public int run(Arguments args, Console console) throws IOException {
        Path in = Path.of(required(args, "in"));
        Path outPath = Path.of(required(args, "out"));
        InputFormat inFormat = InputFormat.of(in);
        OutputFormat outFormat = OutputFormat.of(outPath);
        String column = args.string("column", "text");
        boolean split = args.flag("split");
        boolean noDedupe = args.flag("no-dedupe");
        if (noDedupe && args.flag("dedupe")) throw new UsageException("--dedupe and --no-dedupe contradict each other");
        OutputLayout layout = new OutputLayout(outFormat, args.flag("one-row-per-input"), args.flag("exclude-original"), column);
        int textsPerRequest = bounded(args.integer("texts-per-request", DEFAULT_TEXTS_PER_REQUEST), 1,
                RequestLimits.MAX_TEXTS, "texts-per-request");
        int inFlight = bounded(args.integer("in-flight", DEFAULT_IN_FLIGHT), 1, 10_000, "in-flight");
        int retries = bounded(args.integer("retries", DEFAULT_RETRIES), 0, 100, "retries");
        long timeoutMs = args.longValue("timeout-ms", DEFAULT_TIMEOUT_MS);
        if (timeoutMs < 1) throw new UsageException("--timeout-ms must be positive");
        int maxRecordBytes = bounded(args.integer("max-record-bytes", RequestDecoder.DEFAULT_MAX_RECORD_BYTES), 64,
                64 << 20, "max-record-bytes");
        RequestParameters parameters = parameters(args, !noDedupe, timeoutMs);
        String bootstrap = args.string("bootstrap-servers", defaultBootstrap());
        String requestTopic = args.string("request-topic", Topics.REQUESTS);
        String replyTopic = args.string("reply-topic", Topics.RESULTS);
        long startTimeoutMs = args.longValue("start-timeout-ms", 30_000);
        if (startTimeoutMs < 1) throw new UsageException("--start-timeout-ms must be positive");
        Map<String, String> kafka = args.withPrefix("kafka.");
        String progressMode = args.string("progress", "auto");
        args.rejectUnused();

        ContractError invalid = parameters.checkParameters();
        if (invalid != null) {
            throw new UsageException("invalid request parameters: " + invalid.code() + ": " + invalid.message());
        }
        if (!Files.isRegularFile(in) || !Files.isReadable(in)) throw new UsageException("cannot read --in " + in);
        if (Files.exists(outPath) && Files.isSameFile(in, outPath)) throw new UsageException("--in and --out are the same file");
        ProgressListener progress = progress(progressMode, console);
        long total = progress == ProgressListener.NONE ? -1 : countLines(in, inFormat, maxRecordBytes);

        try (OutputFile out = OutputFile.open(outPath, layout, maxRecordBytes);
             InputReader reader = InputReader.open(Files.newInputStream(in), inFormat, column, OutputLayout.RESERVED, maxRecordBytes)) {
            List<String> existing = out.existingHeader();
            if (existing != null && !reader.header().isEmpty()) {
                List<String> expected = existing.subList(0, existing.size() - layout.addedColumns().size());
                if (!expected.equals(reader.header())) {
                    throw new UsageException(outPath + " has the input columns " + expected + ", but " + in
                            + " has " + reader.header() + "; use another --out");
                }
            }
            if (out.answered().size() > 0) {
                console.err().println("resuming: " + out.answered().size() + " texts of " + outPath + " are already answered");
            }
            AugmentClient client;
            try {
                client = AugmentClient.builder().bootstrapServers(bootstrap).kafka(Map.copyOf(kafka))
                        .requestTopic(requestTopic).replyTopic(replyTopic)
                        .timeout(Duration.ofMillis(timeoutMs)).maxInFlight(inFlight)
                        .maxBlock(Duration.ofMillis(timeoutMs))
                        .startTimeout(Duration.ofMillis(startTimeoutMs)).build();
            } catch (IllegalStateException | IllegalArgumentException | org.apache.kafka.common.KafkaException e) {
                throw new UsageException("cannot reach the workers through Kafka at " + bootstrap + ": " + e.getMessage());
            }
            JobSummary summary;
            try (client; ErrorLog errors = new ErrorLog(ErrorLog.pathFor(outPath))) {
                BulkJob job = new BulkJob(new BulkJob.Settings(textsPerRequest, inFlight, retries, split), parameters,
                        client::submit, RowWriter.of(layout, existing), out, errors, progress, total);
                summary = job.run(reader);
                console.err().println(summary.describe());
                if (!summary.succeeded()) {
                    console.err().println("errors: " + errors.path() + " (a rerun with the same --out retries them)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return summary.succeeded() ? ExitStatus.OK : ExitStatus.INVALID;
        }
    }

    static RequestParameters parameters(Arguments args, boolean dedupe, long timeoutMs) {
        String labels = args.string("labels", null);
        Long deadline = args.optionalLong("deadline-ms");
        // Unless told otherwise, a worker need not answer a request nobody waits for any more.
        if (deadline == null) deadline = Math.min(timeoutMs, RequestLimits.DEADLINE_MS.max());
        return new RequestParameters(args.string("task", null),
                labels == null ? null : Arrays.stream(labels.split(",", -1)).toList(),
                args.string("decoding", null), args.optionalLong("num-return-sequences"), args.optionalLong("num-beams"),
                args.decimal("temperature"), args.decimal("top-p"), args.optionalLong("top-k"),
                args.optionalLong("max-length"), args.optionalLong("min-length"), args.decimal("repetition-penalty"),
                args.optionalLong("no-repeat-ngram-size"), dedupe, args.optionalLong("seed"), deadline);
    }

    private static ProgressListener progress(String mode, Console console) {
        return switch (mode) {
            case "none" -> ProgressListener.NONE;
            case "bar" -> new ProgressBar(console.err(), true);
            case "lines" -> new ProgressBar(console.err(), false);
            // Redraw in place only on a terminal, and only as the real command (a test's console is not one).
            case "auto" -> new ProgressBar(console.err(), System.console() != null && console.in() == System.in);
            default -> throw new UsageException("--progress is auto, bar, lines or none, got '" + mode + "'");
        };
    }

    /** Non-blank lines (records for CSV/TSV, header excluded): a cheap first pass for the progress total. */
    static long countLines(Path in, InputFormat format, int maxRecordBytes) throws IOException {
        try (InputStream s = Files.newInputStream(in)) {
            long n = new RecordSplitter(s, format.delimited(), maxRecordBytes).countRemaining();
            return format.delimited() ? Math.max(0, n - 1) : n;
        }
    }

    private static String defaultBootstrap() {
        String env = System.getenv("MT5_BOOTSTRAP_SERVERS");
        return env == null || env.isBlank() ? "localhost:9092" : env;
    }

    private static String required(Arguments args, String key) {
        String v = args.string(key, null);
        if (v == null || v.isBlank()) throw new UsageException("--" + key + " FILE is required");
        return v;
    }

    private static int bounded(int v, int min, int max, String name) {
        if (v < min || v > max) throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got " + v);
        return v;
    }
}

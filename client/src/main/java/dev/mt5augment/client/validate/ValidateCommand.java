package dev.mt5augment.client.validate;

import dev.mt5augment.client.cli.Arguments;
import dev.mt5augment.client.cli.Console;
import dev.mt5augment.client.cli.ExitStatus;
import dev.mt5augment.client.cli.UsageException;
import dev.mt5augment.client.cli.Verb;
import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.RequestDecoder;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.request.AugmentRequest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code augment validate [--key KEY] [--max-record-bytes N] FILE|-}: checks a JSON-lines file of
 * requests with the same decoder the workers use, so producers in any language can test payloads
 * before sending. Each non-blank line gets one output line (see {@link ValidationOutput}); a
 * summary goes to standard error. Exit status 0 when every request is valid, 1 otherwise.
 */
public final class ValidateCommand implements Verb {

    @Override
    public String synopsis() {
        return "validate [--key KEY] [--max-record-bytes N] FILE|-   check JSON-lines requests; "
                + "print each normalised, or its error";
    }

    @Override
    public int run(Arguments args, Console console) throws IOException {
        String file = args.single("FILE (or - for standard input)");
        // Lines are not Kafka records and have no key; --key validates them as if they had this one.
        String key = args.string("key", null);
        int maxBytes = args.integer("max-record-bytes", RequestDecoder.DEFAULT_MAX_RECORD_BYTES);
        args.rejectUnused();
        RequestDecoder decoder;
        try {
            decoder = RequestDecoder.builder().maxRecordBytes(maxBytes).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }

        int valid = 0;
        int invalid = 0;
        ValidationOutput output = new ValidationOutput(new BufferedOutputStream(console.out(), 1 << 16));
        try (InputStream in = open(file, console)) {
            JsonLines lines = new JsonLines(in, maxBytes);
            for (JsonLines.Line line = lines.next(); line != null; line = lines.next()) {
                if (line.blank()) continue;
                if (line.bytes() == null) {
                    invalid++;
                    output.invalid(line.number(), null, ContractError.of(ErrorCode.RECORD_TOO_LARGE,
                            "the line has " + line.length() + " bytes; at most " + maxBytes + " are accepted"));
                    continue;
                }
                DecodeOutcome<AugmentRequest> outcome = decoder.decode(line.bytes(), key);
                if (outcome instanceof DecodeOutcome.Decoded<AugmentRequest> ok) {
                    valid++;
                    output.valid(ok.value());
                } else {
                    DecodeOutcome.Rejected<AugmentRequest> rejected = (DecodeOutcome.Rejected<AugmentRequest>) outcome;
                    invalid++;
                    output.invalid(line.number(), rejected.idIfReadable(), rejected.error());
                }
            }
        } finally {
            output.flush();
        }
        console.err().println((valid + invalid) + " requests: " + valid + " valid, " + invalid + " invalid");
        return invalid == 0 ? ExitStatus.OK : ExitStatus.INVALID;
    }

    private static InputStream open(String file, Console console) throws IOException {
        if (file.equals("-")) return console.in();
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file, null, "no such file");
        }
    }
}

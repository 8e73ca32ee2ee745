package dev.mt5augment.models.checkpoint;

import dev.mt5augment.models.config.Mt5Config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that a checkpoint holds every tensor the engine reads for a config, each with the right
 * shape and a floating-point type. Extra tensors (a {@code .bin}'s {@code encoder.embed_tokens.weight}
 * aliases, a tied model's {@code lm_head.weight}) are allowed and ignored.
 */
public final class CheckpointValidator {

    /** At most this many problems are listed in one message. */
    private static final int MAX_LISTED = 10;

    private CheckpointValidator() {
    }

    /** @throws CheckpointException listing every missing or misshapen tensor, with its file */
    public static void validate(Checkpoint checkpoint, Mt5Config config) {
        List<String> problems = new ArrayList<>();
        for (Mt5WeightLayout.TensorSpec spec : new Mt5WeightLayout(config).tensors()) {
            if (!checkpoint.tensorNames().contains(spec.name())) {
                problems.add("tensor '" + spec.name() + "' " + Arrays.toString(spec.shape()) + " is missing"
                        + (spec.name().equals(Mt5WeightLayout.LM_HEAD) ? " (config says tie_word_embeddings=false)" : ""));
                continue;
            }
            TensorInfo info = checkpoint.info(spec.name());
            if (!Arrays.equals(info.shape(), spec.shape())) {
                problems.add(info.file().getFileName() + ": tensor '" + spec.name() + "' has shape " + info.shapeString()
                        + ", the config needs " + Arrays.toString(spec.shape()));
            } else if (!info.dtype().isFloatingPoint()) {
                problems.add(info.file().getFileName() + ": tensor '" + spec.name() + "' has dtype " + info.dtype()
                        + "; weights must be F32, F16, BF16 or F64");
            }
        }
        if (problems.isEmpty()) return;
        StringBuilder sb = new StringBuilder(checkpoint.source() + ": " + problems.size()
                + " tensor(s) do not fit the config: ");
        for (int i = 0; i < Math.min(MAX_LISTED, problems.size()); i++) sb.append(i == 0 ? "" : "; ").append(problems.get(i));
        if (problems.size() > MAX_LISTED) sb.append("; and ").append(problems.size() - MAX_LISTED).append(" more");
        throw new CheckpointException(sb.toString());
    }
}

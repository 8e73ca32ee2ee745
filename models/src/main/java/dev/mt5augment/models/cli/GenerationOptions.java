package dev.mt5augment.models.cli;

import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.runtime.ModelOptions;
import dev.mt5augment.models.runtime.Precision;
import dev.mt5augment.models.runtime.WeightStorage;

import java.util.Locale;

/**
 * The generation and placement options {@code generate} and {@code bench} share. Defaults are
 * transformers' except where a flag says otherwise: beam search uses 4 beams and early stopping
 * unless {@code --num-beams} / {@code --no-early-stopping} say otherwise.
 */
final class GenerationOptions {

    private GenerationOptions() {
    }

    static DecodingStrategy strategy(CommandLineArgs args, String fallback) {
        String s = args.string("strategy", fallback).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "greedy" -> DecodingStrategy.GREEDY;
            case "beam" -> DecodingStrategy.BEAM;
            case "sample" -> DecodingStrategy.SAMPLE;
            default -> throw new CommandLineArgs.UsageException("--strategy must be greedy, beam or sample, got '" + s + "'");
        };
    }

    /** Reads every generation flag; {@code IllegalArgumentException}s become usage errors. */
    static GenerationConfig config(CommandLineArgs args, DecodingStrategy strategy) {
        try {
            int beams = args.integer("num-beams", strategy == DecodingStrategy.BEAM ? 4 : 1);
            return GenerationConfig.builder()
                    .strategy(strategy)
                    .maxNewTokens(args.integer("max-new-tokens", 20))
                    .minNewTokens(args.integer("min-new-tokens", 0))
                    .numBeams(beams)
                    .numReturnSequences(args.integer("num-return-sequences", 1))
                    .lengthPenalty(args.floatValue("length-penalty", 1.0f))
                    .earlyStopping(!args.flag("no-early-stopping"))
                    .noRepeatNgramSize(args.integer("no-repeat-ngram-size", 0))
                    .repetitionPenalty(args.floatValue("repetition-penalty", 1.0f))
                    .temperature(args.floatValue("temperature", 1.0f))
                    .topK(args.integer("top-k", 50))
                    .topP(args.floatValue("top-p", 1.0f))
                    .seed(args.longValue("seed", 0L))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLineArgs.UsageException(e.getMessage());
        }
    }

    /**
     * {@code --device}, {@code --dtype}, {@code --threads}, {@code --max-input-tokens},
     * {@code --weights copy|map}, {@code --length-bucket}.
     */
    static ModelOptions model(CommandLineArgs args) {
        try {
            ModelOptions defaults = ModelOptions.defaults();
            return ModelOptions.builder()
                    .device(args.string("device", defaults.device()))
                    .precision(Precision.parse(args.string("dtype", "fp32")))
                    .threads(args.integer("threads", defaults.threads()))
                    .maxInputTokens(args.integer("max-input-tokens", defaults.maxInputTokens()))
                    .weights(WeightStorage.parse(args.string("weights", defaults.weights().name())))
                    .lengthBucket(args.integer("length-bucket", defaults.lengthBucket()))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLineArgs.UsageException(e.getMessage());
        }
    }
}

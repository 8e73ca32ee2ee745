package dev.mt5augment.models.config;

/** Named model shapes for random checkpoints and benchmarks. */
public enum ModelShape {
    /**
     * google/mt5-base, and the target damo/nlp_mt5_zero-shot-augment_chinese-base: 580M parameters,
     * vocabulary 250,112, gated-gelu, untied LM head.
     */
    MT5_BASE("mt5-base", new Mt5Config("mt5", 250112, 768, 64, 12, 2048, 12, 12, 32, 128, 1e-6,
            Activation.GELU_NEW, true, false, 0, 1, 0)),
    /** The shared tiny-mt5 fixture's shape (its tokenizer has 1400 pieces in 1408 rows). */
    TINY("tiny", new Mt5Config("mt5", 1408, 64, 16, 4, 128, 2, 2, 32, 128, 1e-6,
            Activation.GELU_NEW, true, false, 0, 1, 0));

    private final String cliName;
    private final Mt5Config config;

    ModelShape(String cliName, Mt5Config config) {
        this.cliName = cliName;
        this.config = config;
    }

    /** The name on the command line: {@code mt5-base}, {@code tiny}. */
    public String cliName() {
        return cliName;
    }

    public Mt5Config config() {
        return config;
    }

    /** @throws ConfigException naming the known shapes */
    public static ModelShape fromCliName(String name) {
        for (ModelShape s : values()) {
            if (s.cliName.equals(name)) return s;
        }
        StringBuilder known = new StringBuilder();
        for (ModelShape s : values()) known.append(known.length() == 0 ? "" : ", ").append(s.cliName);
        throw new ConfigException("unknown model shape '" + name + "' (known: " + known + ")");
    }
}

package dev.mt5augment.worker.observe;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Points logback at the configured log folder and level. Logback configures itself when the first
 * logger is created, before the worker has read its settings, so it is configured again here once
 * they are known.
 */
public final class LogSetup {
    public static final String DIR_PROPERTY = "mt5.log.dir";
    public static final String LEVEL_PROPERTY = "mt5.log.level";

    private LogSetup() {
    }

    public static void configure(Path logDir, String level) {
        System.setProperty(DIR_PROPERTY, logDir.toAbsolutePath().toString());
        System.setProperty(LEVEL_PROPERTY, level);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        URL config = LogSetup.class.getClassLoader().getResource("logback.xml");
        if (config == null) return;
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            System.err.println("logging configuration failed: " + e.getMessage());
        }
    }
}

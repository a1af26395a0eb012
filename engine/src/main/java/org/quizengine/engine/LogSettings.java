package org.quizengine.engine;

import java.util.List;
import java.util.Locale;

/**
 * The two logging variables config/logback.xml reads, checked before anything logs: logback cannot
 * say that they are wrong (a format it has no appender for logs nothing; a level it does not know
 * becomes DEBUG). Every main of the node's jar checks them first.
 */
final class LogSettings {
    /** Plain text lines (the default) or one JSON object per line. */
    static final String FORMAT = "QUIZ_LOG_FORMAT";
    static final String LEVEL = "QUIZ_LOG_LEVEL";
    private static final List<String> FORMATS = List.of("text", "json");
    private static final List<String> LEVELS = List.of("ALL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    private LogSettings() {
    }

    /** Ends the process with status 2 and a message on stderr if either variable holds a value logback would misread. */
    static void checkOrExit() {
        String format = System.getenv(FORMAT);
        String level = System.getenv(LEVEL);
        String problem = null;
        if (format != null && !FORMATS.contains(format)) {
            problem = FORMAT + " must be one of " + FORMATS + ", not '" + format + "'";
        } else if (level != null && !LEVELS.contains(level.toUpperCase(Locale.ROOT))) {
            problem = LEVEL + " must be one of " + LEVELS + ", not '" + level + "'";
        }
        if (problem != null) {
            System.err.println("Configuration error: " + problem);
            System.exit(2);
        }
    }
}

package org.quizengine.engine.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the node's configuration once: the defaults in {@code config/application.json} (shipped in
 * the jar, or a file named by {@code QUIZ_CONFIG}), each value overridable by an environment variable
 * named after its path: {@code match.questionMillis} is {@code QUIZ_MATCH_QUESTION_MILLIS}. A value
 * that does not fit its default's type stops the node with a message naming the variable.
 */
public final class ConfigLoader {
    public static final String CONFIG_FILE_VARIABLE = "QUIZ_CONFIG";
    private static final String DEFAULTS_RESOURCE = "/config/application.json";

    private ConfigLoader() {
    }

    /** The merged configuration for this environment. */
    public static JsonObject load(Map<String, String> env) {
        JsonObject config = readDefaults(env.get(CONFIG_FILE_VARIABLE));
        applyOverrides(config, "QUIZ", env);
        return config;
    }

    /** The environment variable that overrides {@code section.key}. */
    public static String variableFor(String section, String key) {
        return "QUIZ_" + snake(section) + "_" + snake(key);
    }

    private static JsonObject readDefaults(String file) {
        try {
            if (file != null && !file.isBlank()) {
                return new JsonObject(Files.readString(Path.of(file), StandardCharsets.UTF_8));
            }
            try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
                if (in == null) {
                    throw new ConfigException("the default configuration " + DEFAULTS_RESOURCE + " is missing from the jar");
                }
                return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | io.vertx.core.json.DecodeException e) {
            throw new ConfigException("cannot read the configuration" + (file != null ? " file " + file : "") + ": " + e.getMessage());
        }
    }

    private static void applyOverrides(JsonObject config, String prefix, Map<String, String> env) {
        for (String key : config.fieldNames()) {
            Object value = config.getValue(key);
            String variable = prefix + "_" + snake(key);
            if (value instanceof JsonObject nested) {
                applyOverrides(nested, variable, env);
                continue;
            }
            String override = env.get(variable);
            if (override != null) {
                config.put(key, parse(variable, override, value));
            }
        }
    }

    private static Object parse(String variable, String text, Object defaultValue) {
        String trimmed = text.trim();
        try {
            if (defaultValue instanceof Integer) {
                return Integer.parseInt(trimmed);
            }
            if (defaultValue instanceof Long) {
                return Long.parseLong(trimmed);
            }
            if (defaultValue instanceof Double || defaultValue instanceof Float) {
                return Double.parseDouble(trimmed);
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(variable + " must be a whole number, was '" + text + "'");
        }
        if (defaultValue instanceof Boolean) {
            if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
                throw new ConfigException(variable + " must be true or false, was '" + text + "'");
            }
            return Boolean.parseBoolean(trimmed);
        }
        return text;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}

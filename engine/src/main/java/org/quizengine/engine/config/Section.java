package org.quizengine.engine.config;

import io.vertx.core.json.JsonObject;

/** One section of the configuration, read with range checks whose messages name the variable to fix. */
public final class Section {
    private final String name;
    private final JsonObject values;

    public Section(JsonObject config, String name) {
        this.name = name;
        JsonObject section = config.getJsonObject(name);
        this.values = section == null ? new JsonObject() : section;
    }

    public int intIn(String key, int min, int max) {
        return (int) longIn(key, min, max);
    }

    public long longIn(String key, long min, long max) {
        Object value = values.getValue(key);
        if (!(value instanceof Number number)) {
            throw new ConfigException(describe(key) + " is missing or not a number");
        }
        long result = number.longValue();
        if (result < min || result > max) {
            throw new ConfigException(describe(key) + " must be between " + min + " and " + max + ", was " + result);
        }
        return result;
    }

    public boolean bool(String key) {
        Object value = values.getValue(key);
        if (!(value instanceof Boolean flag)) {
            throw new ConfigException(describe(key) + " must be true or false");
        }
        return flag;
    }

    /** A string value, or {@code null} when it is absent or blank. */
    public String optionalString(String key) {
        Object value = values.getValue(key);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    public String string(String key) {
        String value = optionalString(key);
        if (value == null) {
            throw new ConfigException(describe(key) + " must be set");
        }
        return value;
    }

    /** How to name a key in an error: its path and the environment variable that sets it. */
    public String describe(String key) {
        return name + "." + key + " (" + ConfigLoader.variableFor(name, key) + ")";
    }
}

package org.quizengine.shared;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON form of every typed message, used only at the edges: WebSocket frames, event-bus codecs
 * and stored payloads. Nulls are left out; unknown fields are ignored so older clients keep working.
 */
public final class Wire {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // "1" is not 1: a client sending the wrong type should hear so rather than be guessed at.
        .withCoercionConfigDefaults(config -> config.setAcceptBlankAsEmpty(false))
        .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // Bytes as the text's UTF-8: an emoji as its 4 bytes, not as two escaped surrogates.
        .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();

    /** The same mapping, with every non-ASCII character escaped: text Java stores one byte per character. */
    private static final com.fasterxml.jackson.databind.ObjectWriter ASCII_WRITER =
        MAPPER.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);

    private Wire() {
    }

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Encodes a value to JSON text; a value that cannot be encoded is a programming error. */
    public static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
        }
    }

    /**
     * Encodes a value to JSON text that is pure ASCII ({@code \u00e9} for é). Decodes to the same
     * value; for large texts written often (a replicated match), it keeps the string compact in
     * memory and cheap to turn into bytes, where a single curly quote would double both.
     */
    public static String encodeAscii(Object value) {
        try {
            return ASCII_WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
        }
    }

    /** Encodes a value to UTF-8 JSON bytes. */
    public static byte[] encodeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
        }
    }

    /** Decodes JSON text into {@code type}; malformed input is an {@link IllegalArgumentException}. */
    public static <T> T decode(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot decode " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Decodes UTF-8 JSON bytes into {@code type}. */
    public static <T> T decode(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}

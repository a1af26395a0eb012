package org.quizengine.engine.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.Wire;
import org.quizengine.shared.protocol.ClientMessage;

/** Turns a text frame into a {@link ClientMessage}, or a {@link QuizException} saying what is wrong with it. */
final class FrameParser {
    /**
     * Wire's mapping, except that a string field takes only a JSON string (1 and true are not "1"
     * and "true"), an empty string is no UUID (it is not an absent matchId either), and what follows
     * the object is checked by {@link #parseMapped}: a second value makes the frame no JSON, not a
     * frame of the wrong shape.
     */
    private static final ObjectReader READER = strictTypes();

    private FrameParser() {
    }

    private static ObjectReader strictTypes() {
        ObjectMapper mapper = Wire.mapper().copy();
        mapper.coercionConfigFor(LogicalType.Textual)
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(UUID.class).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper.readerFor(ClientMessage.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    static ClientMessage parse(String text) {
        ClientMessage answer = AnswerScanner.scan(text);
        return answer != null ? answer : parseMapped(text);
    }

    /** Any frame, by the full mapping: what {@link #parse} does with every frame the scanner leaves. */
    static ClientMessage parseMapped(String text) {
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            throw notJson();
        }
        if (trimmed.startsWith("[") || trimmed.startsWith("\"") || trimmed.startsWith("null")) {
            throw new QuizException(ErrorCode.INVALID_MESSAGE, "The frame must be a JSON object.");
        }
        ClientMessage message;
        try (JsonParser parser = READER.createParser(text)) {
            message = READER.readValue(parser);
            if (parser.nextToken() != null) {
                throw notJson(); // one JSON text holds one value
            }
        } catch (InvalidTypeIdException e) {
            String type = e.getTypeId();
            throw type == null
                ? new QuizException(ErrorCode.INVALID_MESSAGE, "The frame has no \"type\".")
                : new QuizException(ErrorCode.UNKNOWN_MESSAGE_TYPE, "Unknown message type '" + abbreviate(type) + "'.");
        } catch (ValueInstantiationException | MismatchedInputException e) {
            throw new QuizException(ErrorCode.INVALID_MESSAGE, "The frame does not fit its type: " + fieldOf(e) + ".");
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof InputCoercionException) {
                // Valid JSON, but a number too big for its field (2^63 for a long, 1e10 for an int).
                throw new QuizException(ErrorCode.INVALID_MESSAGE, "The frame does not fit its type: " + outOfRange(e) + ".");
            }
            throw notJson();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does no I/O
        }
        if (message == null) {
            throw new QuizException(ErrorCode.INVALID_MESSAGE, "The frame must be a JSON object.");
        }
        return message;
    }

    private static QuizException notJson() {
        return new QuizException(ErrorCode.MALFORMED_MESSAGE, "The frame is not valid JSON.");
    }

    private static String fieldOf(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName();
            if (field != null) {
                return "field '" + field + "' has the wrong type";
            }
        }
        return "it must be a JSON object with the documented fields";
    }

    private static String outOfRange(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            if (field != null) {
                return "field '" + field + "' is out of range";
            }
        }
        return "a number is out of range";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}

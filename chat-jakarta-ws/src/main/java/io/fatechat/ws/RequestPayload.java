package io.fatechat.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.fatechat.spi.InvalidInputException;

/**
 * The JSON object a client sent with an event, read field by field. Every accessor refuses a missing or
 * wrong-typed field with an {@link InvalidInputException} naming it, so bad payloads become
 * {@code invalid_input} errors, never exceptions escaping a handler.
 */
final class RequestPayload {

    private final JsonNode object;

    private RequestPayload(JsonNode object) {
        this.object = object;
    }

    /**
     * Wraps an event's payload.
     *
     * @throws InvalidInputException unless {@code payload} is a JSON object
     */
    static RequestPayload of(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new InvalidInputException("payload", "must be a JSON object, was " + describe(payload));
        }
        return new RequestPayload(payload);
    }

    /** Like {@link #of}, but an absent payload (a request sent with only an ack) reads as an empty object. */
    static RequestPayload ofOptional(JsonNode payload) {
        return payload == null || payload.isNull()
                ? new RequestPayload(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())
                : of(payload);
    }

    /** A string field that must be present and not empty. */
    String requiredString(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(field, "is required");
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(field, "must be a string, was " + describe(value));
        }
        String text = value.textValue();
        if (text.isEmpty()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        return text;
    }

    /** A string field that may be absent or null (then {@code null}). */
    String optionalString(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(field, "must be a string, was " + describe(value));
        }
        return value.textValue();
    }

    /** An integer field that must be present and at least 1. */
    int requiredPositiveInt(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(field, "is required");
        }
        return positiveInt(field, value);
    }

    /** An integer field that may be absent or null (then {@code otherwise}), else at least 1. */
    int optionalPositiveInt(String field, int otherwise) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? otherwise : positiveInt(field, value);
    }

    private static int positiveInt(String field, JsonNode value) {
        // JavaScript clients send 10.0 as 10; accept any integral number that fits an int.
        boolean integral = value.isIntegralNumber()
                || (value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue()));
        if (!value.isNumber() || !integral || !value.canConvertToInt()) {
            throw new InvalidInputException(field, "must be an integer, was " + describe(value));
        }
        int number = value.intValue();
        if (number < 1) {
            throw new InvalidInputException(field, "must be at least 1, was " + number);
        }
        return number;
    }

    /** A short description of a JSON value for error messages: its type, never its (possibly large) content. */
    private static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        if (value.isNumber()) {
            String text = value.asText();
            return text.length() <= 20 ? "the number " + text : "a number";
        }
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}

package org.quizengine.api.http;

/**
 * How long a text is, counted as {@code openapi.yaml}'s {@code maxLength} and {@code minLength}
 * count it (JSON Schema): in code points, so an emoji is one character, not two UTF-16 units.
 * Every length limit the document states is checked with this, so a value the schema lets through
 * is never refused by a handler for its length, nor the other way round.
 */
public final class TextLength {
    private TextLength() {
    }

    /** The number of characters (code points) in {@code text}. */
    public static int of(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Whether {@code text} has {@code min} to {@code max} characters (code points), both included. */
    public static boolean between(String text, int min, int max) {
        int length = of(text);
        return length >= min && length <= max;
    }
}

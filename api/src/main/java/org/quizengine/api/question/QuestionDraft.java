package org.quizengine.api.question;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.TextLength;

/**
 * A question as a moderator submits it (create, edit, one import row), already checked: every
 * field present and within bounds, text and options trimmed. Built only by {@link #check}, which
 * names every bad field at once, so a moderator fixes a form (or an import row) in one go.
 *
 * @param correctOption 0-based index into {@code options}
 */
public record QuestionDraft(String category, String difficulty, String text, List<String> options, int correctOption,
                           boolean active) {
    public static final Set<String> DIFFICULTIES = Set.of("easy", "medium", "hard");
    public static final int MIN_TEXT = 3;
    public static final int MAX_TEXT = 500;
    public static final int MIN_OPTIONS = QuestionBank.MIN_OPTIONS;
    public static final int MAX_OPTIONS = QuestionBank.MAX_OPTIONS;
    public static final int MAX_OPTION_LENGTH = 200;

    public QuestionDraft {
        options = List.copyOf(options);
    }

    /** What a create or import row may carry, before checking; a JSON value of the wrong type is kept as is. */
    record Input(Object category, Object difficulty, Object text, Object options, Object correctOption, Object active) {
        static Input of(JsonObject json) {
            return new Input(json.getValue("category"), json.getValue("difficulty"), json.getValue("text"),
                json.getValue("options"), json.getValue("correctOption"), json.getValue("active"));
        }

        /** {@code patch}'s fields where present, this input's elsewhere (JSON null counts as absent). */
        Input overlaidWith(JsonObject patch) {
            return new Input(pick(patch, "category", category), pick(patch, "difficulty", difficulty),
                pick(patch, "text", text), pick(patch, "options", options), pick(patch, "correctOption", correctOption),
                pick(patch, "active", active));
        }

        private static Object pick(JsonObject patch, String field, Object current) {
            Object value = patch.getValue(field);
            return value == null ? current : value;
        }
    }

    /** The checked draft, or the field errors that stop it (never both). */
    record Checked(QuestionDraft draft, List<FieldError> errors) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * Checks everything that needs no database: types, difficulty, text length, 2 to 6 distinct
     * non-blank options (compared trimmed and ignoring case), a correct index among them.
     * Whether the category exists and whether the text is new in it are the store's to say.
     */
    static Checked check(Input input) {
        List<FieldError> errors = new ArrayList<>();
        String category = string(input.category());
        if (category == null || category.isBlank()) {
            errors.add(new FieldError("category", "A category id is required."));
        } else if (hasControlCharacter(category, "")) {
            errors.add(new FieldError("category", "No such category."));
        }
        String difficulty = string(input.difficulty());
        if (difficulty == null || !DIFFICULTIES.contains(difficulty)) {
            errors.add(new FieldError("difficulty", "Must be one of easy, medium, hard."));
        }
        String text = string(input.text());
        text = text == null ? null : text.trim();
        if (text == null || !TextLength.between(text, MIN_TEXT, MAX_TEXT)) {
            errors.add(new FieldError("text", "Must be " + MIN_TEXT + " to " + MAX_TEXT + " characters."));
        } else if (hasControlCharacter(text, "\t\n\r")) {
            errors.add(new FieldError("text", "Must not contain control characters other than tabs and line breaks."));
        }
        List<String> options = options(input.options(), errors);
        Integer correct = input.correctOption() instanceof Integer index ? index : null;
        if (correct == null) {
            errors.add(new FieldError("correctOption", "A whole number, the 0-based index of the correct option, is required."));
        } else if (options != null && (correct < 0 || correct >= options.size())) {
            errors.add(new FieldError("correctOption", "Must be between 0 and " + (options.size() - 1) + "."));
        }
        Object active = input.active();
        if (active != null && !(active instanceof Boolean)) {
            errors.add(new FieldError("active", "Must be true or false."));
        }
        if (!errors.isEmpty()) {
            return new Checked(null, List.copyOf(errors));
        }
        return new Checked(new QuestionDraft(category.trim(), difficulty, text, options, correct,
            active == null || (Boolean) active), List.of());
    }

    private static List<String> options(Object value, List<FieldError> errors) {
        if (!(value instanceof JsonArray array) || array.size() < MIN_OPTIONS || array.size() > MAX_OPTIONS) {
            errors.add(new FieldError("options", "Must be a list of " + MIN_OPTIONS + " to " + MAX_OPTIONS + " options."));
            return null;
        }
        List<String> options = new ArrayList<>(array.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String option = array.getValue(i) instanceof String s ? s.trim() : null;
            if (option == null || !TextLength.between(option, 1, MAX_OPTION_LENGTH)) {
                errors.add(new FieldError("options[" + i + "]", "Must be text of 1 to " + MAX_OPTION_LENGTH + " characters."));
                return null;
            }
            if (hasControlCharacter(option, "")) {
                errors.add(new FieldError("options[" + i + "]", "Must not contain control characters."));
                return null;
            }
            if (!seen.add(option.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError("options[" + i + "]", "Repeats an earlier option."));
                return null;
            }
            options.add(option);
        }
        return options;
    }

    /**
     * Whether {@code text} holds a control character other than those in {@code allowed}: they have
     * no place in a question, and PostgreSQL cannot even store a U+0000.
     */
    static boolean hasControlCharacter(String text, String allowed) {
        return text.chars().anyMatch(c -> Character.isISOControl(c) && allowed.indexOf(c) < 0);
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }
}

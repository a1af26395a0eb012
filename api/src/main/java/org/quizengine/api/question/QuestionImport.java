package org.quizengine.api.question;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.ValidationException;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * A batch of questions to import, from JSON (an array of objects shaped like a create request) or
 * CSV (a header row naming the columns, then one question per record). Every row is checked, and
 * checked against the bank and the rest of the batch, before anything is written: a batch with
 * any bad row imports nothing and reports every bad row, numbered as its author counts them
 * (JSON: 1 for the first element; CSV: the line the record starts on, the header being line 1).
 *
 * <p>CSV columns: {@code category,difficulty,text,option1,option2[,option3..option6],correct}, in
 * any order; {@code correct} is the number (1 to 6) of the option column that is right, and empty
 * option columns may only come after the filled ones. UTF-8 text.
 */
final class QuestionImport {
    static final List<String> CSV_COLUMNS = List.of("category", "difficulty", "text",
        "option1", "option2", "option3", "option4", "option5", "option6", "correct");
    static final Set<String> CSV_REQUIRED = Set.of("category", "difficulty", "text", "option1", "option2", "correct");

    /** One problem with one row of the batch. */
    record RowError(int row, String field, String message) {
    }

    /** A row and its author's number for it; {@code csv} says which field names to report. */
    private record Row(int number, QuestionDraft.Input input, boolean csv) {
    }

    /** The drafts to insert, in batch order, or every error that stops the batch. */
    record Checked(List<QuestionDraft> drafts, List<RowError> errors) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<RowError> errors = new ArrayList<>();

    private QuestionImport() {
    }

    /** Reads a JSON array body; a body that is not a JSON array at all is MALFORMED_MESSAGE. */
    static QuestionImport fromJson(Buffer body) {
        Object value;
        try {
            value = Json.decodeValue(body);
        } catch (DecodeException e) {
            throw new QuizException(ErrorCode.MALFORMED_MESSAGE, "The request body is not valid JSON.");
        }
        if (!(value instanceof JsonArray array)) {
            throw new QuizException(ErrorCode.MALFORMED_MESSAGE, "The request body must be a JSON array of questions.");
        }
        QuestionImport batch = new QuestionImport();
        for (int i = 0; i < array.size(); i++) {
            if (array.getValue(i) instanceof JsonObject object) {
                batch.rows.add(new Row(i + 1, QuestionDraft.Input.of(object), false));
            } else {
                batch.errors.add(new RowError(i + 1, "row", "Must be a JSON object."));
            }
        }
        return batch.requireRows();
    }

    /** Reads a UTF-8 CSV body with a header row. */
    static QuestionImport fromCsv(Buffer body) {
        QuestionImport batch = new QuestionImport();
        List<CsvRecords.Line> lines;
        try {
            lines = CsvRecords.parse(utf8(body));
        } catch (CsvRecords.SyntaxException e) {
            batch.errors.add(new RowError(e.line, "csv", e.getMessage()));
            return batch;
        }
        if (lines.isEmpty()) {
            return batch.requireRows();
        }
        CsvRecords.Line header = lines.get(0);
        Map<String, Integer> columns = batch.readHeader(header);
        if (columns == null) {
            return batch;
        }
        for (CsvRecords.Line line : lines.subList(1, lines.size())) {
            if (line.fields().size() != header.fields().size()) {
                batch.errors.add(new RowError(line.number(), "row", "Has " + line.fields().size()
                    + " fields; the header has " + header.fields().size() + "."));
                continue;
            }
            batch.readCsvRow(line, columns);
        }
        return batch.requireRows();
    }

    /**
     * Checks every row, then what needs the bank: that each category exists and that no text is
     * already in its category or repeated within the batch.
     */
    Future<Checked> check(QuestionModerationStore store) {
        List<RowError> all = new ArrayList<>(errors);
        List<Row> good = new ArrayList<>();
        List<QuestionDraft> drafts = new ArrayList<>();
        Map<String, Integer> firstRowOfText = new HashMap<>();
        for (Row row : rows) {
            QuestionDraft.Checked checked = QuestionDraft.check(row.input());
            if (!checked.valid()) {
                checked.errors().forEach(error -> all.add(rowError(row, error)));
                continue;
            }
            QuestionDraft draft = checked.draft();
            Integer earlier = firstRowOfText.putIfAbsent(QuestionModerationStore.key(draft.category(), draft.text()),
                row.number());
            if (earlier != null) {
                all.add(new RowError(row.number(), "text", "Repeats the question of row " + earlier + "."));
                continue;
            }
            good.add(row);
            drafts.add(draft);
        }
        if (drafts.isEmpty()) {
            return Future.succeededFuture(result(drafts, all));
        }
        Set<String> categories = new LinkedHashSet<>();
        drafts.forEach(draft -> categories.add(draft.category()));
        return store.existingCategories(categories).compose(known -> store.existingTexts(drafts).map(taken -> {
            for (int i = 0; i < drafts.size(); i++) {
                QuestionDraft draft = drafts.get(i);
                int number = good.get(i).number();
                if (!known.contains(draft.category())) {
                    all.add(new RowError(number, "category", "No such category."));
                } else if (taken.contains(QuestionModerationStore.key(draft.category(), draft.text()))) {
                    all.add(new RowError(number, "text", "This question is already in the bank in this category."));
                }
            }
            return result(drafts, all);
        }));
    }

    private static Checked result(List<QuestionDraft> drafts, List<RowError> errors) {
        if (errors.isEmpty()) {
            return new Checked(List.copyOf(drafts), List.of());
        }
        List<RowError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(RowError::row));
        return new Checked(List.of(), sorted);
    }

    private QuestionImport requireRows() {
        if (rows.isEmpty() && errors.isEmpty()) {
            throw new ValidationException(List.of(new FieldError("questions", "The batch holds no questions.")));
        }
        return this;
    }

    /** Column name to position, or null (with errors noted) when the header is not usable. */
    private Map<String, Integer> readHeader(CsvRecords.Line header) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).trim().toLowerCase(Locale.ROOT);
            if (!CSV_COLUMNS.contains(name)) {
                errors.add(new RowError(header.number(), "header", "Unknown column '" + header.fields().get(i)
                    + "'; the columns are " + String.join(",", CSV_COLUMNS) + "."));
            } else if (columns.putIfAbsent(name, i) != null) {
                errors.add(new RowError(header.number(), "header", "Column '" + name + "' appears twice."));
            }
        }
        for (String required : CSV_COLUMNS) {
            if (CSV_REQUIRED.contains(required) && !columns.containsKey(required)) {
                errors.add(new RowError(header.number(), "header", "Column '" + required + "' is missing."));
            }
        }
        return errors.isEmpty() ? columns : null;
    }

    private void readCsvRow(CsvRecords.Line line, Map<String, Integer> columns) {
        List<String> fields = line.fields();
        JsonArray options = new JsonArray();
        int firstGap = 0;
        for (int n = 1; n <= QuestionDraft.MAX_OPTIONS; n++) {
            Integer column = columns.get("option" + n);
            String option = column == null ? "" : fields.get(column);
            if (option.isBlank()) {
                firstGap = firstGap == 0 ? n : firstGap;
            } else if (firstGap != 0) {
                errors.add(new RowError(line.number(), "option" + firstGap,
                    "Is empty, but option" + n + " is not: fill the option columns from option1 on."));
                return;
            } else {
                options.add(option);
            }
        }
        String correctText = fields.get(columns.get("correct")).trim();
        Object correct;
        try {
            correct = Integer.parseInt(correctText) - 1;
        } catch (NumberFormatException e) {
            correct = correctText; // not a number: the check reports it
        }
        rows.add(new Row(line.number(), new QuestionDraft.Input(fields.get(columns.get("category")).trim(),
            fields.get(columns.get("difficulty")).trim(), fields.get(columns.get("text")), options, correct, null), true));
    }

    /** A draft's field error as the row's author knows the field: CSV rows have option1..6 and a 1-based correct. */
    private static RowError rowError(Row row, FieldError error) {
        if (!row.csv()) {
            return new RowError(row.number(), error.field(), error.message());
        }
        String field = error.field();
        if (field.equals("correctOption")) {
            int options = row.input().options() instanceof JsonArray array ? array.size() : QuestionDraft.MAX_OPTIONS;
            return new RowError(row.number(), "correct", "Must be the number of the right option, 1 to "
                + Math.max(options, 1) + ".");
        }
        if (field.startsWith("options[")) {
            int index = Integer.parseInt(field.substring("options[".length(), field.length() - 1));
            return new RowError(row.number(), "option" + (index + 1), error.message());
        }
        if (field.equals("options")) {
            return new RowError(row.number(), "option1", "Fill " + QuestionDraft.MIN_OPTIONS + " to "
                + QuestionDraft.MAX_OPTIONS + " option columns.");
        }
        return new RowError(row.number(), field, error.message());
    }

    private static String utf8(Buffer body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(body.getBytes()))
                .toString();
        } catch (CharacterCodingException e) {
            throw new QuizException(ErrorCode.MALFORMED_MESSAGE, "The CSV body is not valid UTF-8 text.");
        }
    }
}

package org.quizengine.api.question;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.Role;
import org.quizengine.api.http.ApiRouter;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.JsonBodies;
import org.quizengine.api.http.Problems;
import org.quizengine.api.http.Responses;
import org.quizengine.api.http.TextLength;
import org.quizengine.api.http.ValidationException;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Question and category moderation over REST, for moderators and admins only (a user gets 403):
 * list, read, create, edit (optimistic: the edit names the version it is based on), deactivate and
 * reactivate questions; import a batch of questions from JSON or CSV; create, rename and
 * (de)activate categories. Every write tells the matchmaker to reload ({@link QuestionBankChanges}),
 * so new matches see it; live matches keep the questions they started with.
 * Described in {@code openapi/questions.yaml}.
 */
public final class ModerationRoutes {
    public static final String IMPORT_PATH = "/questions/import";
    /** Imports may be far larger than other requests; everything else keeps the API's default limit. */
    public static final long IMPORT_BODY_LIMIT_BYTES = 1024 * 1024;
    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;
    public static final int MAX_SEARCH = 100;
    public static final int MAX_CATEGORY_NAME = 60;
    static final Pattern CATEGORY_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    static final int MIN_CATEGORY_ID = 2;
    static final int MAX_CATEGORY_ID = 32;

    private static final Set<String> QUESTION_FIELDS = Set.of("category", "difficulty", "text", "options",
        "correctOption", "active");
    private static final Set<String> EDIT_FIELDS = Set.of("category", "difficulty", "text", "options",
        "correctOption", "active", "version");
    private static final Set<String> CATEGORY_FIELDS = Set.of("id", "name");
    private static final Set<String> CATEGORY_EDIT_FIELDS = Set.of("name", "active");

    private final QuestionModerationStore store;
    private final QuestionBankChanges changes;

    public ModerationRoutes(QuestionModerationStore store, QuestionBankChanges changes) {
        this.store = Objects.requireNonNull(store, "store");
        this.changes = Objects.requireNonNull(changes, "changes");
    }

    /** Adds the routes behind the token of {@code api}, and the import's own body limit. */
    public void mount(ApiRouter api) {
        api.withBodyLimit(IMPORT_PATH, IMPORT_BODY_LIMIT_BYTES);
        Router router = api.protectedRouter();
        router.route("/questions").handler(Authentication.requireRole(Role.MODERATOR));
        router.route("/questions/*").handler(Authentication.requireRole(Role.MODERATOR));
        router.post("/categories").handler(Authentication.requireRole(Role.MODERATOR));
        router.route("/categories/*").handler(Authentication.requireRole(Role.MODERATOR));

        router.get("/questions").handler(this::list);
        router.post("/questions").handler(this::create);
        router.post(IMPORT_PATH).handler(this::importBatch);
        router.get("/questions/:id").handler(this::read);
        router.patch("/questions/:id").handler(this::edit);
        router.post("/questions/:id/activate").handler(ctx -> setActive(ctx, true));
        router.post("/questions/:id/deactivate").handler(ctx -> setActive(ctx, false));
        router.post("/categories").handler(this::createCategory);
        router.patch("/categories/:id").handler(this::editCategory);
    }

    private void list(RoutingContext ctx) {
        List<FieldError> errors = new ArrayList<>();
        String category = param(ctx, "category");
        if (category != null && !isCategoryId(category)) {
            errors.add(new FieldError("category", "Must be a category id (lower-case letters, digits and dashes)."));
        }
        String active = param(ctx, "active");
        if (active != null && !active.equals("true") && !active.equals("false")) {
            errors.add(new FieldError("active", "Must be true or false."));
        }
        String difficulty = param(ctx, "difficulty");
        if (difficulty != null && !QuestionDraft.DIFFICULTIES.contains(difficulty)) {
            errors.add(new FieldError("difficulty", "Must be one of easy, medium, hard."));
        }
        String search = param(ctx, "q");
        if (search != null && TextLength.of(search) > MAX_SEARCH) {
            errors.add(new FieldError("q", "Must be at most " + MAX_SEARCH + " characters."));
        } else if (search != null && QuestionDraft.hasControlCharacter(search, "\t\n\r")) {
            // No question holds one, and PostgreSQL cannot even compare a U+0000.
            errors.add(new FieldError("q", "Must not contain control characters other than tabs and line breaks."));
        }
        Long after = longParam(ctx, "after", 0, Long.MAX_VALUE, errors);
        Long limit = longParam(ctx, "limit", 1, MAX_PAGE, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        QuestionFilter filter = new QuestionFilter(category, active == null ? null : Boolean.valueOf(active), difficulty,
            search, after, limit == null ? DEFAULT_PAGE : limit.intValue());
        store.list(filter).onSuccess(page -> Responses.json(ctx, 200, page)).onFailure(ctx::fail);
    }

    private void read(RoutingContext ctx) {
        long id = questionId(ctx);
        store.find(id)
            .map(found -> found.orElseThrow(() -> new QuizException(ErrorCode.NOT_FOUND, "No question " + id + ".")))
            .onSuccess(question -> Responses.json(ctx, 200, question))
            .onFailure(ctx::fail);
    }

    private void create(RoutingContext ctx) {
        JsonObject body = JsonBodies.requireObject(ctx);
        requireKnownFields(body, QUESTION_FIELDS);
        QuestionDraft draft = valid(QuestionDraft.check(QuestionDraft.Input.of(body)));
        store.create(draft)
            .compose(created -> changes.announce("question " + created.id() + " created").map(created))
            .onSuccess(created -> {
                ctx.response().putHeader(HttpHeaders.LOCATION, ApiRouter.API_PREFIX + "/questions/" + created.id());
                Responses.json(ctx, 201, created);
            })
            .onFailure(ctx::fail);
    }

    /** PATCH: the fields given replace the question's, the rest stay; {@code version} is required. */
    private void edit(RoutingContext ctx) {
        long id = questionId(ctx);
        JsonObject body = JsonBodies.requireObject(ctx);
        requireKnownFields(body, EDIT_FIELDS);
        if (!(body.getValue("version") instanceof Integer version)) {
            throw new ValidationException(List.of(new FieldError("version",
                "The version of the question this edit is based on is required (a whole number).")));
        }
        store.find(id)
            .map(found -> found.orElseThrow(() -> new QuizException(ErrorCode.NOT_FOUND, "No question " + id + ".")))
            .map(current -> valid(QuestionDraft.check(inputOf(current).overlaidWith(body))))
            .compose(draft -> store.update(id, version, draft))
            .compose(updated -> changes.announce("question " + id + " edited").map(updated))
            .onSuccess(updated -> Responses.json(ctx, 200, updated))
            .onFailure(ctx::fail);
    }

    private void setActive(RoutingContext ctx, boolean active) {
        long id = questionId(ctx);
        store.setActive(id, active)
            .compose(question -> changes.announce("question " + id + (active ? " activated" : " deactivated"))
                .map(question))
            .onSuccess(question -> Responses.json(ctx, 200, question))
            .onFailure(ctx::fail);
    }

    /**
     * {@code application/json} (an array of question objects) or {@code text/csv}; {@code ?dryRun=true}
     * checks only. All rows valid: all inserted in one transaction (201, their ids in batch order).
     * Any row invalid: nothing inserted, 422 with every row's errors.
     */
    private void importBatch(RoutingContext ctx) {
        String dryRunParam = param(ctx, "dryRun");
        if (dryRunParam != null && !dryRunParam.equals("true") && !dryRunParam.equals("false")) {
            throw new ValidationException(List.of(new FieldError("dryRun", "Must be true or false.")));
        }
        boolean dryRun = "true".equals(dryRunParam);
        QuestionImport batch = switch (JsonBodies.mediaType(ctx)) {
            case "application/json" -> QuestionImport.fromJson(body(ctx));
            case "text/csv" -> QuestionImport.fromCsv(body(ctx));
            default -> throw new QuizException(ErrorCode.MALFORMED_MESSAGE,
                "An import is sent as application/json (an array of questions) or text/csv (UTF-8, with a header row).");
        };
        batch.check(store).compose(checked -> {
            if (!checked.valid()) {
                return Future.succeededFuture(checked);
            }
            if (dryRun) {
                Responses.json(ctx, 200, new ImportChecked(true, checked.drafts().size()));
                return Future.succeededFuture(checked);
            }
            return store.insertAll(checked.drafts())
                .compose(ids -> changes.announce(ids.size() + " questions imported").map(ids))
                .map(ids -> {
                    Responses.json(ctx, 201, new ImportCreated(ids.size(), ids));
                    return checked;
                });
        }).onSuccess(checked -> {
            if (!checked.valid()) {
                rejectRows(ctx, checked.errors());
            }
        }).onFailure(ctx::fail);
    }

    private static Buffer body(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        return body == null ? Buffer.buffer() : body;
    }

    /** The answer to a dry run whose rows are all valid. */
    public record ImportChecked(boolean dryRun, int valid) {
    }

    /** The answer to an import: how many questions were created, and their ids in batch order. */
    public record ImportCreated(int created, List<Long> ids) {
    }

    private static void rejectRows(RoutingContext ctx, List<QuestionImport.RowError> errors) {
        JsonArray list = new JsonArray();
        errors.forEach(error -> list.add(new JsonObject().put("row", error.row()).put("field", error.field())
            .put("message", error.message())));
        long rows = errors.stream().mapToInt(QuestionImport.RowError::row).distinct().count();
        Problems.send(ctx, ErrorCode.VALIDATION_FAILED, rows + (rows == 1 ? " row has" : " rows have")
            + " errors; nothing was imported.", new JsonObject().put("errors", list));
    }

    private void createCategory(RoutingContext ctx) {
        JsonObject body = JsonBodies.requireObject(ctx);
        requireKnownFields(body, CATEGORY_FIELDS);
        List<FieldError> errors = new ArrayList<>();
        String id = body.getValue("id") instanceof String s ? s : null;
        if (id == null || !isCategoryId(id)) {
            errors.add(new FieldError("id", "Must be " + MIN_CATEGORY_ID + " to " + MAX_CATEGORY_ID
                + " lower-case letters, digits and single dashes, not 'any'."));
        }
        String name = categoryName(body.getValue("name"), errors);
        if (name == null && errors.isEmpty()) {
            errors.add(new FieldError("name", "A name is required."));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        store.createCategory(id, name)
            .compose(created -> changes.announce("category " + id + " created").map(created))
            .onSuccess(created -> {
                ctx.response().putHeader(HttpHeaders.LOCATION, ApiRouter.API_PREFIX + "/categories/" + id);
                Responses.json(ctx, 201, created);
            })
            .onFailure(ctx::fail);
    }

    private void editCategory(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        JsonObject body = JsonBodies.requireObject(ctx);
        requireKnownFields(body, CATEGORY_EDIT_FIELDS);
        List<FieldError> errors = new ArrayList<>();
        String name = categoryName(body.getValue("name"), errors);
        Object active = body.getValue("active");
        if (active != null && !(active instanceof Boolean)) {
            errors.add(new FieldError("active", "Must be true or false."));
        }
        if (errors.isEmpty() && name == null && active == null) {
            errors.add(new FieldError("name", "Give a new name, a new active state, or both."));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        if (!isCategoryId(id)) {
            throw new QuizException(ErrorCode.NOT_FOUND, "No such category.");
        }
        store.updateCategory(id, name, (Boolean) active)
            .compose(updated -> changes.announce("category " + id + " edited").map(updated))
            .onSuccess(updated -> Responses.json(ctx, 200, updated))
            .onFailure(ctx::fail);
    }

    /** The trimmed name, null when absent; a present but bad name is a field error. */
    private static String categoryName(Object value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        String name = value instanceof String s ? s.trim() : "";
        if (!TextLength.between(name, 1, MAX_CATEGORY_NAME)) {
            errors.add(new FieldError("name", "Must be 1 to " + MAX_CATEGORY_NAME + " characters."));
            return null;
        }
        // A name is one line of text; PostgreSQL could not even store a U+0000.
        if (name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "Must not contain control characters."));
            return null;
        }
        return name;
    }

    private static boolean isCategoryId(String id) {
        return id.length() >= MIN_CATEGORY_ID && id.length() <= MAX_CATEGORY_ID && CATEGORY_ID.matcher(id).matches()
            && !id.equals("any"); // "any" means "no particular category" to the matchmaker
    }

    private static QuestionDraft valid(QuestionDraft.Checked checked) {
        if (!checked.valid()) {
            throw new ValidationException(checked.errors());
        }
        return checked.draft();
    }

    private static QuestionDraft.Input inputOf(ModeratedQuestion question) {
        return new QuestionDraft.Input(question.category(), question.difficulty(), question.text(),
            new JsonArray(new ArrayList<>(question.options())), question.correctOption(), question.active());
    }

    private static void requireKnownFields(JsonObject body, Set<String> known) {
        List<FieldError> unknown = body.fieldNames().stream().filter(name -> !known.contains(name)).sorted()
            .map(name -> new FieldError(name, "Unknown field; the fields are " + known.stream().sorted().toList() + "."))
            .toList();
        if (!unknown.isEmpty()) {
            throw new ValidationException(unknown);
        }
    }

    /** A question id from the path; anything that cannot be one is "not found". */
    private static long questionId(RoutingContext ctx) {
        try {
            long id = Long.parseLong(ctx.pathParam("id"));
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // same answer as an id that does not exist
        }
        throw new QuizException(ErrorCode.NOT_FOUND, "No such question.");
    }

    private static String param(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Long longParam(RoutingContext ctx, String name, long min, long max, List<FieldError> errors) {
        String value = param(ctx, name);
        if (value == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // the same error as out of range
        }
        errors.add(new FieldError(name, "Must be a whole number from " + min + " to " + max + "."));
        return null;
    }

}

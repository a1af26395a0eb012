package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.http.TestNode.uniqueName;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.auth.Role;
import org.quizengine.api.protection.ProtectionOptions;
import org.quizengine.api.question.ModerationRoutes;

/**
 * Question and category moderation and imports over real HTTP against real PostgreSQL: what a
 * moderator, a plain user and an anonymous client each get, and what the bank holds afterwards.
 */
@ExtendWith(VertxExtension.class)
class QuestionModerationApiTest {
    private static final String QUESTIONS = "/api/v1/questions";
    private static final String IMPORT = "/api/v1/questions/import";
    private static final String CATEGORIES = "/api/v1/categories";
    private static final String PASSWORD = "correct horse battery";
    private static final String DIE = new String(Character.toChars(0x1F3B2));
    private static final String CARD = new String(Character.toChars(0x1F0CF));

    @TempDir
    static Path dataDir;
    static TestNode node;
    static String moderator;
    static String admin;
    static String user;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
        moderator = tokenWithRole(Role.MODERATOR);
        admin = tokenWithRole(Role.ADMIN);
        user = tokenWithRole(Role.USER);
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    // ---- questions: success paths ----

    @Test
    void moderatorCreatesReadsEditsDeactivatesAndReactivatesAQuestion() {
        String category = newCategory();
        HttpResponse<Buffer> created = send(HttpMethod.POST, QUESTIONS, moderator,
            question(category, "  What is 6 x 7?  ", "41", "42", "43").put("correctOption", 1));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        JsonObject question = created.bodyAsJsonObject();
        long id = question.getLong("id");
        assertThat(created.getHeader("Location")).isEqualTo(QUESTIONS + "/" + id);
        assertThat(question.getString("text")).as("trimmed").isEqualTo("What is 6 x 7?");
        assertThat(question.getJsonArray("options")).containsExactly("41", "42", "43");
        assertThat(question.getInteger("correctOption")).isEqualTo(1);
        assertThat(question.getString("difficulty")).isEqualTo("easy");
        assertThat(question.getBoolean("active")).isTrue();
        assertThat(question.getInteger("version")).isEqualTo(1);

        assertThat(send(HttpMethod.GET, QUESTIONS + "/" + id, admin, null).bodyAsJsonObject()).isEqualTo(question);

        HttpResponse<Buffer> edited = send(HttpMethod.PATCH, QUESTIONS + "/" + id, moderator, new JsonObject()
            .put("version", 1).put("text", "What is six times seven?").put("options", new JsonArray(List.of("42", "24")))
            .put("correctOption", 0).put("difficulty", "medium"));
        assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);
        JsonObject after = edited.bodyAsJsonObject();
        assertThat(after.getString("text")).isEqualTo("What is six times seven?");
        assertThat(after.getJsonArray("options")).containsExactly("42", "24");
        assertThat(after.getInteger("correctOption")).isZero();
        assertThat(after.getString("difficulty")).isEqualTo("medium");
        assertThat(after.getString("category")).isEqualTo(category);
        assertThat(after.getInteger("version")).isEqualTo(2);

        JsonObject deactivated = send(HttpMethod.POST, QUESTIONS + "/" + id + "/deactivate", moderator, null)
            .bodyAsJsonObject();
        assertThat(deactivated.getBoolean("active")).isFalse();
        assertThat(deactivated.getInteger("version")).isEqualTo(3);
        assertThat(activeQuestionsOf(category)).isZero();
        assertThat(send(HttpMethod.POST, QUESTIONS + "/" + id + "/deactivate", moderator, null).bodyAsJsonObject()
            .getInteger("version")).as("deactivating twice changes nothing").isEqualTo(3);

        JsonObject reactivated = send(HttpMethod.POST, QUESTIONS + "/" + id + "/activate", moderator, null)
            .bodyAsJsonObject();
        assertThat(reactivated.getBoolean("active")).isTrue();
        assertThat(activeQuestionsOf(category)).isEqualTo(1);

        JsonObject viaEdit = send(HttpMethod.PATCH, QUESTIONS + "/" + id, moderator,
            new JsonObject().put("version", reactivated.getInteger("version")).put("active", false)).bodyAsJsonObject();
        assertThat(viaEdit.getBoolean("active")).isFalse();
        assertThat(viaEdit.getString("text")).isEqualTo("What is six times seven?");
    }

    @Test
    void createRejectsEachBadFieldByNameAndStoresNothing() {
        String category = newCategory();
        JsonObject bad = new JsonObject()
            .put("category", category)
            .put("difficulty", "impossible")
            .put("text", "Hi")
            .put("options", new JsonArray(List.of("only one")))
            .put("correctOption", "0")
            .put("colour", "blue");
        HttpResponse<Buffer> unknownField = send(HttpMethod.POST, QUESTIONS, moderator, bad);
        assertProblem(unknownField, 422, "VALIDATION_FAILED");
        // The document's schema names every bad field at once, the unknown one included.
        assertThat(fields(unknownField)).containsExactlyInAnyOrder("colour", "difficulty", "text", "options", "correctOption");

        bad.remove("colour");
        HttpResponse<Buffer> rejected = send(HttpMethod.POST, QUESTIONS, moderator, bad);
        assertProblem(rejected, 422, "VALIDATION_FAILED");
        assertThat(fields(rejected)).containsExactlyInAnyOrder("difficulty", "text", "options", "correctOption");

        assertFieldError(question(category, "Which one?", "a", " A ").put("correctOption", 0), "options[1]");
        assertFieldError(question(category, "Which one?", "a", "  ").put("correctOption", 0), "options[1]");
        assertFieldError(question(category, "Which one?", "a", "b", "c", "d", "e", "f", "g").put("correctOption", 0),
            "options");
        assertFieldError(question(category, "Which one?", "a", "b").put("correctOption", 2), "correctOption");
        assertFieldError(question(category, "Which one?", "a", "b").put("correctOption", -1), "correctOption");
        assertFieldError(question(category, "x".repeat(501), "a", "b").put("correctOption", 0), "text");
        assertFieldError(question("no-such-category", "Which one?", "a", "b").put("correctOption", 0), "category");
        assertFieldError(question(category, "Which one?", "a", "b").put("correctOption", 0).put("active", "yes"), "active");
        // PostgreSQL cannot hold a U+0000: refused by name, never sent to the database (it was a 500).
        assertFieldError(question(category, "Which\u0000 one?", "a", "b").put("correctOption", 0), "text");
        assertFieldError(question(category, "Which one?", "a\u0000b", "b").put("correctOption", 0), "options[0]");
        assertFieldError(question("a\u0000b", "Which one?", "a", "b").put("correctOption", 0), "category");
        assertThat(fields(send(HttpMethod.GET, QUESTIONS + "?q=a%00b", moderator, null))).containsExactly("q");

        assertThat(list("?category=" + category).getJsonArray("items")).isEmpty();
        assertProblem(send(HttpMethod.POST, QUESTIONS, moderator, "application/json", "[1, 2"), 400, "MALFORMED_MESSAGE");
    }

    @Test
    void theSameTextTwiceInACategoryIsAConflictButAnotherCategoryMayHaveIt() {
        String category = newCategory();
        String other = newCategory();
        JsonObject question = question(category, "Capital of France?", "Paris", "Lyon").put("correctOption", 0);
        assertThat(send(HttpMethod.POST, QUESTIONS, moderator, question).statusCode()).isEqualTo(201);
        assertProblem(send(HttpMethod.POST, QUESTIONS, moderator, question.copy().put("text", " Capital of France? ")),
            409, "QUESTION_DUPLICATE");
        assertThat(send(HttpMethod.POST, QUESTIONS, moderator, question.copy().put("category", other)).statusCode())
            .isEqualTo(201);

        JsonObject second = send(HttpMethod.POST, QUESTIONS, moderator,
            question(category, "Capital of Spain?", "Madrid", "Porto").put("correctOption", 0)).bodyAsJsonObject();
        HttpResponse<Buffer> clash = send(HttpMethod.PATCH, QUESTIONS + "/" + second.getLong("id"), moderator,
            new JsonObject().put("version", 1).put("text", "Capital of France?"));
        assertProblem(clash, 409, "QUESTION_DUPLICATE");
        assertThat(read(second.getLong("id")).getString("text")).isEqualTo("Capital of Spain?");
    }

    @Test
    void aStaleEditIsRefusedAndChangesNothing() {
        JsonObject question = createQuestion(newCategory(), "Largest planet?");
        long id = question.getLong("id");
        HttpResponse<Buffer> first = send(HttpMethod.PATCH, QUESTIONS + "/" + id, moderator,
            new JsonObject().put("version", 1).put("text", "Largest planet of the solar system?"));
        assertThat(first.statusCode()).isEqualTo(200);

        HttpResponse<Buffer> stale = send(HttpMethod.PATCH, QUESTIONS + "/" + id, admin,
            new JsonObject().put("version", 1).put("text", "Biggest planet?"));
        assertProblem(stale, 409, "QUESTION_EDIT_CONFLICT");
        assertThat(read(id).getString("text")).isEqualTo("Largest planet of the solar system?");
        assertThat(read(id).getInteger("version")).isEqualTo(2);

        assertThat(fields(send(HttpMethod.PATCH, QUESTIONS + "/" + id, moderator, new JsonObject().put("text", "Hm?!"))))
            .containsExactly("version");
        // Fewer options than the kept correct index: the merged question is checked as a whole.
        HttpResponse<Buffer> incoherent = send(HttpMethod.PATCH, QUESTIONS + "/" + id, moderator,
            new JsonObject().put("version", 2).put("correctOption", 3));
        assertProblem(incoherent, 422, "VALIDATION_FAILED");
        assertThat(fields(incoherent)).containsExactly("correctOption");
        assertThat(read(id).getInteger("version")).isEqualTo(2);
    }

    @Test
    void unknownQuestionsAndCategoriesAreNotFound() {
        for (String path : List.of(QUESTIONS + "/999999999", QUESTIONS + "/abc", QUESTIONS + "/0", QUESTIONS + "/-3")) {
            assertProblem(send(HttpMethod.GET, path, moderator, null), 404, "NOT_FOUND");
        }
        assertProblem(send(HttpMethod.PATCH, QUESTIONS + "/999999999", moderator, new JsonObject().put("version", 1)),
            404, "NOT_FOUND");
        assertProblem(send(HttpMethod.POST, QUESTIONS + "/999999999/deactivate", moderator, null), 404, "NOT_FOUND");
        assertProblem(send(HttpMethod.POST, QUESTIONS + "/999999999/activate", moderator, null), 404, "NOT_FOUND");
        assertProblem(send(HttpMethod.PATCH, CATEGORIES + "/no-such-category", moderator,
            new JsonObject().put("name", "X")), 404, "NOT_FOUND");
    }

    // ---- who may ----

    @Test
    void usersAreForbiddenAndAnonymousClientsUnauthorizedOnEveryModerationRoute() {
        long id = createQuestion(newCategory(), "Who wrote Hamlet?").getLong("id");
        List<Object[]> routes = List.of(
            new Object[] {HttpMethod.GET, QUESTIONS},
            new Object[] {HttpMethod.GET, QUESTIONS + "/" + id},
            new Object[] {HttpMethod.GET, QUESTIONS + "/999999999"},
            new Object[] {HttpMethod.POST, QUESTIONS},
            new Object[] {HttpMethod.PATCH, QUESTIONS + "/" + id},
            new Object[] {HttpMethod.POST, QUESTIONS + "/" + id + "/deactivate"},
            new Object[] {HttpMethod.POST, QUESTIONS + "/" + id + "/activate"},
            new Object[] {HttpMethod.POST, IMPORT},
            new Object[] {HttpMethod.POST, CATEGORIES},
            new Object[] {HttpMethod.PATCH, CATEGORIES + "/science"});
        for (Object[] route : routes) {
            HttpMethod method = (HttpMethod) route[0];
            String path = (String) route[1];
            JsonObject body = new JsonObject().put("version", 1).put("name", "Hacked").put("id", "hacked");
            assertProblem(send(method, path, user, body), 403, "FORBIDDEN");
            assertProblem(send(method, path, null, body), 401, "UNAUTHORIZED");
        }
        assertThat(read(id).getInteger("version")).isEqualTo(1);
        assertThat(read(id).getBoolean("active")).isTrue();
        HttpResponse<Buffer> categories = send(HttpMethod.GET, CATEGORIES, user, null);
        assertThat(categories.statusCode()).as("users keep the category list").isEqualTo(200);
    }

    // ---- listing ----

    @Test
    void listPagesByIdWithFiltersAndCheckedBounds() {
        String category = newCategory();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(createQuestion(category, "Paging question " + i + (i == 3 ? " with 100% of _this_" : "")).getLong("id"));
        }
        JsonObject page1 = list("?category=" + category + "&limit=2");
        assertThat(idsOf(page1)).isEqualTo(ids.subList(0, 2));
        assertThat(page1.getLong("nextAfter")).isEqualTo(ids.get(1));
        JsonObject page2 = list("?category=" + category + "&limit=2&after=" + page1.getLong("nextAfter"));
        assertThat(idsOf(page2)).isEqualTo(ids.subList(2, 4));
        JsonObject page3 = list("?category=" + category + "&limit=2&after=" + page2.getLong("nextAfter"));
        assertThat(idsOf(page3)).isEqualTo(ids.subList(4, 5));
        assertThat(page3.containsKey("nextAfter")).as("the last page has no next").isFalse();
        assertThat(idsOf(list("?category=" + category + "&limit=5"))).isEqualTo(ids);
        assertThat(list("?category=" + category + "&limit=5").containsKey("nextAfter")).isFalse();
        assertThat(idsOf(list("?category=" + category + "&after=" + ids.get(4)))).isEmpty();
        assertThat(idsOf(list("?category=" + category))).as("default page of 20").isEqualTo(ids);

        assertThat(idsOf(list("?category=" + category + "&q=100%25%20OF%20_THIS_"))).containsExactly(ids.get(3));
        assertThat(idsOf(list("?category=" + category + "&q=%25"))).as("% is literal").containsExactly(ids.get(3));
        send(HttpMethod.POST, QUESTIONS + "/" + ids.get(0) + "/deactivate", moderator, null);
        assertThat(idsOf(list("?category=" + category + "&active=false"))).containsExactly(ids.get(0));
        assertThat(idsOf(list("?category=" + category + "&active=true"))).isEqualTo(ids.subList(1, 5));
        assertThat(idsOf(list("?category=" + category + "&difficulty=hard"))).isEmpty();
        assertThat(idsOf(list("?category=" + category + "&difficulty=easy"))).hasSize(5);

        for (String bad : List.of("limit=0", "limit=101", "limit=ten", "after=-1", "after=1.5", "active=yes",
            "difficulty=extreme", "category=Not%20A%20Slug", "q=" + "x".repeat(101), "limit=%25", "after=%25",
            "active=%25")) {
            HttpResponse<Buffer> response = send(HttpMethod.GET, QUESTIONS + "?" + bad, moderator, null);
            assertProblem(response, 422, "VALIDATION_FAILED");
            assertThat(fields(response)).containsExactly(bad.substring(0, bad.indexOf('=')));
        }
        assertThat(idsOf(list("?category=" + category + "&limit=100"))).hasSize(5);
    }

    // ---- categories ----

    @Test
    void moderatorsCreateRenameDeactivateAndReactivateCategories() {
        String id = "cat-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<Buffer> created = send(HttpMethod.POST, CATEGORIES, moderator,
            new JsonObject().put("id", id).put("name", "  Board games "));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", id).put("name", "Board games")
            .put("active", true));
        assertThat(categoryNames()).contains("Board games");

        assertProblem(send(HttpMethod.POST, CATEGORIES, admin, new JsonObject().put("id", id).put("name", "Again")),
            409, "CATEGORY_EXISTS");
        HttpResponse<Buffer> invalid = send(HttpMethod.POST, CATEGORIES, moderator,
            new JsonObject().put("id", "Bad Slug!").put("name", ""));
        assertProblem(invalid, 422, "VALIDATION_FAILED");
        assertThat(fields(invalid)).containsExactlyInAnyOrder("id", "name");
        for (String badId : List.of("a", "any", "-x", "x-", "a--b", "x".repeat(33))) {
            assertThat(fields(send(HttpMethod.POST, CATEGORIES, moderator,
                new JsonObject().put("id", badId).put("name", "N")))).containsExactly("id");
        }
        assertThat(fields(send(HttpMethod.PATCH, CATEGORIES + "/" + id, moderator, new JsonObject())))
            .containsExactly("name");
        assertThat(fields(send(HttpMethod.PATCH, CATEGORIES + "/" + id, moderator,
            new JsonObject().put("name", "a\u0000b")))).containsExactly("name");
        assertThat(fields(send(HttpMethod.PATCH, CATEGORIES + "/" + id, moderator,
            new JsonObject().put("active", "no")))).containsExactly("active");

        JsonObject renamed = send(HttpMethod.PATCH, CATEGORIES + "/" + id, moderator,
            new JsonObject().put("name", "Tabletop")).bodyAsJsonObject();
        assertThat(renamed.getString("name")).isEqualTo("Tabletop");
        assertThat(categoryNames()).contains("Tabletop").doesNotContain("Board games");

        JsonObject deactivated = send(HttpMethod.PATCH, CATEGORIES + "/" + id, moderator,
            new JsonObject().put("active", false)).bodyAsJsonObject();
        assertThat(deactivated.getBoolean("active")).isFalse();
        assertThat(categoryNames()).as("players no longer see it").doesNotContain("Tabletop");
        JsonObject listed = send(HttpMethod.GET, CATEGORIES + "?includeInactive=true", moderator, null).bodyAsJsonObject()
            .getJsonArray("categories").stream().map(JsonObject.class::cast)
            .filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow();
        assertThat(listed).as("moderators still find it").isEqualTo(new JsonObject().put("id", id)
            .put("name", "Tabletop").put("active", false).put("activeQuestions", 0));
        assertProblem(send(HttpMethod.GET, CATEGORIES + "?includeInactive=true", user, null), 403, "FORBIDDEN");
        // Without includeInactive, every item is a Category: exactly its three members, never active.
        send(HttpMethod.GET, CATEGORIES, moderator, null).bodyAsJsonObject().getJsonArray("categories").stream()
            .map(JsonObject.class::cast)
            .forEach(c -> assertThat(c.fieldNames()).containsExactlyInAnyOrder("id", "name", "activeQuestions"));
        assertThat(fields(send(HttpMethod.GET, CATEGORIES + "?includeInactive=yes", moderator, null)))
            .containsExactly("includeInactive");
        // Moderators may still fill an inactive category before opening it.
        createQuestion(id, "Chess pieces per side?");
        send(HttpMethod.PATCH, CATEGORIES + "/" + id, moderator, new JsonObject().put("active", true));
        assertThat(categoryNames()).contains("Tabletop");
    }

    // ---- imports ----

    @Test
    void aValidJsonBatchIsImportedWholeWithItsIds() {
        String category = newCategory();
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 3; i++) {
            batch.add(question(category, "Imported question " + i, "yes", "no").put("correctOption", i % 2));
        }
        HttpResponse<Buffer> response = send(HttpMethod.POST, IMPORT, moderator, "application/json", batch.encode());
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getInteger("created")).isEqualTo(3);
        List<Long> ids = body.getJsonArray("ids").stream().map(id -> ((Number) id).longValue()).toList();
        assertThat(idsOf(list("?category=" + category))).isEqualTo(ids);
        assertThat(read(ids.get(1)).getInteger("correctOption")).isEqualTo(1);
    }

    @Test
    void aJsonBatchWithBadRowsImportsNothingAndNamesEveryRow() {
        String category = newCategory();
        createQuestion(category, "Already in the bank");
        JsonArray batch = new JsonArray()
            .add(question(category, "Good row", "a", "b").put("correctOption", 0))
            .add(question(category, "Bad correct", "a", "b").put("correctOption", 5))
            .add(42)
            .add(question(category, "Good row", "c", "d").put("correctOption", 0))
            .add(question(category, "Already in the bank", "a", "b").put("correctOption", 0))
            .add(question("no-such-category", "Lost", "a", "b").put("correctOption", 0));
        HttpResponse<Buffer> response = send(HttpMethod.POST, IMPORT, moderator, "application/json", batch.encode());
        assertProblem(response, 422, "VALIDATION_FAILED");
        assertThat(rowErrors(response)).containsExactly("2:correctOption", "3:row", "4:text", "5:text", "6:category");
        assertThat(list("?category=" + category).getJsonArray("items")).hasSize(1);

        HttpResponse<Buffer> dryRun = send(HttpMethod.POST, IMPORT + "?dryRun=true", moderator, "application/json",
            batch.encode());
        assertProblem(dryRun, 422, "VALIDATION_FAILED");
        assertProblem(send(HttpMethod.POST, IMPORT, moderator, "application/json", "[]"), 422, "VALIDATION_FAILED");
        assertProblem(send(HttpMethod.POST, IMPORT, moderator, "application/json", "{\"questions\": []}"),
            400, "MALFORMED_MESSAGE");
        assertProblem(send(HttpMethod.POST, IMPORT, moderator, "text/plain", "hello"), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(send(HttpMethod.POST, IMPORT + "?dryRun=maybe", moderator, "application/json", "[]"),
            422, "VALIDATION_FAILED");
    }

    @Test
    void aDryRunChecksAGoodBatchAndImportsNothing() {
        String category = newCategory();
        String csv = "category,difficulty,text,option1,option2,correct\n" + category + ",hard,Dry question,a,b,2\n";
        HttpResponse<Buffer> response = send(HttpMethod.POST, IMPORT + "?dryRun=true", moderator, "text/csv", csv);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("dryRun", true).put("valid", 1));
        assertThat(list("?category=" + category).getJsonArray("items")).isEmpty();
        assertThat(fields(send(HttpMethod.POST, IMPORT + "?dryRun=%25", moderator, "application/json", "[]")))
            .containsExactly("dryRun");
    }

    @Test
    void lengthsCountCharactersAsTheSchemaDoesSoAnEmojiIsOne() {
        // Each emoji is one character (code point) but two UTF-16 units: at the limits below in
        // characters, twice over them in units.
        String category = "c-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<Buffer> named = send(HttpMethod.POST, CATEGORIES, moderator,
            new JsonObject().put("id", category).put("name", DIE.repeat(60)));
        assertThat(named.statusCode()).as(named.bodyAsString()).isEqualTo(201);
        assertThat(fields(send(HttpMethod.PATCH, CATEGORIES + "/" + category, moderator,
            new JsonObject().put("name", DIE.repeat(61))))).containsExactly("name");
        HttpResponse<Buffer> renamed = send(HttpMethod.PATCH, CATEGORIES + "/" + category, moderator,
            new JsonObject().put("name", CARD.repeat(60)));
        assertThat(renamed.statusCode()).as(renamed.bodyAsString()).isEqualTo(200);

        String text = DIE.repeat(500);
        HttpResponse<Buffer> created = send(HttpMethod.POST, QUESTIONS, moderator,
            question(category, text, DIE.repeat(200), CARD.repeat(200)).put("correctOption", 0));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getString("text")).isEqualTo(text);
        assertFieldError(question(category, DIE.repeat(501), "a", "b").put("correctOption", 0), "text");
        // Three characters for the schema, two once trimmed: too short, as "Hi" is.
        assertFieldError(question(category, " " + DIE + DIE + " ", "a", "b").put("correctOption", 0), "text");

        String search = "?category=" + category + "&q=" + URLEncoder.encode(DIE.repeat(100), StandardCharsets.UTF_8);
        assertThat(idsOf(list(search))).containsExactly(created.bodyAsJsonObject().getLong("id"));
    }

    @Test
    void aCsvBatchWithQuotedFieldsIsImportedExactly() {
        String category = newCategory();
        String csv = "\uFEFFcategory,difficulty,text,option1,option2,option3,option4,option5,option6,correct\r\n"
            + category + ",easy,\"Which city, in \"\"France\"\", is the capital?\",Paris,\"Lyon, maybe\",,,,,1\r\n"
            + category + ",medium,\"A question\nover two lines?\",Oui,Non,Peut-être,,,,3\r\n"
            + "\r\n"
            + category + ",hard,Ünïcödé ✓ 答え?,α,β,γ,δ,ε,ζ,6\r\n";
        HttpResponse<Buffer> response = send(HttpMethod.POST, IMPORT, moderator, "text/csv; charset=utf-8", csv);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        List<JsonObject> items = list("?category=" + category).getJsonArray("items").stream()
            .map(JsonObject.class::cast).toList();
        assertThat(items).hasSize(3);
        assertThat(items.get(0).getString("text")).isEqualTo("Which city, in \"France\", is the capital?");
        assertThat(items.get(0).getJsonArray("options")).containsExactly("Paris", "Lyon, maybe");
        assertThat(items.get(0).getInteger("correctOption")).isZero();
        assertThat(items.get(1).getString("text")).isEqualTo("A question\nover two lines?");
        assertThat(items.get(1).getJsonArray("options")).containsExactly("Oui", "Non", "Peut-être");
        assertThat(items.get(1).getInteger("correctOption")).isEqualTo(2);
        assertThat(items.get(2).getString("text")).isEqualTo("Ünïcödé ✓ 答え?");
        assertThat(items.get(2).getJsonArray("options")).hasSize(6);
        assertThat(items.get(2).getInteger("correctOption")).isEqualTo(5);
    }

    @Test
    void aCsvBatchWithBadRowsNamesTheirLinesAndImportsNothing() {
        String category = newCategory();
        String csv = "category,difficulty,text,option1,option2,option3,correct\n"
            + category + ",easy,\"Good, but\nspans two lines\",a,b,,1\n"        // lines 2-3
            + category + ",easy,Wrong correct,a,b,,3\n"                          // line 4
            + category + ",easy,Gap in options,a,,c,1\n"                         // line 5
            + category + ",easy,Too few fields,a,b\n"                            // line 6
            + category + ",trivial,Bad difficulty,a,b,,x\n"                      // line 7
            + category + ",easy,\"Good, but\nspans two lines\",c,d,,1\n";        // lines 8-9: repeats line 2
        HttpResponse<Buffer> response = send(HttpMethod.POST, IMPORT, moderator, "text/csv", csv);
        assertProblem(response, 422, "VALIDATION_FAILED");
        assertThat(rowErrors(response)).containsExactly("4:correct", "5:option2", "6:row", "7:difficulty",
            "7:correct", "8:text");
        assertThat(list("?category=" + category).getJsonArray("items")).isEmpty();

        HttpResponse<Buffer> header = send(HttpMethod.POST, IMPORT, moderator, "text/csv",
            "category,level,text,option1,correct\n" + category + ",easy,Q?,a,1\n");
        assertProblem(header, 422, "VALIDATION_FAILED");
        assertThat(rowErrors(header)).containsExactly("1:header", "1:header", "1:header");

        HttpResponse<Buffer> unclosed = send(HttpMethod.POST, IMPORT, moderator, "text/csv",
            "category,difficulty,text,option1,option2,correct\n" + category + ",easy,\"Never closed,a,b,1\n");
        assertThat(rowErrors(unclosed)).containsExactly("2:csv");
        assertProblem(send(HttpMethod.POST, IMPORT, moderator, "text/csv", ""), 422, "VALIDATION_FAILED");
    }

    @Test
    void importsHaveTheirOwnBodyLimitAndOtherRoutesKeepTheDefault() {
        String category = newCategory();
        // About 40 KB: above the API's 16 KB default, well below the import's 1 MiB.
        String csv = "category,difficulty,text,option1,option2,correct\n" + IntStream.range(0, 400)
            .mapToObj(i -> category + ",easy,Bulk question number " + i + " " + "padding ".repeat(8) + ",yes,no,1")
            .collect(Collectors.joining("\n"));
        assertThat(csv.length()).isGreaterThan((int) ProtectionOptions.DEFAULT_MAX_BODY_BYTES);
        HttpResponse<Buffer> imported = send(HttpMethod.POST, IMPORT, moderator, "text/csv", csv);
        assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);
        assertThat(imported.bodyAsJsonObject().getInteger("created")).isEqualTo(400);

        String oversize = "category,difficulty,text,option1,option2,correct\n"
            + (category + ",easy,Too big,yes,no,1\n").repeat((int) (ModerationRoutes.IMPORT_BODY_LIMIT_BYTES / 20));
        assertThat(oversize.length()).isGreaterThan((int) ModerationRoutes.IMPORT_BODY_LIMIT_BYTES);
        assertProblem(send(HttpMethod.POST, IMPORT, moderator, "text/csv", oversize), 413, "BODY_TOO_LARGE");

        JsonObject big = question(category, "x".repeat(20_000), "a", "b").put("correctOption", 0);
        assertProblem(send(HttpMethod.POST, QUESTIONS, moderator, big), 413, "BODY_TOO_LARGE");
        assertThat(list("?category=" + category + "&q=Too%20big").getJsonArray("items")).isEmpty();
    }

    // ---- helpers ----

    private static String tokenWithRole(Role role) {
        String username = uniqueName(role.wireName());
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        if (role == Role.USER) {
            return session.getString("accessToken");
        }
        await(node.users.setRole(UUID.fromString(session.getJsonObject("user").getString("id")), role));
        return node.postJson("/api/v1/auth/login", new JsonObject().put("login", username).put("password", PASSWORD))
            .bodyAsJsonObject().getString("accessToken");
    }

    private static String newCategory() {
        String id = "c-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<Buffer> created = send(HttpMethod.POST, CATEGORIES, moderator,
            new JsonObject().put("id", id).put("name", "Category " + id));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        return id;
    }

    private static JsonObject question(String category, String text, String... options) {
        return new JsonObject().put("category", category).put("difficulty", "easy").put("text", text)
            .put("options", new JsonArray(List.of((Object[]) options)));
    }

    private static JsonObject createQuestion(String category, String text) {
        HttpResponse<Buffer> created = send(HttpMethod.POST, QUESTIONS, moderator,
            question(category, text, "one", "two", "three").put("correctOption", 2));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        return created.bodyAsJsonObject();
    }

    private static JsonObject read(long id) {
        HttpResponse<Buffer> response = send(HttpMethod.GET, QUESTIONS + "/" + id, moderator, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    private static JsonObject list(String query) {
        HttpResponse<Buffer> response = send(HttpMethod.GET, QUESTIONS + query, moderator, null);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    private static List<Long> idsOf(JsonObject page) {
        return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getLong("id")).toList();
    }

    private static List<String> categoryNames() {
        return send(HttpMethod.GET, CATEGORIES, user, null).bodyAsJsonObject().getJsonArray("categories").stream()
            .map(c -> ((JsonObject) c).getString("name")).toList();
    }

    private static int activeQuestionsOf(String category) {
        return send(HttpMethod.GET, CATEGORIES, user, null).bodyAsJsonObject().getJsonArray("categories").stream()
            .map(JsonObject.class::cast).filter(c -> c.getString("id").equals(category)).findFirst().orElseThrow()
            .getInteger("activeQuestions");
    }

    private static void assertFieldError(JsonObject body, String field) {
        HttpResponse<Buffer> response = send(HttpMethod.POST, QUESTIONS, moderator, body);
        assertProblem(response, 422, "VALIDATION_FAILED");
        assertThat(fields(response)).as(body.encode()).containsExactly(field);
    }

    private static List<String> fields(HttpResponse<Buffer> response) {
        JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
        assertThat(errors).as(response.bodyAsString()).isNotNull();
        return errors.stream().map(e -> ((JsonObject) e).getString("field")).toList();
    }

    /** "row:field" for each row error, in the order given. */
    private static List<String> rowErrors(HttpResponse<Buffer> response) {
        assertProblem(response, 422, "VALIDATION_FAILED");
        return response.bodyAsJsonObject().getJsonArray("errors").stream().map(JsonObject.class::cast)
            .peek(e -> assertThat(e.getString("message")).isNotBlank())
            .map(e -> e.getInteger("row") + ":" + e.getString("field")).toList();
    }

    private static HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
        return send(method, path, token, body == null ? null : "application/json", body == null ? null : body.encode());
    }

    private static HttpResponse<Buffer> send(HttpMethod method, String path, String token, String contentType,
                                             String body) {
        HttpRequest<Buffer> request = node.client.request(method, path);
        if (token != null) {
            request.putHeader("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    }
}

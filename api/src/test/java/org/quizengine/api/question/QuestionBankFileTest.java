package org.quizengine.api.question;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Structural checks on the bundled question bank ({@code /questions/bank.json}). */
class QuestionBankFileTest {

  private static final String RESOURCE = "/questions/bank.json";
  private static final Set<String> DIFFICULTIES = Set.of("easy", "medium", "hard");

  private static JsonNode root;
  private static List<JsonNode> questions;
  private static Set<String> categoryIds;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = QuestionBankFileTest.class.getResourceAsStream(RESOURCE)) {
      assertThat(in).as("classpath resource %s", RESOURCE).isNotNull();
      root = new ObjectMapper().readTree(in);
    }
    assertThat(root.path("categories").isArray()).as("categories is an array").isTrue();
    assertThat(root.path("questions").isArray()).as("questions is an array").isTrue();

    categoryIds = new HashSet<>();
    for (JsonNode category : root.get("categories")) {
      String id = category.path("id").asText("");
      assertThat(id).as("category id").isNotBlank();
      assertThat(category.path("name").asText("")).as("name of category %s", id).isNotBlank();
      assertThat(categoryIds.add(id)).as("category id %s declared once", id).isTrue();
    }

    questions = new ArrayList<>();
    root.get("questions").forEach(questions::add);
  }

  @Test
  void hasAtLeast300Questions() {
    assertThat(questions).hasSizeGreaterThanOrEqualTo(300);
  }

  @Test
  void hasAtLeast8CategoriesEachWithAtLeast30Questions() {
    assertThat(categoryIds).hasSizeGreaterThanOrEqualTo(8);
    Map<String, Integer> perCategory = new LinkedHashMap<>();
    categoryIds.forEach(id -> perCategory.put(id, 0));
    for (JsonNode q : questions) {
      perCategory.computeIfPresent(q.path("category").asText(), (k, v) -> v + 1);
    }
    perCategory.forEach(
        (id, count) -> assertThat(count).as("questions in category %s", id).isGreaterThanOrEqualTo(30));
  }

  @Test
  void everyCategoryHasAllThreeDifficulties() {
    Map<String, Set<String>> difficulties = new HashMap<>();
    for (JsonNode q : questions) {
      String difficulty = q.path("difficulty").asText("");
      assertThat(difficulty).as("difficulty of %s", text(q)).isIn(DIFFICULTIES);
      difficulties.computeIfAbsent(q.path("category").asText(), k -> new HashSet<>()).add(difficulty);
    }
    for (String id : categoryIds) {
      assertThat(difficulties.getOrDefault(id, Set.of()))
          .as("difficulties in category %s", id)
          .containsExactlyInAnyOrderElementsOf(DIFFICULTIES);
    }
  }

  @Test
  void everyQuestionReferencesADeclaredCategory() {
    for (JsonNode q : questions) {
      assertThat(q.path("category").asText("")).as("category of %s", text(q)).isIn(categoryIds);
    }
  }

  @Test
  void everyQuestionHasFourDistinctNonBlankOptions() {
    for (JsonNode q : questions) {
      JsonNode options = q.path("options");
      assertThat(options.isArray()).as("options of %s is an array", text(q)).isTrue();
      assertThat(options.size()).as("option count of %s", text(q)).isEqualTo(4);
      Set<String> distinct = new HashSet<>();
      for (JsonNode option : options) {
        assertThat(option.isTextual()).as("option of %s is a string", text(q)).isTrue();
        String value = option.asText();
        assertThat(value).as("option of %s", text(q)).isNotBlank();
        distinct.add(value.trim().toLowerCase(Locale.ROOT));
      }
      assertThat(distinct).as("distinct options of %s", text(q)).hasSize(4);
    }
  }

  @Test
  void correctIndexIsInRange() {
    for (JsonNode q : questions) {
      JsonNode correct = q.path("correct");
      assertThat(correct.isInt()).as("correct of %s is an integer", text(q)).isTrue();
      assertThat(correct.asInt())
          .as("correct index of %s", text(q))
          .isBetween(0, q.path("options").size() - 1);
    }
  }

  @Test
  void questionTextsAreUniqueNonBlankAndAtMost200Characters() {
    Set<String> seen = new HashSet<>();
    for (JsonNode q : questions) {
      String text = text(q);
      assertThat(text).as("question text").isNotBlank();
      assertThat(text.length()).as("length of %s", text).isLessThanOrEqualTo(200);
      assertThat(seen.add(text.trim().toLowerCase(Locale.ROOT)))
          .as("question text is unique: %s", text)
          .isTrue();
    }
  }

  private static String text(JsonNode q) {
    return q.path("text").asText("");
  }
}

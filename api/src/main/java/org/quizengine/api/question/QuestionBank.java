package org.quizengine.api.question;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The question bank file ({@code /questions/bank.json}), parsed and checked before anything of it
 * reaches the database, so a bad file fails the seeding with a message naming the bad entry.
 */
record QuestionBank(List<BankCategory> categories, List<BankQuestion> questions) {
    static final int SUPPORTED_VERSION = 1;
    static final Set<String> DIFFICULTIES = Set.of("easy", "medium", "hard");
    static final int MIN_OPTIONS = 2;
    static final int MAX_OPTIONS = 6;

    // Later versions of the file may carry more (explanations, sources); they are not needed here.
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    QuestionBank {
        categories = List.copyOf(categories);
        questions = List.copyOf(questions);
    }

    record BankCategory(String id, String name) {
    }

    record BankQuestion(String category, String difficulty, String text, List<String> options, Integer correct) {
    }

    private record BankFile(Integer version, List<BankCategory> categories, List<BankQuestion> questions) {
    }

    static QuestionBank parse(InputStream json) throws IOException {
        BankFile file = MAPPER.readValue(json, BankFile.class);
        if (file.version() == null || file.version() != SUPPORTED_VERSION) {
            throw new IllegalArgumentException("Unsupported question bank version " + file.version()
                + " (expected " + SUPPORTED_VERSION + ")");
        }
        List<BankCategory> categories = file.categories() == null ? List.of() : file.categories();
        List<BankQuestion> questions = file.questions() == null ? List.of() : file.questions();
        Set<String> categoryIds = checkCategories(categories);
        for (int i = 0; i < questions.size(); i++) {
            checkQuestion(i, questions.get(i), categoryIds);
        }
        return new QuestionBank(categories, questions);
    }

    private static Set<String> checkCategories(List<BankCategory> categories) {
        Set<String> ids = new HashSet<>();
        for (BankCategory category : categories) {
            if (category == null || isBlank(category.id()) || isBlank(category.name())) {
                throw new IllegalArgumentException("A category needs an id and a name: " + category);
            }
            if (!ids.add(category.id())) {
                throw new IllegalArgumentException("Category " + category.id() + " appears twice");
            }
        }
        return ids;
    }

    private static void checkQuestion(int index, BankQuestion question, Set<String> categoryIds) {
        String where = "Question #" + index;
        if (question == null || isBlank(question.text())) {
            throw new IllegalArgumentException(where + " has no text");
        }
        where += " (" + question.text() + ")";
        if (!categoryIds.contains(question.category())) {
            throw new IllegalArgumentException(where + " has unknown category " + question.category());
        }
        if (!DIFFICULTIES.contains(question.difficulty())) {
            throw new IllegalArgumentException(where + " has difficulty " + question.difficulty()
                + ", expected one of " + DIFFICULTIES);
        }
        List<String> options = question.options();
        if (options == null || options.size() < MIN_OPTIONS || options.size() > MAX_OPTIONS
            || options.stream().anyMatch(QuestionBank::isBlank)) {
            throw new IllegalArgumentException(where + " needs " + MIN_OPTIONS + " to " + MAX_OPTIONS
                + " non-blank options");
        }
        if (question.correct() == null || question.correct() < 0 || question.correct() >= options.size()) {
            throw new IllegalArgumentException(where + " has correct option " + question.correct()
                + ", expected 0 to " + (options.size() - 1));
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}

package org.quizengine.api.question;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bank file is checked in plain Java before the database sees any of it. */
class QuestionBankTest {

    @Test
    void parsesTheFixtureBank() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/questions/fixture-bank.json")) {
            QuestionBank bank = QuestionBank.parse(in);
            assertThat(bank.categories()).extracting(QuestionBank.BankCategory::id).containsExactly("science", "geography");
            assertThat(bank.questions()).hasSize(12);
            assertThat(bank.questions().get(5).options()).containsExactly("Proton", "Electron", "Neutron");
        }
    }

    @Test
    void theShippedBankPassesTheSeedersChecks() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/questions/bank.json")) {
            QuestionBank bank = QuestionBank.parse(in);
            assertThat(bank.categories()).hasSizeGreaterThanOrEqualTo(8);
            assertThat(bank.questions()).hasSizeGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws IOException {
        QuestionBank bank = parse("""
            {"version":1,"generatedBy":"x","categories":[{"id":"a","name":"A","icon":"*"}],
             "questions":[{"category":"a","difficulty":"hard","text":"t","options":["x","y"],"correct":1,"source":"s"}]}""");
        assertThat(bank.questions()).hasSize(1);
    }

    @Test
    void rejectsBadEntriesNamingThem() {
        assertThatThrownBy(() -> parse("{\"version\":2,\"categories\":[],\"questions\":[]}"))
            .hasMessageContaining("version 2");
        assertThatThrownBy(() -> parse(bankWith("{\"category\":\"b\",\"difficulty\":\"easy\",\"text\":\"Q?\",\"options\":[\"x\",\"y\"],\"correct\":0}")))
            .hasMessageContaining("Question #0 (Q?)").hasMessageContaining("unknown category b");
        assertThatThrownBy(() -> parse(bankWith("{\"category\":\"a\",\"difficulty\":\"trivial\",\"text\":\"Q?\",\"options\":[\"x\",\"y\"],\"correct\":0}")))
            .hasMessageContaining("difficulty trivial");
        assertThatThrownBy(() -> parse(bankWith("{\"category\":\"a\",\"difficulty\":\"easy\",\"text\":\"Q?\",\"options\":[\"x\"],\"correct\":0}")))
            .hasMessageContaining("2 to 6");
        assertThatThrownBy(() -> parse(bankWith("{\"category\":\"a\",\"difficulty\":\"easy\",\"text\":\"Q?\",\"options\":[\"x\",\"y\"],\"correct\":2}")))
            .hasMessageContaining("correct option 2");
        assertThatThrownBy(() -> parse(bankWith("{\"category\":\"a\",\"difficulty\":\"easy\",\"text\":\" \",\"options\":[\"x\",\"y\"],\"correct\":0}")))
            .hasMessageContaining("has no text");
        assertThatThrownBy(() -> parse("{\"version\":1,\"categories\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"a\",\"name\":\"B\"}],\"questions\":[]}"))
            .hasMessageContaining("Category a appears twice");
    }

    private static String bankWith(String question) {
        return "{\"version\":1,\"categories\":[{\"id\":\"a\",\"name\":\"A\"}],\"questions\":[" + question + "]}";
    }

    private static QuestionBank parse(String json) throws IOException {
        return QuestionBank.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}

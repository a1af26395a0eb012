package org.quizengine.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quizengine.api.http.FieldError;

class AccountRulesTest {
    private static final String EMAIL = "alice@example.com";
    private static final String PASSWORD = "long enough";

    @ParameterizedTest
    @ValueSource(strings = {"abc", "Alice", "a.b-c_d", "9lives", "abcdefghijklmnopqrstuvwx"})
    void acceptsUsernames(String username) {
        assertThat(AccountRules.checkRegistration(username, EMAIL, PASSWORD, null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "abcdefghijklmnopqrstuvwxy", "_alice", ".alice", "-alice", "al ice", "alice!",
        "al'ice", "admin'--", "Robert'); DROP TABLE users;--", "ålice", "alice\u0000", ""})
    void rejectsUsernames(String username) {
        assertThat(fields(AccountRules.checkRegistration(username, EMAIL, PASSWORD, null))).containsExactly("username");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.co", "first.last+tag@sub.example.org", "o'brien@example.ie"})
    void acceptsEmails(String email) {
        assertThat(AccountRules.checkRegistration("alice", email, PASSWORD, null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "alice@", "@example.com", "alice@example", "alice@@example.com",
        "alice @example.com", "alice@exa mple.com", "alice@-example.com", ".alice@example.com", "alice.@example.com",
        "alice@example..com", "alice@example.com\n"})
    void rejectsEmails(String email) {
        assertThat(fields(AccountRules.checkRegistration("alice", email, PASSWORD, null))).containsExactly("email");
    }

    @Test
    void anEmailMayBe254CharactersAndNoMore() {
        String domain = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + ".example.com";
        String local = "x".repeat(254 - 1 - domain.length());
        assertThat(AccountRules.checkRegistration("alice", local + "@" + domain, PASSWORD, null)).isEmpty();
        assertThat(fields(AccountRules.checkRegistration("alice", local + "x@" + domain, PASSWORD, null))).containsExactly("email");
    }

    @Test
    void passwordsAreEightTo128Characters() {
        assertThat(AccountRules.checkRegistration("alice", EMAIL, "1234567", null)).extracting(FieldError::field).containsExactly("password");
        assertThat(AccountRules.checkRegistration("alice", EMAIL, "12345678", null)).isEmpty();
        assertThat(AccountRules.checkRegistration("alice", EMAIL, "p".repeat(128), null)).isEmpty();
        assertThat(AccountRules.checkRegistration("alice", EMAIL, "p".repeat(129), null)).extracting(FieldError::field).containsExactly("password");
        // Counted as a person counts: eight emoji are eight characters.
        assertThat(AccountRules.checkRegistration("alice", EMAIL, "🔑".repeat(8), null)).isEmpty();
    }

    @Test
    void displayNameIsOptionalButChecked() {
        assertThat(AccountRules.checkRegistration("alice", EMAIL, PASSWORD, "Alice 🦊 Liddell")).isEmpty();
        assertThat(AccountRules.checkRegistration("alice", EMAIL, PASSWORD, "x".repeat(40))).isEmpty();
        // Emoji sequences joined by zero-width joiners, and a flag written with tag characters, are names too.
        assertThat(AccountRules.checkRegistration("alice", EMAIL, PASSWORD, "Fam \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67")).isEmpty();
        assertThat(AccountRules.checkRegistration("alice", EMAIL, PASSWORD,
            "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F Scot")).isEmpty();
        // A zero-width non-joiner inside a Persian name (Alireza), as Persian keyboards type it.
        assertThat(AccountRules.checkRegistration("alice", EMAIL, PASSWORD, "\u0639\u0644\u06CC\u200C\u0631\u0636\u0627")).isEmpty();
        for (Object bad : List.of("x".repeat(41), "   ", "Alice\nLiddell", "Alice\u0007", "\u202Eecila", 42,
                "\uDB40\uDC41\uDB40\uDC42", "Bob\uDB40\uDC41\uDB40\uDC7F", "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62 x",
                "Ali\u200Bce", "\u200Balice", "alice\u200D", "Alice \u200D Bob", "al\u200Eice", "\u200Fbob", "\uFEFFalice",
                "a\u2060b", "\u2066alice\u2069", "bob\u061C")) {
            assertThat(fields(AccountRules.checkRegistration("alice", EMAIL, PASSWORD, bad))).as("%s", bad).containsExactly("displayName");
        }
    }

    @Test
    void everyMissingOrMistypedFieldIsReportedAtOnce() {
        List<FieldError> errors = AccountRules.checkRegistration(null, 12, true, null);

        assertThat(errors).containsExactly(
            new FieldError("username", "is required"),
            new FieldError("email", "must be a string"),
            new FieldError("password", "must be a string"));
    }

    @Test
    void loginOnlyChecksPresenceAndLength() {
        assertThat(AccountRules.checkLogin("alice", "x")).isEmpty();
        assertThat(AccountRules.checkLogin("alice@example.com", "whatever it was")).isEmpty();
        assertThat(fields(AccountRules.checkLogin(null, ""))).containsExactly("login", "password");
        assertThat(fields(AccountRules.checkLogin(List.of("alice"), "p".repeat(129)))).containsExactly("login", "password");
        // No account holds one, and PostgreSQL cannot look one up.
        assertThat(fields(AccountRules.checkLogin("ali\u0000ce", "x"))).containsExactly("login");
    }

    @Test
    void aPasswordChangeNeedsTheCurrentOneAndANewOneByTheRules() {
        assertThat(AccountRules.checkPasswordChange("x", "a long new password")).isEmpty();
        assertThat(fields(AccountRules.checkPasswordChange(null, null))).containsExactly("currentPassword", "newPassword");
        assertThat(fields(AccountRules.checkPasswordChange("", "short"))).containsExactly("currentPassword", "newPassword");
        assertThat(fields(AccountRules.checkPasswordChange("old password", 12345678))).containsExactly("newPassword");
        assertThat(fields(AccountRules.checkPasswordChange("old password", "p".repeat(129)))).containsExactly("newPassword");
        assertThat(AccountRules.checkPasswordChange("same password", "same password"))
            .containsExactly(new FieldError("newPassword", "must differ from the current password"));
    }

    @Test
    void messagesNeverEchoTheValue() {
        String secret = "hunter2";
        assertThat(AccountRules.checkRegistration("alice", EMAIL, secret, null))
            .allSatisfy(error -> assertThat(error.message()).doesNotContain(secret));
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }
}

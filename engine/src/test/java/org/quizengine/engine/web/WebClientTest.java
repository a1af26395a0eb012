package org.quizengine.engine.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * The web client served at {@code /}, played in real headless Chromium against a real node: three
 * people sign up, play a lobby match to the podium (one answers everything, one some and goes
 * offline mid-question, the host on the host screen none), then a quick match; every final ranking
 * on screen is what REST then stores. Screenshots of each screen land in target/web-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebClientTest {
    private static final String PASSWORD = "a long password";
    private static final int LOBBY_QUESTIONS = 3;
    // Long enough for the steps taken during one question on a loaded CI machine; questions every
    // player answers close at once, so only the lobby (whose host never answers) runs them out.
    private static final int LOBBY_SECONDS = 6;

    private TestNode node;
    private Browser ann;   // answers every question, on a desktop
    private Browser bob;   // answers some, goes offline once, on a phone
    private Browser host;  // hosts the lobby on the host screen and answers none
    private final String suffix = Long.toString(System.nanoTime() % 100_000, 36);

    @BeforeAll
    void start() {
        Browser.requireChromium();
        Map<String, String> env = TestNode.fastMatches();
        env.put("QUIZ_LOBBY_MIN_SECONDS_PER_QUESTION", "2");
        env.put("QUIZ_MATCH_QUESTION_MILLIS", "6000");
        env.put("QUIZ_MATCH_REVEAL_MILLIS", "1500"); // the reveal stays up while the test reads it
        // Short-lived access tokens, so the client's refresh before expiry runs during the test.
        env.put("QUIZ_AUTH_ACCESS_TOKEN_SECONDS", "70");
        node = TestNode.start(env);
        ann = Browser.open("ann", node.port(), Browser.DESKTOP);
        bob = Browser.open("bob", node.port(), Browser.PHONE);
        host = Browser.open("host", node.port(), Browser.DESKTOP);
    }

    @AfterAll
    void stop() {
        for (Browser browser : new Browser[] {ann, bob, host}) {
            if (browser != null) {
                browser.close();
            }
        }
        if (node != null) {
            node.close();
        }
    }

    private String user(Browser browser) {
        return browser.name + suffix;
    }

    @Test
    @Order(1)
    void signsUpSignsInAndStaysSignedInAcrossAReload() {
        ann.visible("#sign-in-form");
        ann.screenshots("sign-in");
        for (Browser browser : List.of(ann, bob, host)) {
            browser.click("a[href='#/signup']");
            browser.type("#username", user(browser));
            browser.type("#email", user(browser) + "@example.test");
            browser.type("#new-password", PASSWORD);
            browser.click("#sign-up");
            browser.visible("#quick-match-form");
        }
        ann.screenshots("home");

        ann.driver.navigate().refresh();
        ann.visible("#quick-match-form");
        assertThat(ann.visible("#nav").isDisplayed()).isTrue();

        ann.click("#sign-out");
        ann.visible("#sign-in-form");
        assertThat(ann.all("#sign-in-reason")).as("signing out oneself is no session ended elsewhere").isEmpty();
        ann.type("#login", user(ann));
        ann.type("#password", "not the password");
        ann.click("#sign-in");
        ann.textIn("#notice", "That name or password is not right.");
        // Keyboard alone: Enter in the form signs in.
        ann.type("#password", PASSWORD);
        ann.visible("#password").sendKeys(Keys.ENTER);
        ann.visible("#quick-match-form");
    }

    @Test
    @Order(2)
    void playsALobbyMatchToThePodiumWithAHostScreenAndAResume() {
        host.type("#lobby-questions", Integer.toString(LOBBY_QUESTIONS));
        host.type("#lobby-seconds", Integer.toString(LOBBY_SECONDS));
        host.click("#create-lobby");
        String code = host.text("#lobby-code");
        assertThat(code).matches("[A-Z2-9]{6}");
        host.click("#host-screen");
        host.visible("body.projector");

        ann.type("#join-code", "ZZZZZZ");
        ann.click("#join-lobby");
        ann.textIn("#notice", "No lobby has that code.");
        ann.type("#join-code", code.toLowerCase());
        ann.click("#join-lobby");
        ann.textIn("#lobby-players", user(host));
        String link = host.text("#join-link");
        bob.driver.get(link);
        bob.textIn("#lobby-players", user(bob));
        host.textIn("#lobby-players", user(bob));
        host.screenshot("host-lobby");
        bob.screenshot("lobby");
        ann.screenshot("lobby");

        host.click("#start-lobby");
        for (Browser browser : List.of(ann, bob, host)) {
            browser.visible("#match");
        }
        String matchId = ann.attribute("#match", "data-match-id");

        // Question 1: Ann clicks, Bob answers with the keyboard, the host screen shows the question
        // and counts the answers as they come (the host plays too, so there are three to count).
        awaitQuestion(ann, 0);
        awaitQuestion(bob, 0);
        host.textIn("#match .match-top", "Question 1 of " + LOBBY_QUESTIONS);
        host.textIn("#answer-count", "0 of 3 answered");
        assertThat(ann.all("#answer-count")).as("only the host screen counts answers").isEmpty();
        ann.screenshot("question");
        host.screenshot("host-question");
        ann.click("#options button[data-option='0']");
        ann.textIn("#ack", "Answer received: A");
        host.textIn("#answer-count", "1 of 3 answered");
        new Actions(bob.driver).sendKeys("2").perform();
        bob.textIn("#ack", "Answer received: B");
        host.textIn("#answer-count", "2 of 3 answered");
        assertThat(host.attribute("#answer-count", "aria-live")).as("not read out on every answer").isEqualTo("off");
        bob.textIn("#live", "Answer received: B.");
        assertThat(bob.attribute("#options button[data-option='1']", "aria-pressed")).isEqualTo("true");
        bob.screenshot("answered");
        awaitReveal(host, 0);
        awaitReveal(ann, 0);
        host.screenshot("host-reveal");
        ann.screenshot("reveal");
        host.until("how many chose each option", d -> host.all(".options.revealed .count").stream().map(WebElement::getText)
            .toList().equals(List.of("1 chose this", "1 chose this", "0 chose this", "0 chose this")));
        int bobScore = ann.until("Bob's score", d -> scoreOn(ann, user(bob)) >= 0 ? scoreOn(ann, user(bob)) : null);

        // Question 2: Bob goes offline in the middle of it and comes back into his seat.
        awaitQuestion(bob, 1);
        bob.offline(true);
        bob.visible("#offline-banner");
        bob.screenshot("offline");
        host.textIn(".standings tr[data-username='" + user(bob) + "']", "(disconnected)");
        ann.click("#options button[data-option='0']");
        host.textIn("#answer-count", "1 of 3 answered"); // Bob is away, not gone: he may still answer
        awaitReveal(ann, 1);
        bob.offline(false);
        bob.gone("#offline-banner");
        bob.visible("#match");
        assertThat(bob.attribute("#match", "data-match-id")).isEqualTo(matchId);
        bob.until("his score after the resume", d -> scoreOn(bob, user(bob)) == bobScore);

        // Question 3: Bob answers again with what the server says is left of the time.
        awaitQuestion(bob, 2);
        String left = bob.until("the time left shown", d -> bob.text("#time-left").isEmpty() ? null : bob.text("#time-left"));
        int secondsLeft = Integer.parseInt(left.replaceAll("\\D", ""));
        assertThat(secondsLeft).isBetween(0, LOBBY_SECONDS);
        bob.click("#options button[data-option='2']");
        ann.click("#options button[data-option='0']");

        for (Browser browser : List.of(ann, bob, host)) {
            browser.visible("#podium");
        }
        ann.screenshot("podium");
        bob.screenshot("podium");
        host.screenshot("host-podium");
        assertRankingsMatchRest(matchId, List.of(ann, bob, host));
    }

    @Test
    @Order(3)
    void playsAQuickMatch() {
        for (Browser browser : List.of(ann, bob)) {
            browser.click("#play-again");
            browser.type("#qm-size", "2");
        }
        ann.click("#quick-match");
        ann.textIn("#queue-status", "1 of 2 players waiting");
        ann.screenshot("queue");
        ann.click("#cancel-queue");
        ann.click("#quick-match");
        ann.textIn("#queue-status", "1 of 2 players waiting");
        bob.click("#quick-match");
        String matchId = null;
        for (int index = 0; index < 3; index++) {
            awaitQuestion(ann, index);
            awaitQuestion(bob, index);
            matchId = ann.attribute("#match", "data-match-id");
            new Actions(ann.driver).sendKeys("1").perform();
            new Actions(bob.driver).sendKeys(Integer.toString(1 + index % 2)).perform();
            // Both answered: the question closes at once, so the reveal may come before the ack shows.
            awaitReveal(ann, index);
        }
        ann.visible("#podium");
        bob.visible("#podium");
        assertRankingsMatchRest(matchId, List.of(ann, bob));
    }

    @Test
    @Order(4)
    void showsProfileHistoryMatchDetailAndLeaderboards() {
        ann.click("#match-detail-link");
        ann.visible("#detail-players");
        ann.screenshots("match-detail");
        ann.click("a[href='#/profile']");
        ann.textIn("#stats", "Matches played");
        assertThat(ann.text("#level")).startsWith("Level ");
        ann.screenshots("profile");
        ann.click("a[href='#/history']");
        ann.until("two matches in the history", d -> ann.all("#history-table tbody tr").size() == 2);
        ann.screenshots("history");
        ann.click("#history-table tbody tr:last-child a");
        ann.visible("#match-detail");
        ann.click("a[href='#/leaderboards']");
        ann.visible("#board-top");
        ann.textIn("#board-around", user(ann));
        ann.click("a[href='#/leaderboards/week']");
        ann.visible("#leaderboards[data-board='week'] #board-top");
        ann.click("a[href='#/leaderboards/day']");
        ann.visible("#leaderboards[data-board='day'] #board-top");
        ann.screenshots("leaderboards");
    }

    @Test
    @Order(5)
    void aSecondTabTakesTheSessionOverAndARevokedSessionSignsOut() {
        String spentAccessToken = ann.sessionValue("accessToken");
        ann.click("a[href='#/']");
        String first = ann.driver.getWindowHandle();
        ann.driver.switchTo().newWindow(WindowType.TAB);
        ann.driver.get(ann.base);
        ann.visible("#quick-match-form");
        String second = ann.driver.getWindowHandle();
        ann.driver.switchTo().window(first);
        ann.textIn("#replaced-banner", "This game continues in another tab or window.");
        ann.screenshot("replaced");
        ann.click("#play-here");
        ann.gone("#replaced-banner");
        ann.driver.switchTo().window(second);
        ann.visible("#replaced-banner");
        ann.driver.close();
        ann.driver.switchTo().window(first);

        // The access token was refreshed with the refresh token while the matches were played.
        ann.until("a refreshed access token", d -> !ann.sessionValue("accessToken").equals(spentAccessToken));

        String token = host.sessionValue("accessToken");
        HttpClient http = node.vertx.createHttpClient();
        int status = TestPlayer.await(http.request(HttpMethod.POST, node.port(), "127.0.0.1", "/api/v1/auth/logout")
            .compose(request -> request.putHeader("Authorization", "Bearer " + token).send())
            .map(HttpClientResponse::statusCode));
        TestPlayer.await(http.close());
        assertThat(status).as("logout of the host's session").isEqualTo(204);
        host.textIn("#sign-in-reason", "You were signed out");
        host.screenshots("signed-out");
    }

    @Test
    @Order(6)
    void aJoinLinkOpenedSignedOutJoinsAfterSigningIn() {
        ann.click("#play-again"); // the quick match's podium is still up in this tab
        ann.click("#create-lobby");
        String link = ann.text("#join-link");
        host.driver.get(link);
        host.textIn("#notice", "Sign in or create an account to join lobby");
        host.type("#login", user(host));
        host.type("#password", PASSWORD);
        host.click("#sign-in");
        host.textIn("#lobby-players", user(ann) + " (host)");
        ann.textIn("#lobby-players", user(host));
        assertThat(ann.visible("#start-lobby").isEnabled()).isTrue();

        ann.click("#leave-lobby");
        host.textIn("#notice", "The host closed the lobby.");
        host.visible("#quick-match-form");
    }

    @Test
    @Order(7)
    void noScriptErrorsAndNothingBlockedByThePolicy() {
        for (Browser browser : List.of(ann, bob, host)) {
            assertThat(browser.pageErrors()).as(browser.name).isEmpty();
        }
    }

    private static void awaitQuestion(Browser browser, int index) {
        browser.until("question " + (index + 1), d -> {
            List<WebElement> top = browser.all("#match.phase-question .match-top");
            return !top.isEmpty() && top.get(0).getText().startsWith("Question " + (index + 1) + " ");
        });
    }

    private static void awaitReveal(Browser browser, int index) {
        browser.until("reveal " + (index + 1), d -> {
            List<WebElement> top = browser.all("#match.phase-reveal .match-top, #finished");
            return !top.isEmpty() && (top.get(0).getText().startsWith("Question " + (index + 1) + " ")
                || top.get(0).getAttribute("id").equals("finished"));
        });
    }

    private static int scoreOn(Browser browser, String username) {
        List<WebElement> rows = browser.all(".standings tr[data-username='" + username + "']");
        return rows.isEmpty() ? -1 : Integer.parseInt(rows.get(0).getAttribute("data-score"));
    }

    private void assertRankingsMatchRest(String matchId, List<Browser> browsers) {
        TestPlayer reader = TestPlayer.login(node.vertx, node.port(), user(ann), PASSWORD);
        Eventually.await("the match stored", Duration.ofSeconds(10),
            () -> reader.get("/api/v1/matches/" + matchId).statusCode() == 200);
        List<String> stored = new ArrayList<>();
        for (Object player : reader.getJson("/api/v1/matches/" + matchId).getJsonArray("players")) {
            JsonObject p = (JsonObject) player;
            stored.add(p.getInteger("rank") + " " + p.getString("username") + " " + p.getInteger("score"));
        }
        assertThat(stored).as("the stored ranking: by rank, ties by username").isSortedAccordingTo(
            Comparator.<String>comparingInt(line -> Integer.parseInt(line.split(" ")[0])).thenComparing(line -> line.split(" ")[1]));
        for (Browser browser : browsers) {
            List<String> shown = browser.all("#ranking li").stream()
                .map(li -> li.getAttribute("data-rank") + " " + li.getAttribute("data-username") + " " + li.getAttribute("data-score"))
                .toList();
            // Equal scores share a rank; match_finished lists them in the match's player order and
            // the stored match by username (protocol.md, Standing), so tied lines are compared in any order.
            assertThat(shown).as("%s's final ranking", browser.name).containsExactlyInAnyOrderElementsOf(stored);
            assertThat(shown).as("%s's final ranking, by rank", browser.name)
                .isSortedAccordingTo(Comparator.comparingInt(line -> Integer.parseInt(line.split(" ")[0])));
        }
        reader.close();
    }
}

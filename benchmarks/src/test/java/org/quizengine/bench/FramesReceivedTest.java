package org.quizengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FramesReceivedTest {

    private static JsonObject counts(long frames, long bytes) {
        return new JsonObject().put("frames", frames).put("bytes", bytes);
    }

    @Test
    void workersAreSummedByTypeAndTheBytesSpreadOverTheQuestions() {
        FramesReceived frames = new FramesReceived();
        frames.add(new JsonObject().put("question", counts(10, 3_500)).put("reveal", counts(10, 25_000)));
        frames.add(new JsonObject().put("question", counts(30, 10_500)).put("answer_accepted", counts(20, 2_200)));
        frames.add(null); // a worker that sent no final report

        JsonObject json = frames.toJson();

        assertThat(json.getLong("frames")).isEqualTo(70);
        assertThat(json.getLong("bytes")).isEqualTo(41_200);
        assertThat(json.getJsonObject("byType").getJsonObject("question").getLong("frames")).isEqualTo(40);
        assertThat(json.getJsonObject("byType").getJsonObject("question").getLong("bytesPerFrame")).isEqualTo(350);
        assertThat(json.getJsonObject("byType").getJsonObject("reveal").getLong("bytesPerFrame")).isEqualTo(2_500);
        assertThat(json.getLong("bytesPerPlayerPerQuestion")).isEqualTo(1_030);
    }

    @Test
    void withoutQuestionsThereIsNoPerQuestionFigure() {
        FramesReceived frames = new FramesReceived();
        frames.add(new JsonObject().put("error", counts(5, 400)));

        assertThat(frames.toJson().containsKey("bytesPerPlayerPerQuestion")).isFalse();
        assertThat(frames.toJson().getLong("bytes")).isEqualTo(400);
    }
}

package org.quizengine.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What makes a ramp step pass and what a ramp's summary says, for both ways of ramping: every step on
 * one node kept warm ({@link Run}), or each step on fresh nodes ({@code --fresh-node}, {@link Bench}).
 * Pure: everything comes from the steps' summaries.
 */
final class RampSteps {
    private RampSteps() {
    }

    /**
     * A step passes when its players all connected in the warm-up, answer-ack p99 held the limit, no
     * error came back and connected players never fell below 98 % of the step's.
     */
    static boolean passed(JsonObject step, double limitMillis) {
        Double p99 = step.getDouble("ackP99Ms");
        return step.getBoolean("warmedUp") && p99 != null && p99 <= limitMillis && step.getInteger("errors") == 0
            && step.getInteger("playersMin") >= Run.CONNECTED_ENOUGH * step.getInteger("players");
    }

    static String whyFailed(JsonObject step) {
        List<String> reasons = new ArrayList<>();
        if (!step.getBoolean("warmedUp")) {
            reasons.add("players did not all connect");
        }
        reasons.add("p99 ack " + step.getValue("ackP99Ms") + " ms");
        if (step.getInteger("playersMin") < Run.CONNECTED_ENOUGH * step.getInteger("players")) {
            reasons.add("connected players fell to " + step.getInteger("playersMin"));
        }
        if (step.getInteger("errors") > 0) {
            reasons.add(step.getInteger("errors") + " errors");
        }
        return String.join(", ", reasons);
    }

    /** The last step of the passing run before the first failure: the most players held. */
    static Optional<JsonObject> sustained(List<JsonObject> steps) {
        return steps.stream().takeWhile(step -> step.getBoolean("passed")).reduce((earlier, later) -> later);
    }

    /** The step whose latency and errors a ramp's report shows: the sustained one, else the last (failed) one. */
    static Optional<JsonObject> shown(List<JsonObject> steps) {
        return sustained(steps).or(() -> steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1)));
    }

    /** The limit, the players sustained (0 when no step passed) and the sustained step's figures. */
    static JsonObject summary(List<JsonObject> steps, double limitMillis) {
        Optional<JsonObject> best = sustained(steps);
        JsonObject summary = new JsonObject().put("limitP99Ms", limitMillis)
            .put("playersSustained", best.map(step -> step.getInteger("players")).orElse(0));
        best.ifPresent(step -> step.fieldNames().stream().filter(k -> !k.equals("players"))
            .forEach(k -> summary.put(k, step.getValue(k))));
        return summary;
    }
}
